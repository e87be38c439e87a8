import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { startEmulator, type RunningEmulator } from '../../server.ts';

/** Short table delays keep the suites fast while CREATING stays observable. */
export const TEST_SETTINGS = { tableCreateDelayMs: 200, tableDeleteDelayMs: 100 };

export function startDynamoDbEmulator(): Promise<RunningEmulator> {
  return startEmulator({ settings: TEST_SETTINGS });
}

export function dynamoDbClient(endpoint: string, options: { accessKeyId?: string; region?: string } = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

/** The lab's table: year (N) partition key, title (S) sort key. */
export function notesTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    KeySchema: [
      { AttributeName: 'year', KeyType: 'HASH' },
      { AttributeName: 'title', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'year', AttributeType: 'N' },
      { AttributeName: 'title', AttributeType: 'S' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

/** notesTable with a global secondary index `by-author` (author, then year), all attributes projected. */
export function notesTableByAuthor(name: string): CreateTableCommandInput {
  const table = notesTable(name);
  return {
    ...table,
    AttributeDefinitions: [...table.AttributeDefinitions!, { AttributeName: 'author', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'by-author',
        KeySchema: [
          { AttributeName: 'author', KeyType: 'HASH' },
          { AttributeName: 'year', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** Creates a table and polls every 25 ms until ACTIVE (the SDK waiter's 1 s minimum would slow every suite). */
export async function createActiveTable(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  await client.send(new CreateTableCommand(input));
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await sleep(25);
  }
  throw new Error(`table ${input.TableName} did not become ACTIVE`);
}

/** The control API, as a check would call it. */
export async function control(endpoint: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${endpoint}/_emulator/${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${method} ${route}: ${response.status} ${await response.text()}`);
  return response.json();
}
