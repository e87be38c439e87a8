import {
  BatchExecuteStatementCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { createActiveTable, notesTable, startDynamoDbEmulator } from './dynamodb-test-support.ts';

let emulator: RunningEmulator;
let admin: DynamoDBClient;
let student: DynamoDBClient;

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/Notes';
const exists = async (year: number, title: string) =>
  (await admin.send(new GetItemCommand({ TableName: 'Notes', Key: { year: { N: String(year) }, title: { S: title } }, ConsistentRead: true }))).Item !== undefined;

beforeAll(async () => {
  emulator = await startDynamoDbEmulator();
  const root = { endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  admin = new DynamoDBClient(root);
  await createActiveTable(admin, notesTable('Notes'));
  for (const year of ['2023', '2024']) await admin.send(new PutItemCommand({ TableName: 'Notes', Item: { year: { N: year }, title: { S: 'a' } } }));

  // PartiQL is authorized by its own actions (IAM security policies with PartiQL for DynamoDB):
  // this user may SELECT the 2024 partition and INSERT anywhere in Notes, nothing else.
  const iam = new IAMClient(root);
  await iam.send(new CreateUserCommand({ UserName: 'student' }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'student',
      PolicyName: 'partiql',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'dynamodb:PartiQLSelect', Resource: TABLE_ARN, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['2024'] } } },
          { Effect: 'Allow', Action: 'dynamodb:PartiQLInsert', Resource: TABLE_ARN },
        ],
      }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'student' }));
  student = new DynamoDBClient({ ...root, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
});
afterAll(() => emulator.stop());

describe('IAM on PartiQL', () => {
  it('allows a statement by its PartiQL action and partition, and denies the others', async () => {
    const { Items } = await student.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "Notes" WHERE "year" = 2024` }));
    expect(Items).toHaveLength(1);
    await expect(student.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "Notes" WHERE "year" = 2023` }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`dynamodb:PartiQLSelect on resource: ${TABLE_ARN}`),
    });
    await expect(student.send(new ExecuteStatementCommand({ Statement: `UPDATE "Notes" SET x = 1 WHERE "year" = 2024 AND title = 'a'` }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('dynamodb:PartiQLUpdate'),
    });
    await student.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Notes" VALUE {'year': 2025, 'title': 'new'}` }));
    expect(await exists(2025, 'new')).toBe(true);
  });

  it('does not let the PartiQL actions stand for the item API, nor the reverse', async () => {
    await expect(student.send(new GetItemCommand({ TableName: 'Notes', Key: { year: { N: '2024' }, title: { S: 'a' } } }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('dynamodb:GetItem'),
    });
  });

  it('reports a denied statement of a batch in its place, and runs the others', async () => {
    const { Responses } = await student.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO "Notes" VALUE {'year': 2026, 'title': 'batch'}` },
          { Statement: `DELETE FROM "Notes" WHERE "year" = 2023 AND title = 'a'` },
        ],
      }),
    );
    expect(Responses?.[0]?.Error).toBeUndefined();
    expect(Responses?.[1]?.Error).toMatchObject({ Code: 'AccessDenied', Message: expect.stringContaining('dynamodb:PartiQLDelete') });
    expect(await exists(2026, 'batch')).toBe(true);
    expect(await exists(2023, 'a')).toBe(true);
  });

  it('denies a whole transaction when one statement is not allowed', async () => {
    const transaction = student.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `INSERT INTO "Notes" VALUE {'year': 2027, 'title': 'tx'}` },
          { Statement: `DELETE FROM "Notes" WHERE "year" = 2023 AND title = 'a'` },
        ],
      }),
    );
    await expect(transaction).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('dynamodb:PartiQLDelete') });
    expect(await exists(2027, 'tx')).toBe(false);
    expect(await exists(2023, 'a')).toBe(true);
  });
});
