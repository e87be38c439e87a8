/**
 * Lab 06 (policy evaluation) proves itself with the shared suite (self-validation-runner.ts): the
 * solution scores full marks, each known-wrong submission under
 * fixtures/submissions/06-policy-evaluation loses exactly the checks it should, and on moto the
 * checks below are reported not gradable while every other check passes.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 6,
  labId: '06-policy-evaluation',
  maxScore: 30,
  programPrints: ["alice lists the bucket from home                           ExplicitDeny", "End of the policy evaluation script"],
  notGradableOnMoto: [
    "live: predicts the emulator's answers for the course's office-only notes bucket",
    "live: predicts the emulator's answers for users of the bucket's account and of another account",
  ],
});
