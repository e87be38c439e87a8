/**
 * Lab 09 (retries) proves itself with the shared suite (self-validation-runner.ts): the
 * solution scores full marks, each known-wrong submission under
 * fixtures/submissions/09-retries loses exactly the checks it should, and on moto (no
 * fault injection, request log or clock) only the backoff checks are gradable.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 9,
  labId: '09-retries',
  maxScore: 30,
  // Issue 10: each known-wrong submission loses exactly its checks at three different seeds.
  fixtureSeeds: 3,
  programPrints: ['End of the retries script'],
  notGradableOnMoto: [
    'retries throttling, 5xx errors, timeouts and dropped connections',
    'never retries a client error: validation, bad keys, a missing resource, a failed condition',
    'retries a throttled write until it succeeds, pausing with backoff between attempts',
    'makes exactly one attempt for a client error, and throws it',
    'gives up after maxAttempts with the last error',
    'stops retrying once the shared retry budget is spent',
    'lets the SDK retry throttling itself: 5 attempts in standard mode',
    "spaces the SDK's retries 1 s, 2 s and 3 s apart with a ConfiguredRetryStrategy",
    'writes every note while DynamoDB hands writes back in UnprocessedItems, resending only those, in the right number of calls',
    'pauses with backoff before sending unprocessed writes again',
  ],
});
