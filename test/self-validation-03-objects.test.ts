/**
 * Lab 03 (objects) proves itself with the shared suite (self-validation-runner.ts): the
 * solution scores full marks, each known-wrong submission under
 * fixtures/submissions/03-objects loses exactly the checks it should, and on moto the
 * checks below are reported not gradable while every other check passes.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 3,
  labId: '03-objects',
  maxScore: 20,
  programPrints: ["End of create object script", "End of convert object script"],
  // This lab needs nothing moto lacks.
  notGradableOnMoto: [],
});
