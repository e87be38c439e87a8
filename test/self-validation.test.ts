/**
 * Lab 02 (buckets) proves itself with the shared suite (self-validation-runner.ts): the
 * solution scores full marks, each known-wrong submission under
 * fixtures/submissions/02-buckets loses exactly the checks it should, and on moto the
 * checks below are reported not gradable while every other check passes.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 2,
  labId: '02-buckets',
  maxScore: 13,
  programPrints: ["End of create bucket script"],
  notGradableOnMoto: [
    "tries each request maxAttempts times in all",
    "says 'owned-by-another-account' for a bucket someone else owns (HeadBucket 403)",
    "returns only once the new bucket is visible, polling about once a second",
  ],
});
