/**
 * Lab 04 (website) proves itself with the shared suite (self-validation-runner.ts): the
 * solution scores full marks, each known-wrong submission under
 * fixtures/submissions/04-website loses exactly the checks it should, and on moto the
 * checks below are reported not gradable while every other check passes.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 4,
  labId: '04-website',
  maxScore: 25,
  programPrints: ["End of static website script"],
  notGradableOnMoto: [
    "a second run uploads nothing that did not change",
    "the site root serves the index document, as text/html",
    "a folder URL (/notes/) serves that folder's index document",
    "a missing page gets the error document with status 404",
    "anonymous visitors can read the pages",
    "a missing page answers 404 with the error document, not 403",
    "gives the emulator's website URL, and it serves the site",
  ],
});
