/** The retry budget's numbers: how many tokens it holds, what a retry costs, what a success gives back. */
export interface RetryBudgetOptions {
  capacity: number;
  retryCost: number;
  successRefund: number;
}

/**
 * The AWS SDKs' retry quota, in small: a token bucket shared by every call of a client.
 * Each retry takes `retryCost` tokens; when the bucket cannot pay for one, the call gives
 * up at once instead of retrying. Each success puts `successRefund` tokens back (never
 * above `capacity`). So when a dependency is down, a storm of failing calls spends the
 * budget and then stops hammering it, and once it recovers the budget fills again.
 * (The SDK's standard mode starts with 500 tokens, a retry costs 5, a success refunds 1.)
 */
export class RetryBudget {
  private tokens: number;

  constructor(private readonly options: RetryBudgetOptions) {
    this.tokens = options.capacity;
  }

  /**
   * TODO 3 (part 1): Takes the cost of one retry from the bucket and returns true, or
   * returns false (taking nothing) when the bucket holds less than that.
   */
  tryAcquire(): boolean {
    // BEGIN SOLUTION TODO 3
    if (this.tokens < this.options.retryCost) return false;
    this.tokens -= this.options.retryCost;
    return true;
    // END SOLUTION
  }

  /** TODO 3 (part 2): A call succeeded: refund `successRefund` tokens, up to `capacity`. */
  recordSuccess(): void {
    // BEGIN SOLUTION TODO 3
    this.tokens = Math.min(this.options.capacity, this.tokens + this.options.successRefund);
    // END SOLUTION
  }

  /** What is left, for the program's output. */
  get available(): number {
    return this.tokens;
  }
}

/** A budget, built where the caller cannot say `new` (the checks hand it to your functions). */
export function createRetryBudget(options: RetryBudgetOptions): RetryBudget {
  return new RetryBudget(options);
}
