/**
 * Lab 10 (SigV4 by hand) proves itself with the shared suite (self-validation-runner.ts): the
 * solution scores full marks, each known-wrong submission under fixtures/submissions/10-sigv4
 * loses exactly the checks it should, and on moto (which does not verify signatures, has no
 * request log and no clock to move) the live checks below are reported not gradable while
 * every other check passes.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 10,
  labId: '10-sigv4',
  maxScore: 26,
  // Room for a loaded machine: the solution's run is the CLI (program included) and grades 26 checks.
  timeoutMs: 600_000,
  // Issue 10: each known-wrong submission loses exactly its checks at three different seeds.
  fixtureSeeds: 3,
  programPrints: ['End of the SigV4 script'],
  notGradableOnMoto: [
    'STS GetCallerIdentity signed by hand (POST form) and sent with fetch: the emulator verifies the signature',
    'DynamoDB ListTables signed by hand (JSON 1.0) and sent with fetch: the emulator verifies the signature',
    'S3 PutObject with the hashed payload, sent with fetch: accepted, and the object holds the body',
    'S3 PutObject with UNSIGNED-PAYLOAD, sent with fetch: accepted, and the object holds the body',
    'the presigned URL downloads the object until it expires, and is refused once the emulator clock passes the expiry',
  ],
});
