import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromContainerMetadata, fromInstanceMetadata } from '@smithy/credential-provider-imds';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../server.ts';
import { CONTAINER_CREDENTIALS_PATH, DEFAULT_CONTAINER_TOKEN } from '../container-credentials/container-credentials.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
afterEach(() => emulator.store.reset());

async function token(ttl = '60', headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emulator.endpoint}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': ttl, ...headers } });
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emulator.endpoint}${path}`, { headers });
}

async function control(method: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${emulator.endpoint}/_emulator/credential-endpoints`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function callerArn(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<string | undefined> {
  const sts = new STSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    sts.destroy();
  }
}

/** Runs `body` with these process variables, then puts the old values back (the SDK's providers read process.env). */
async function withEnv<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('instance metadata (IMDSv2)', () => {
  it('issues a token for a TTL of 1 to 21600 seconds and refuses a missing or bad TTL with 400', async () => {
    const ok = await token('21600');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-aws-ec2-metadata-token-ttl-seconds')).toBe('21600');
    expect((await ok.text()).length).toBeGreaterThan(40);
    for (const bad of ['0', '21601', 'abc', '-5']) expect((await token(bad)).status, `TTL ${bad}`).toBe(400);
    const none = await fetch(`${emulator.endpoint}/latest/api/token`, { method: 'PUT' });
    expect(none.status).toBe(400);
  });

  it('refuses a token PUT that carries X-Forwarded-For (403) and a GET of the token path (405)', async () => {
    expect((await token('60', { 'x-forwarded-for': '10.0.0.9' })).status).toBe(403);
    expect((await get('/latest/api/token')).status).toBe(405);
  });

  it('answers 401 without a token, with an unknown one, and with one past its TTL on the emulator clock', async () => {
    expect((await get('/latest/meta-data/iam/security-credentials/')).status).toBe(401);
    expect((await get('/latest/meta-data/iam/security-credentials/', { 'x-aws-ec2-metadata-token': 'AQAEAnot-a-token' })).status).toBe(401);
    const value = await (await token('30')).text();
    expect((await get('/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': value })).status).toBe(200);
    emulator.store.clock.advance(31);
    expect((await get('/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': value })).status).toBe(401);
  });

  it('names the role and serves a session of it, which STS knows as the role (assumed-role/<role>/<instance id>)', async () => {
    const headers = { 'x-aws-ec2-metadata-token': await (await token()).text() };
    const role = await (await get('/latest/meta-data/iam/security-credentials/', headers)).text();
    expect(role).toBe('notes-application-role');
    const instanceId = await (await get('/latest/meta-data/instance-id', headers)).text();
    const body = (await (await get(`/latest/meta-data/iam/security-credentials/${role}`, headers)).json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['AccessKeyId', 'Code', 'Expiration', 'LastUpdated', 'SecretAccessKey', 'Token', 'Type']);
    expect(body.Code).toBe('Success');
    expect(body.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await callerArn({ accessKeyId: body.AccessKeyId!, secretAccessKey: body.SecretAccessKey!, sessionToken: body.Token })).toBe(`arn:aws:sts::000000000000:assumed-role/${role}/${instanceId}`);
    expect((await get('/latest/meta-data/iam/security-credentials/some-other-role', headers)).status).toBe(404);
  });

  it('serves the same session until five minutes before it expires, then a new one; the request log says instance-role', async () => {
    const headers = { 'x-aws-ec2-metadata-token': await (await token('21600')).text() };
    const read = async () => (await (await get('/latest/meta-data/iam/security-credentials/notes-application-role', headers)).json()) as Record<string, string>;
    const first = await read();
    expect((await read()).AccessKeyId).toBe(first.AccessKeyId);
    const left = (Date.parse(first.Expiration!) - emulator.store.clock.nowMs()) / 1000;
    emulator.store.clock.advance(left - 299);
    const second = await read();
    expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
    const served = emulator.store.log.list().filter((e) => e.service === 'instance-metadata' && e.accessKeyId);
    expect(served.map((e) => [e.accessKeyId, e.credentialSource])).toEqual([
      [first.AccessKeyId, 'instance-role'],
      [first.AccessKeyId, 'instance-role'],
      [second.AccessKeyId, 'instance-role'],
    ]);
  });

  it('answers IMDSv1 (no token) only when allowed, and 404 for the credentials of an instance without a role', async () => {
    expect((await control('PATCH', { instanceMetadata: { allowImdsV1: true } })).status).toBe(200);
    expect((await get('/latest/meta-data/iam/security-credentials/')).status).toBe(200);
    expect((await control('PATCH', { instanceMetadata: { role: null } })).status).toBe(200);
    expect((await get('/latest/meta-data/iam/security-credentials/')).status).toBe(404);
  });

  it('is found and used by the JS SDK through AWS_EC2_METADATA_SERVICE_ENDPOINT, and requests signed with it are logged as instance-role', async () => {
    const credentials = await withEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: emulator.endpoint }, () => fromInstanceMetadata()());
    expect(await callerArn(credentials)).toMatch(/^arn:aws:sts::000000000000:assumed-role\/notes-application-role\/i-[0-9a-f]{17}$/);
    const call = emulator.store.log.list().find((e) => e.operation === 'GetCallerIdentity');
    expect(call).toMatchObject({ accessKeyId: credentials.accessKeyId, credentialSource: 'instance-role' });
  });

  it('leaves signed S3 requests to a bucket named "latest" to S3', async () => {
    const response = await fetch(`${emulator.endpoint}/latest/meta-data/x`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' } });
    expect(await response.text()).toContain('<Error>');
  });
});

describe('container credentials', () => {
  const uri = () => `${emulator.endpoint}${CONTAINER_CREDENTIALS_PATH}`;

  it('refuses a request without the token or with another one (401), and answers the ECS shape with it', async () => {
    expect((await fetch(uri())).status).toBe(401);
    expect((await fetch(uri(), { headers: { authorization: 'not-the-token' } })).status).toBe(401);
    const ok = await fetch(uri(), { headers: { authorization: DEFAULT_CONTAINER_TOKEN } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['AccessKeyId', 'AccountId', 'Expiration', 'RoleArn', 'SecretAccessKey', 'Token']);
    expect(body.RoleArn).toBe('arn:aws:iam::000000000000:role/notes-application-role');
  });

  it('serves the role the control API sets, with the token it sets, to the JS SDK', async () => {
    const created = await fetch(`${emulator.endpoint}/_emulator/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ iam: { roles: [{ name: 'notes-task-role', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }] } }),
    });
    expect(created.status).toBe(200);
    expect((await control('PATCH', { container: { role: 'notes-task-role', authorizationToken: 'task-token-1' } })).status).toBe(200);
    const credentials = await withEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: uri(), AWS_CONTAINER_AUTHORIZATION_TOKEN: 'task-token-1' }, () => fromContainerMetadata()());
    expect(await callerArn(credentials)).toMatch(/^arn:aws:sts::000000000000:assumed-role\/notes-task-role\/[0-9a-f]{32}$/);
    expect(emulator.store.log.list().find((e) => e.operation === 'GetCallerIdentity')?.credentialSource).toBe('container');
  });
});

describe('control API: credential-endpoints', () => {
  it('refuses a role that does not exist, unknown fields and bad values, changing nothing', async () => {
    const before = await control('GET');
    for (const body of [{ instanceMetadata: { role: 'no-such-role' } }, { instanceMetadata: { colour: 'blue' } }, { container: { sessionSeconds: 60 } }, { sources: { AKIANOSUCHKEY0000000: 'env' } }, { container: { authorizationToken: 'a b' } }, [1]]) {
      const reply = await control('PATCH', body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(typeof reply.json.error).toBe('string');
    }
    expect(await control('GET')).toEqual(before);
  });

  it('labels an IAM user key with its source, and AssumeRole with that key labels the session "assumed-role via ..."', async () => {
    const seed = {
      iam: {
        users: [{ name: 'dev', policies: { all: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }, accessKeys: [{ accessKeyId: 'AKIADEVEXAMPLE000001', secretAccessKey: 'dev-secret' }] }],
        roles: [{ name: 'notes-admin', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/dev' }, Action: 'sts:AssumeRole' }] } }],
      },
    };
    await fetch(`${emulator.endpoint}/_emulator/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seed) });
    expect((await control('PATCH', { sources: { AKIADEVEXAMPLE000001: 'profile dev' } })).status).toBe(200);
    const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const sts = new STSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIADEVEXAMPLE000001', secretAccessKey: 'dev-secret' } });
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/notes-admin', RoleSessionName: 'dev-session' }));
    sts.destroy();
    await callerArn({ accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken });
    const log = emulator.store.log.list();
    expect(log.find((e) => e.operation === 'AssumeRole')?.credentialSource).toBe('profile dev');
    expect(log.find((e) => e.operation === 'GetCallerIdentity')?.credentialSource).toBe('assumed-role via profile dev');
  });
});
