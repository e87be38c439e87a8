import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import { isRetryable } from './retryable.ts';
import type { RetryBudget } from './retry-budget.ts';

export interface RetryOptions extends BackoffPolicy {
  /** Attempts in all, the first one included (3 means: one try and at most two retries). */
  maxAttempts: number;
  /** Shared by every call that should stop retrying together; without one, only maxAttempts limits retries. */
  budget?: RetryBudget;
  /** For backoffDelay; Math.random when absent. */
  random?: () => number;
}

/**
 * TODO 3 (part 3): Runs `operation` (a function that makes one request, e.g.
 * `() => client.send(command)`) and retries it while that makes sense:
 *
 * 1. Call `operation()`. If it succeeds, tell the budget (if there is one:
 *    `recordSuccess()`) and return its result.
 * 2. If it throws an error that is not retryable (isRetryable, TODO 1), throw that error
 *    at once: exactly one attempt for a client error.
 * 3. If this was attempt number `maxAttempts`, or the budget refuses a retry
 *    (`budget.tryAcquire()` is false), throw the error: give up with the last error.
 * 4. Otherwise wait `backoffDelay(retry, options, options.random)` milliseconds
 *    (TODO 2; retry 1 before the second attempt) and go back to 1.
 *
 * Never retry for ever, and never retry without a pause.
 */
export async function withRetries<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  // BEGIN SOLUTION TODO 3
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await operation();
      options.budget?.recordSuccess();
      return result;
    } catch (error) {
      if (!isRetryable(error) || attempt >= options.maxAttempts) throw error;
      if (options.budget && !options.budget.tryAcquire()) throw error;
      await sleep(backoffDelay(attempt, options, options.random));
    }
  }
  // END SOLUTION
}
