import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';

/**
 * TODO 4 (part 1): A DynamoDB client whose SDK retries for you: 5 attempts in all
 * (`maxAttempts`), in the SDK's "standard" retry mode (`retryMode`).
 *
 * Every AWS SDK already retries throttling and 5xx errors with exponential backoff and
 * jitter, and spends a retry quota like your RetryBudget: you seldom need TODO 3 in
 * production, you need to know it is there and how to tune it. Region, endpoint and
 * keys come from the environment, as in the other labs.
 */
export function createRetryingClient(): DynamoDBClient {
  // BEGIN SOLUTION TODO 4
  return new DynamoDBClient({ maxAttempts: 5, retryMode: 'standard' });
  // END SOLUTION
}

/**
 * TODO 4 (part 2): A DynamoDB client with a backoff of your own: 4 attempts in all, and
 * a linear pause of 1 s before the first retry, 2 s before the second, 3 s before the
 * third. Pass `retryStrategy: new ConfiguredRetryStrategy(maxAttempts, (retry) => ms)`
 * (the function gets the retry's number, 1 for the first).
 */
export function createLinearBackoffClient(): DynamoDBClient {
  // BEGIN SOLUTION TODO 4
  return new DynamoDBClient({ retryStrategy: new ConfiguredRetryStrategy(4, (retry) => retry * 1000) });
  // END SOLUTION
}
