import { DeleteTableCommand, waitUntilTableNotExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * TODO 5: Delete the table `tableName` and return only once it is gone.
 *
 * DeleteTable, like CreateTable, only starts the work: the table is DELETING for a
 * while, and creating a table of the same name meanwhile fails with
 * ResourceInUseException. Wait with `waitUntilTableNotExists`, which polls
 * DescribeTable until it answers ResourceNotFoundException; same settings as in
 * TODO 2 (`minDelay: 1`, `maxWaitTime: 30`).
 */
export async function deleteNotesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  // BEGIN SOLUTION TODO 5
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  await waitUntilTableNotExists({ client, minDelay: 1, maxWaitTime: 30 }, { TableName: tableName });
  // END SOLUTION
}
