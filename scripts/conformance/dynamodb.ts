import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { observe, withoutAccount, type Behaviour } from './behaviour.ts';

const TABLE = 'conformance-notes';

/** The notes table (user, noteId) the DynamoDB rows use; `table` names it. */
export function createNotesTable(dynamodb: DynamoDBClient, table = TABLE) {
  return dynamodb.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [
        { AttributeName: 'user', KeyType: 'HASH' },
        { AttributeName: 'noteId', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'user', AttributeType: 'S' },
        { AttributeName: 'noteId', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

/** What a lab's waiter does, faster: poll DescribeTable until ACTIVE (ours starts CREATING, as AWS does). */
export async function untilActive(dynamodb: DynamoDBClient, table = TABLE): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${table} never became ACTIVE`);
}

async function notesTable(dynamodb: DynamoDBClient, notes: Array<[string, number, string]> = []): Promise<void> {
  await createNotesTable(dynamodb);
  await untilActive(dynamodb);
  for (const [user, noteId, text] of notes) {
    await dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { user: { S: user }, noteId: { N: String(noteId) }, text: { S: text } } }));
  }
}

export const DYNAMODB_BEHAVIOURS: Behaviour[] = [
  {
    name: 'DynamoDB CreateTable: key schema, ARN, billing mode',
    run: async (t) => ({
      create: await observe(createNotesTable(t.dynamodb), (o) => ({
        name: o.TableDescription?.TableName,
        arn: withoutAccount(o.TableDescription?.TableArn, t.backend.accountId),
        keySchema: o.TableDescription?.KeySchema,
        billing: o.TableDescription?.BillingModeSummary?.BillingMode,
        itemCount: o.TableDescription?.ItemCount,
      })),
    }),
  },
  {
    name: 'DynamoDB CreateTable: the status it returns',
    run: async (t) => ({ create: await observe(createNotesTable(t.dynamodb), (o) => ({ tableStatus: o.TableDescription?.TableStatus })) }),
  },
  {
    name: 'DynamoDB CreateTable twice: ResourceInUseException',
    run: async (t) => {
      await notesTable(t.dynamodb);
      return { again: await observe(createNotesTable(t.dynamodb)) };
    },
  },
  {
    name: 'DynamoDB DescribeTable and DeleteTable of a missing table: ResourceNotFoundException',
    run: async (t) => ({
      describe: await observe(t.dynamodb.send(new DescribeTableCommand({ TableName: 'no-table' }))),
      delete: await observe(t.dynamodb.send(new DeleteTableCommand({ TableName: 'no-table' }))),
    }),
  },
  {
    name: 'DynamoDB PutItem then GetItem; GetItem of a missing key has no Item',
    run: async (t) => {
      await notesTable(t.dynamodb, [['kim', 1, 'hello']]);
      return {
        get: await observe(t.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { user: { S: 'kim' }, noteId: { N: '1' } } })), (o) => ({ item: o.Item })),
        missing: await observe(t.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { user: { S: 'kim' }, noteId: { N: '2' } } })), (o) => ({
          item: o.Item ?? null,
        })),
      };
    },
  },
  {
    name: 'DynamoDB PutItem with a failing condition: ConditionalCheckFailedException',
    run: async (t) => {
      await notesTable(t.dynamodb, [['kim', 1, 'hello']]);
      return {
        put: await observe(
          t.dynamodb.send(
            new PutItemCommand({
              TableName: TABLE,
              Item: { user: { S: 'kim' }, noteId: { N: '1' }, text: { S: 'again' } },
              ConditionExpression: 'attribute_not_exists(noteId)',
            }),
          ),
        ),
      };
    },
  },
  {
    name: 'DynamoDB PutItem with a wrong key type: ValidationException',
    run: async (t) => {
      await notesTable(t.dynamodb);
      return { put: await observe(t.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { user: { S: 'kim' }, noteId: { S: 'one' } } }))) };
    },
  },
  {
    name: 'DynamoDB Query by partition key and sort range, in sort order',
    run: async (t) => {
      await notesTable(t.dynamodb, [['kim', 3, 'c'], ['kim', 1, 'a'], ['kim', 2, 'b'], ['lee', 1, 'x']]);
      return {
        query: await observe(
          t.dynamodb.send(
            new QueryCommand({
              TableName: TABLE,
              KeyConditionExpression: '#u = :u AND noteId >= :from',
              ExpressionAttributeNames: { '#u': 'user' },
              ExpressionAttributeValues: { ':u': { S: 'kim' }, ':from': { N: '2' } },
            }),
          ),
          (o) => ({ count: o.Count, scanned: o.ScannedCount, ids: o.Items?.map((i) => i.noteId?.N) }),
        ),
      };
    },
  },
  {
    name: 'DynamoDB Scan with a filter: Count and ScannedCount',
    run: async (t) => {
      await notesTable(t.dynamodb, [['kim', 1, 'a'], ['lee', 1, 'b'], ['park', 1, 'a']]);
      return {
        scan: await observe(
          t.dynamodb.send(new ScanCommand({ TableName: TABLE, FilterExpression: '#t = :a', ExpressionAttributeNames: { '#t': 'text' }, ExpressionAttributeValues: { ':a': { S: 'a' } } })),
          (o) => ({ count: o.Count, scanned: o.ScannedCount, users: o.Items?.map((i) => i.user?.S).sort() }),
        ),
      };
    },
  },
  {
    name: 'DynamoDB UpdateItem with ADD and ReturnValues ALL_NEW',
    run: async (t) => {
      await notesTable(t.dynamodb, [['kim', 1, 'hello']]);
      return {
        update: await observe(
          t.dynamodb.send(
            new UpdateItemCommand({
              TableName: TABLE,
              Key: { user: { S: 'kim' }, noteId: { N: '1' } },
              UpdateExpression: 'ADD views :one SET #t = :text',
              ExpressionAttributeNames: { '#t': 'text' },
              ExpressionAttributeValues: { ':one': { N: '1' }, ':text': { S: 'edited' } },
              ReturnValues: 'ALL_NEW',
            }),
          ),
          (o) => ({ attributes: o.Attributes }),
        ),
      };
    },
  },
  {
    name: 'DynamoDB DeleteItem with ReturnValues ALL_OLD',
    run: async (t) => {
      await notesTable(t.dynamodb, [['kim', 1, 'hello']]);
      return {
        delete: await observe(
          t.dynamodb.send(new DeleteItemCommand({ TableName: TABLE, Key: { user: { S: 'kim' }, noteId: { N: '1' } }, ReturnValues: 'ALL_OLD' })),
          (o) => ({ attributes: o.Attributes }),
        ),
      };
    },
  },
  {
    name: 'DynamoDB DeleteTable: the status it returns',
    run: async (t) => {
      await notesTable(t.dynamodb);
      return { delete: await observe(t.dynamodb.send(new DeleteTableCommand({ TableName: TABLE })), (o) => ({ tableStatus: o.TableDescription?.TableStatus })) };
    },
  },
];
