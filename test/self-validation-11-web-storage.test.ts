/**
 * Lab 11 (S3 as a web application's storage) proves itself with the shared suite
 * (self-validation-runner.ts): the solution scores full marks, browser checks included
 * (headless Chromium must be installed: .ci/run installs Debian's chromium), each
 * known-wrong submission under fixtures/submissions/11-web-storage loses exactly the checks
 * it should, and on moto the checks below are reported not gradable while every other
 * check passes.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 11,
  labId: '11-web-storage',
  maxScore: 28,
  programPrints: ['End of web storage script'],
  notGradableOnMoto: [
    'open() returns the bytes; exists() is true, false after delete() (404), and a 403 is an error, not false',
    'listdir() gives the folders and files directly under a path, through every page (over 1,000 entries)',
    'url() of a media file is a presigned GET that works now and is refused once its expiry has passed',
    "url() of a static file is its plain public URL (no signature), which anyone's browser can load",
    'in Chromium, the gallery shows a picture loaded from S3 by its presigned URL (its natural size read in the page)',
    'S3 itself refuses, by the policy, a file over the limit (EntityTooLarge), a non-image (AccessDenied) and another key',
    'in Chromium, the upload page sends a picture straight to S3, the gallery shows it, and S3 refuses a too-large file and a text file (the page says so)',
    'a second collectstatic uploads nothing, and after one file changes, only that file',
    "in Chromium, a page of the app's origin reads an object and PUTs by presigned URLs (preflight allowed); a page of another origin cannot read it",
    'static/ is readable by everyone and nothing else is: an anonymous GET of a static file works, of a media file is refused',
  ],
});
