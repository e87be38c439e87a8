/**
 * Lab 08 (roles and sessions) proves itself with the shared suite (self-validation-runner.ts): the
 * solution scores full marks, each known-wrong submission under
 * fixtures/submissions/08-roles-and-sessions loses exactly the checks it should, and on moto the
 * checks below are reported not gradable while every other check passes.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 8,
  labId: '08-roles-and-sessions',
  maxScore: 17,
  programPrints: ["End of roles and sessions script"],
  notGradableOnMoto: [
    "builds an S3 client that signs with the session credentials, token included",
    "reports the read allowed and the write denied, after really trying the write with the session",
    "assumes the role again once the clock passes Expiration (the old session is refused with ExpiredToken)",
    "gets an MFA session with SerialNumber and the current code (an MFA-only permission then works)",
    "lets the AccessDenied of a wrong code through (no fallback without MFA)",
    "decodes the encoded message of a denial into its verdict, action, resource and principal",
  ],
});
