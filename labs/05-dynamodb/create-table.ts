import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * TODO 1: Create the notes table `tableName`:
 * - partition key (HASH) `year`, a Number (`N`);
 * - sort key (RANGE) `title`, a String (`S`);
 * - provisioned throughput of 10 read and 10 write capacity units, as in the course.
 *
 * Declare in `AttributeDefinitions` exactly the key attributes, with their types; the
 * other attributes of a note (author, body) need no declaration: DynamoDB is schemaless
 * outside the key.
 *
 * CreateTable returns at once with the table CREATING: do not wait here (that is TODO 2).
 */
export async function createNotesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  // BEGIN SOLUTION TODO 1
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [
        { AttributeName: 'year', KeyType: 'HASH' },
        { AttributeName: 'title', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'year', AttributeType: 'N' },
        { AttributeName: 'title', AttributeType: 'S' },
      ],
      ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 },
    }),
  );
  // END SOLUTION
}
