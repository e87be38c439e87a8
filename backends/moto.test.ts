import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateAccessKeyCommand, CreateUserCommand, GetPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  AssumeRoleCommand,
  DecodeAuthorizationMessageCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCredentials, Backend } from './backend.ts';
import { freePort, isPortTaken } from './free-port.ts';
import { MOTO_ACCOUNT, MOTO_NOT_ON_PATH, startMotoBackend, type MotoBackend } from './moto.ts';

/** True while any process of the group led by `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

function clients(backend: Backend, credentials: AwsCredentials = backend.credentials) {
  const base = { endpoint: backend.endpoint, region: 'us-east-1', credentials };
  return { s3: new S3Client({ ...base, forcePathStyle: true }), sts: new STSClient(base), iam: new IAMClient(base), ddb: new DynamoDBClient(base) };
}

describe('moto backend', () => {
  let moto: MotoBackend;
  beforeAll(async () => {
    moto = await startMotoBackend();
  });
  afterAll(async () => {
    await moto?.stop();
  });


  it('answers in its default account with any credentials, and describes itself for grading processes', async () => {
    const identity = await clients(moto).sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(MOTO_ACCOUNT);
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const descriptor = moto.describe();
    expect(descriptor).toMatchObject({ name: 'moto', endpoint: moto.endpoint, accountId: MOTO_ACCOUNT, reset: 'moto-api' });
    expect(descriptor.missing['head-bucket-403']).toMatch(/200/);
    expect(JSON.parse(JSON.stringify(descriptor))).toEqual(descriptor);
    expect(moto.lacks('iam-enforcement')).toMatch(/INITIAL_NO_AUTH_ACTION_COUNT/);
  });

  it('reset empties its state', async () => {
    const { s3 } = clients(moto);
    await s3.send(new CreateBucketCommand({ Bucket: 'before-reset' }));
    await moto.reset();
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });

  // Each claim in MOTO_MISSING that can be observed, observed: if a moto release adds the
  // feature, this fails and the capability list must be updated.
  describe('lacks what it says it lacks', () => {
    it('head-bucket-403: HeadBucket from another account answers 200', async () => {
      const { s3, sts } = clients(moto);
      await s3.send(new CreateBucketCommand({ Bucket: 'owned-by-default-account' }));
      const role = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/other', RoleSessionName: 'other' }));
      const other = clients(moto, {
        accessKeyId: role.Credentials!.AccessKeyId!,
        secretAccessKey: role.Credentials!.SecretAccessKey!,
        sessionToken: role.Credentials!.SessionToken!,
      });
      expect((await other.sts.send(new GetCallerIdentityCommand({}))).Account).toBe('111111111111');
      const head = await other.s3.send(new HeadBucketCommand({ Bucket: 'owned-by-default-account' }));
      expect(head.$metadata.httpStatusCode).toBe(200);
    });

    it('sigv4-verification: a wrong secret key is accepted', async () => {
      const wrong = clients(moto, { accessKeyId: 'test', secretAccessKey: 'not-the-secret' });
      expect((await wrong.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(MOTO_ACCOUNT);
    });

    it('table-creating-state: CreateTable returns ACTIVE', async () => {
      const created = await clients(moto).ddb.send(
        new CreateTableCommand({
          TableName: 'at-once',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      expect(created.TableDescription?.TableStatus).toBe('ACTIVE');
    });

    it('iam-enforcement: a user without any policy may create a bucket', async () => {
      const { iam } = clients(moto);
      await iam.send(new CreateUserCommand({ UserName: 'no-policies' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'no-policies' }))).AccessKey!;
      const user = clients(moto, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
      const created = await user.s3.send(new CreateBucketCommand({ Bucket: 'created-without-permission' }));
      expect(created.$metadata.httpStatusCode).toBe(200);
    });

    it('decode-authorization-message: not implemented', async () => {
      await expect(clients(moto).sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'x' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 500 },
      });
    });

    it('aws-managed-policies: arn:aws:iam::aws:policy/ReadOnlyAccess does not exist', async () => {
      await expect(clients(moto).iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
    });

    it('mfa-totp: GetSessionToken accepts any code', async () => {
      const session = await clients(moto).sts.send(
        new GetSessionTokenCommand({ SerialNumber: `arn:aws:iam::${MOTO_ACCOUNT}:mfa/nobody`, TokenCode: '000000' }),
      );
      expect(session.Credentials?.AccessKeyId).toBeTruthy();
    });

    it('website-endpoint: a website host gets the REST API answer, not the index document', async () => {
      const { s3 } = clients(moto);
      await s3.send(new CreateBucketCommand({ Bucket: 'site' }));
      await s3.send(new PutBucketWebsiteCommand({ Bucket: 'site', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
      await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'index.html', Body: '<h1>home</h1>', ContentType: 'text/html' }));
      // fetch() cannot override Host, so speak HTTP/1.1 by hand.
      const { request } = await import('node:http');
      const url = new URL(moto.endpoint);
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: url.hostname, port: url.port, path: '/', headers: { host: 'site.s3-website-us-east-1.amazonaws.com' } }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      expect(body).not.toContain('<h1>home</h1>');
      expect(body).toContain('<ListBucketResult');
    });

    it('control API: /_emulator/health does not answer', async () => {
      const response = await fetch(`${moto.endpoint}/_emulator/health`);
      await response.arrayBuffer();
      expect(response.status).not.toBe(200);
    });

    it('credential-endpoints: instance metadata hands out fixed keys, even without a token, and there is no container endpoint', async () => {
      const credentials = await fetch(`${moto.endpoint}/latest/meta-data/iam/security-credentials/default-role`);
      expect(credentials.status).toBe(200);
      expect(((await credentials.json()) as { AccessKeyId: string }).AccessKeyId).toBe('test-key');
      const container = await fetch(`${moto.endpoint}/_container-credentials`);
      await container.arrayBuffer();
      expect(container.status).toBe(404);
    });
  });

  // Last in this block: stops the shared server.
  it('stop() ends the server and its supervisor, and frees the port', async () => {
    const port = Number(new URL(moto.endpoint).port);
    expect(groupAlive(moto.processGroup)).toBe(true);
    await moto.stop();
    await moto.stop();
    expect(groupAlive(moto.processGroup)).toBe(false);
    expect(await isPortTaken(port)).toBe(false);
    await expect(fetch(`${moto.endpoint}/moto-api/`)).rejects.toThrow();
  });
});

describe('moto backend lifecycle', () => {
  it('with loadAwsManagedPolicies, has the AWS managed policies and says so', async () => {
    const moto = await startMotoBackend({ loadAwsManagedPolicies: true });
    try {
      expect(moto.lacks('aws-managed-policies')).toBeUndefined();
      expect(moto.describe().missing).not.toHaveProperty('aws-managed-policies');
      const policy = await clients(moto).iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
      expect(policy.Policy?.PolicyName).toBe('ReadOnlyAccess');
    } finally {
      await moto.stop();
    }
  });

  it('leaves no process behind when its parent is killed with SIGKILL', async () => {
    const lifeline = new URL('./lifeline-process.ts', import.meta.url).href;
    const port = await freePort();
    const script = [
      `import { startLifelineProcess } from '${lifeline}';`,
      `const server = startLifelineProcess(process.env.MOTO_SERVER ?? 'moto_server', ['-H', '127.0.0.1', '-p', '${port}']);`,
      'console.log(server.pid);',
      'setInterval(() => undefined, 1000);',
    ].join('\n');
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [firstLine] = (await once(parent.stdout!, 'data')) as [Buffer];
    const pgid = Number(firstLine.toString().trim());
    expect(groupAlive(pgid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await eventually(() => !groupAlive(pgid), 10_000)).toBe(true);
    expect(await isPortTaken(port)).toBe(false);
  });

  it('reports moto exiting early, with its output, when the port is taken', async () => {
    const { createServer } = await import('node:net');
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      await expect(startMotoBackend({ port })).rejects.toThrow(/moto_server exited with code \d+\. Its last output:\n.*(in use|Errno)/s);
    } finally {
      holder.close();
    }
  });

  it('says in one sentence that moto_server is missing', async () => {
    const started = Date.now();
    await expect(startMotoBackend({ command: 'moto_server_that_does_not_exist' })).rejects.toThrow(MOTO_NOT_ON_PATH);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
