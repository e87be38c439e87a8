import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDbClients {
  /** The plain client: tables (CreateTable, DescribeTable, DeleteTable) and waiters. */
  client: DynamoDBClient;
  /** The same client wrapped to read and write items as plain JavaScript objects. */
  documents: DynamoDBDocumentClient;
}

/**
 * Both clients of the lab. Region, endpoint and keys come from the environment
 * (AWS_REGION, AWS_ENDPOINT_URL, ...), as in lab 02.
 *
 * The document client marshals for us: `{ year: 2024 }` goes on the wire as
 * `{ "year": { "N": "2024" } }` and comes back as a number. Without it every item
 * would be written attribute by attribute in DynamoDB JSON.
 */
export function createDynamoDbClients(maxAttempts: number): DynamoDbClients {
  const client = new DynamoDBClient({ maxAttempts });
  const documents = DynamoDBDocumentClient.from(client, {
    // Refuse, rather than silently drop, a note field that is undefined.
    marshallOptions: { removeUndefinedValues: false },
  });
  return { client, documents };
}
