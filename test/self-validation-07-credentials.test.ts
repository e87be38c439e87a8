/**
 * Lab 07 (credentials) proves itself with the shared suite (self-validation-runner.ts): the
 * solution scores full marks, each known-wrong submission under
 * fixtures/submissions/07-credentials loses exactly the checks it should, and on moto the
 * checks below (they read the credential sources in the emulator's request log, or its
 * instance metadata and container endpoints) are reported not gradable while TODO 1's,
 * graded against the real SDK chain on the trusted side, pass.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 7,
  labId: '07-credentials',
  maxScore: 20,
  programPrints: ['End of credentials script'],
  notGradableOnMoto: [
    "signs with the named profile's keys, not the env keys or AWS_PROFILE's profile",
    'for a role profile (role_arn + source_profile), the SDK assumes the role with the source profile and the client signs with the session',
    'on a clean instance, returns the instance role ARN it got from GetCallerIdentity',
    'refuses when env keys shadow the instance role (StrayCredentialsError naming who it really is)',
    'refuses when the client it is given has hard-coded keys',
    'instance role credentials through the IMDSv2 token flow',
    'container credentials with the authorization token, from the variable or from the token file',
    'keeps the instance role and container credentials while valid, fetches new ones once they expire',
  ],
});
