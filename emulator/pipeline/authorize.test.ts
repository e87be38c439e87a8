import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { AddUserToGroupCommand, AttachGroupPolicyCommand, CreateGroupCommand, GetUserCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, DeletePublicAccessBlockCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@smithy/types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../server.ts';
import { failure, iamClient, policy, ROOT, userWithKey } from '../services/iam/iam-test-support.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.store.reset());

const BUCKET = 'authorize-lab';
const OTHER = '111111111111';

function s3(credentials: AwsCredentialIdentity = ROOT, headers: Record<string, string> = {}): S3Client {
  const client = new S3Client({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
  client.middlewareStack.add(
    (next) => (args) => {
      Object.assign((args.request as { headers: Record<string, string> }).headers, headers);
      return next(args);
    },
    { step: 'build', name: 'simulatedHeaders' },
  );
  return client;
}

async function bucketWithObject(): Promise<void> {
  await s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'notes.csv', Body: 'a,b' }));
}

async function seed(body: object): Promise<void> {
  const response = await fetch(`${emulator.endpoint}/_emulator/seed`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(response.status).toBe(200);
}

describe('authorize: identity policies', () => {
  it('denies a user without policies with the AWS sentence, and allows once a group grants it', async () => {
    await bucketWithObject();
    const alice = await userWithKey(emulator, 'alice');
    const denied = await failure(s3(alice).send(new ListObjectsV2Command({ Bucket: BUCKET })));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(denied.message).toBe(
      `User: arn:aws:iam::000000000000:user/alice is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::${BUCKET}" because no identity-based policy allows the s3:ListBucket action`,
    );
    const iam = iamClient(emulator);
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'alice' }));
    expect((await s3(alice).send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(1);
  });

  it('names an explicit deny in an identity-based policy', async () => {
    await bucketWithObject();
    const alice = await userWithKey(emulator, 'alice', policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }));
    const denied = await failure(s3(alice).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'x', Body: 'x' })));
    expect(denied.message).toBe(
      `User: arn:aws:iam::000000000000:user/alice is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${BUCKET}/x" with an explicit deny in an identity-based policy`,
    );
  });

  it('answers DynamoDB denials as 400 AccessDeniedException', async () => {
    const alice = await userWithKey(emulator, 'alice');
    const dynamodb = new DynamoDBClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: alice, maxAttempts: 1 });
    const denied = await failure(dynamodb.send(new ListTablesCommand({})));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(denied.message).toMatch(/^User: arn:aws:iam::000000000000:user\/alice is not authorized to perform: dynamodb:ListTables .*because no identity-based policy allows the dynamodb:ListTables action$/);
  });

  it('leaves everything allowed when enforcement is switched off', async () => {
    const alice = await userWithKey(emulator, 'alice');
    emulator.store.settings.enforceIam = false;
    expect((await iamClient(emulator, alice).send(new ListRolesCommand({}))).Roles!.length).toBeGreaterThan(0);
  });
});

describe('authorize: resource policies and accounts', () => {
  it('applies an explicit deny in a bucket policy even to the account root', async () => {
    await bucketWithObject();
    const deny = policy({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/*` });
    await s3().send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: deny }));
    const denied = await failure(s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'y', Body: 'y' })));
    expect(denied.message).toBe(
      `User: arn:aws:iam::000000000000:root is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${BUCKET}/y" with an explicit deny in a resource-based policy`,
    );
  });

  it('needs both sides across accounts: the bucket policy and the caller identity policy', async () => {
    await bucketWithObject();
    const otherRoot: AwsCredentialIdentity = { accessKeyId: OTHER, secretAccessKey: 'test' };
    const denied = await failure(s3(otherRoot).send(new ListObjectsV2Command({ Bucket: BUCKET })));
    expect(denied.message).toMatch(/because no resource-based policy allows the s3:ListBucket action$/);
    const grant = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` });
    await s3().send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: grant }));
    expect((await s3(otherRoot).send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(1);

    await seed({ iam: { account: OTHER, users: [{ name: 'carol', accessKeys: [{ accessKeyId: 'AKIACAROLEXAMPLE0001', secretAccessKey: 'carol-secret' }] }] } });
    const carol: AwsCredentialIdentity = { accessKeyId: 'AKIACAROLEXAMPLE0001', secretAccessKey: 'carol-secret' };
    const noIdentity = await failure(s3(carol).send(new ListObjectsV2Command({ Bucket: BUCKET })));
    expect(noIdentity.message).toMatch(/^User: arn:aws:iam::111111111111:user\/carol .* because no identity-based policy allows the s3:ListBucket action$/);
  });

  it('lets anonymous callers read only what a bucket policy grants to "*"', async () => {
    await bucketWithObject();
    const url = `${emulator.endpoint}/${BUCKET}/notes.csv`;
    const before = await fetch(url);
    expect(before.status).toBe(403);
    expect(await before.text()).toContain('<Message>Access Denied</Message>');
    // New buckets block public policies, as on AWS since 2023.
    await s3().send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    await s3().send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }) }));
    const after = await fetch(url);
    expect([after.status, await after.text()]).toEqual([200, 'a,b']);
  });
});

describe('authorize: condition keys', () => {
  const officeOnly = policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } });

  it('sees aws:SourceIp from the x-emulator-source-ip header', async () => {
    await bucketWithObject();
    const alice = await userWithKey(emulator, 'alice', officeOnly);
    expect((await failure(s3(alice).send(new ListObjectsV2Command({ Bucket: BUCKET })))).name).toBe('AccessDenied');
    expect((await s3(alice, { 'x-emulator-source-ip': '203.0.113.9' }).send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(1);
  });

  it('sees aws:SourceIp set per access key through the control API seed, the header still winning', async () => {
    await bucketWithObject();
    const alice = await userWithKey(emulator, 'alice', officeOnly);
    await seed({ iam: { sourceIps: { [alice.accessKeyId]: '203.0.113.50' } } });
    expect((await s3(alice).send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(1);
    expect((await failure(s3(alice, { 'x-emulator-source-ip': '198.51.100.1' }).send(new ListObjectsV2Command({ Bucket: BUCKET })))).name).toBe('AccessDenied');
  });

  it('evaluates aws:CurrentTime on the emulator clock', async () => {
    await bucketWithObject();
    const deadline = new Date(emulator.store.clock.nowMs() + 5 * 60_000).toISOString();
    const alice = await userWithKey(emulator, 'alice', policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': deadline } } }));
    await s3(alice).send(new ListObjectsV2Command({ Bucket: BUCKET }));
    emulator.store.clock.advance(6 * 60);
    expect((await failure(s3(alice).send(new ListObjectsV2Command({ Bucket: BUCKET })))).name).toBe('AccessDenied');
  });

  it('resolves ${aws:username} in IAM resources so users may only touch themselves', async () => {
    const self = policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::000000000000:user/${aws:username}' });
    const alice = await userWithKey(emulator, 'alice', self);
    await userWithKey(emulator, 'bob');
    expect((await iamClient(emulator, alice).send(new GetUserCommand({ UserName: 'alice' }))).User!.UserName).toBe('alice');
    const other = await failure(iamClient(emulator, alice).send(new GetUserCommand({ UserName: 'bob' })));
    expect(other.message).toMatch(/^User: arn:aws:iam::000000000000:user\/alice is not authorized to perform: iam:GetUser on resource: arn:aws:iam::000000000000:user\/bob because no identity-based policy allows the iam:GetUser action Encoded authorization failure message: \S+$/);
  });
});
