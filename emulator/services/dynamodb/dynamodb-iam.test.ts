import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { createActiveTable, notesTable, startDynamoDbEmulator } from './dynamodb-test-support.ts';

let emulator: RunningEmulator;
let reader: DynamoDBClient;

beforeAll(async () => {
  emulator = await startDynamoDbEmulator();
  const root = { endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const admin = new DynamoDBClient(root);
  await createActiveTable(admin, notesTable('Notes'));
  for (const year of ['2023', '2024']) {
    await admin.send(new PutItemCommand({ TableName: 'Notes', Item: { year: { N: year }, title: { S: 'a' } } }));
  }

  // A user who may read only the 2024 partition of Notes (fine-grained access control).
  const iam = new IAMClient(root);
  await iam.send(new CreateUserCommand({ UserName: 'reader' }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'reader',
      PolicyName: 'read-2024',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'dynamodb:GetItem',
            Resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/Notes',
            Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['2024'] } },
          },
        ],
      }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
  reader = new DynamoDBClient({ ...root, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
});
afterAll(() => emulator.stop());

describe('IAM enforcement on DynamoDB', () => {
  it('allows the permitted partition and denies the others and other actions', async () => {
    const allowed = await reader.send(new GetItemCommand({ TableName: 'Notes', Key: { year: { N: '2024' }, title: { S: 'a' } } }));
    expect(allowed.Item?.year).toEqual({ N: '2024' });

    await expect(reader.send(new GetItemCommand({ TableName: 'Notes', Key: { year: { N: '2023' }, title: { S: 'a' } } }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('dynamodb:GetItem'),
    });
    await expect(reader.send(new PutItemCommand({ TableName: 'Notes', Item: { year: { N: '2024' }, title: { S: 'b' } } }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
