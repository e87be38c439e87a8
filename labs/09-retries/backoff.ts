/** How long to wait before a retry: the first retry waits up to `baseMs`, and the ceiling doubles each time up to `capMs`. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * TODO 2: The pause before retry number `attempt` (1 for the first retry, 2 for the
 * second, ...), in milliseconds, with "full jitter":
 *
 *     ceiling = min(capMs, baseMs * 2 ** (attempt - 1))
 *     delay   = random() * ceiling        (anywhere from 0 up to the ceiling)
 *
 * Exponential: each failure doubles how long the client may wait, so a struggling
 * service gets room. Capped: never longer than `capMs`. Jittered: a random point below
 * the ceiling, so a thousand clients that failed together do not all come back at the
 * same instant. Use the `random` you are given (it returns a number in [0, 1)); the
 * checks hand you a seeded one.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  // BEGIN SOLUTION TODO 2
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return random() * ceiling;
  // END SOLUTION
}
