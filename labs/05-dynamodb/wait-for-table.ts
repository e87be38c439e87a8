import { waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * TODO 2: Pause until the table `tableName` is ACTIVE, then return. Right after
 * CreateTable the table is CREATING, and every read or write on it fails with
 * ResourceNotFoundException.
 *
 * Use the SDK's waiter `waitUntilTableExists`: it polls DescribeTable at once, then
 * waits between polls until TableStatus is ACTIVE. Its default pause is 20 seconds
 * (`minDelay`), fine for production, far too slow for a lab: poll every second
 * (`minDelay: 1`) and give up after half a minute (`maxWaitTime: 30`).
 */
export async function waitForTable(client: DynamoDBClient, tableName: string): Promise<void> {
  // BEGIN SOLUTION TODO 2
  await waitUntilTableExists({ client, minDelay: 1, maxWaitTime: 30 }, { TableName: tableName });
  // END SOLUTION
}
