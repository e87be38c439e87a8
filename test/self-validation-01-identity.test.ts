/**
 * Lab 01 (identity) proves itself with the shared suite (self-validation-runner.ts): the
 * solution scores full marks, each known-wrong submission under
 * fixtures/submissions/01-identity loses exactly the checks it should, and on moto the
 * checks below are reported not gradable while every other check passes.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 1,
  labId: '01-identity',
  maxScore: 13,
  programPrints: ["S3-Delete-Bucket-Policy : arn:aws:iam::000000000000:policy/S3-Delete-Bucket-Policy", "End of identity script"],
  notGradableOnMoto: [
    "finds an AWS managed policy's ARN (arn:aws:iam::aws:policy/...), past the first page",
    "asks for pageSize policies per request (one ListAttachedRolePolicies call per page)",
  ],
});
