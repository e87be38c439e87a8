import { request as httpRequest } from 'node:http';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../core/identity.ts';
import { startEmulator, type RunningEmulator } from '../server.ts';
import { Sha256 } from '../sigv4/sigv4-test-support.ts';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const ROOT: Credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

let emulator: RunningEmulator;
let host: string;

beforeAll(async () => {
  emulator = await startEmulator();
  host = new URL(emulator.endpoint).host;
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.store.reset());

// maxAttempts 1: the SDK corrects its clock on skew errors and retries, which would hide them.
const s3 = (credentials: Credentials = ROOT) =>
  new S3Client({ endpoint: emulator.endpoint, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts: 1 });
const sts = (credentials: Credentials = ROOT) =>
  new STSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

const dynamodb = (credentials: Credentials = ROOT) =>
  new DynamoDBClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
const iam = (credentials: Credentials = ROOT) =>
  new IAMClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

/** The error the SDK raised: its name is the AWS error code. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the request succeeded but was expected to fail');
}

interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

function signer(service: 's3' | 'sts', credentials: Credentials = ROOT): SignatureV4 {
  return new SignatureV4({
    service,
    region: 'us-east-1',
    credentials,
    sha256: Sha256,
    // S3 signs the path as sent and puts the body hash in x-amz-content-sha256.
    uriEscapePath: service !== 's3',
    applyChecksum: service === 's3',
  });
}

async function sign(service: 's3' | 'sts', raw: RawRequest, credentials?: Credentials): Promise<RawRequest> {
  const signed = await signer(service, credentials).sign({
    method: raw.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    path: raw.path,
    query: raw.query ?? {},
    headers: { host, ...(raw.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(raw.body)) }), ...raw.headers },
    body: raw.body,
  });
  return { method: signed.method, path: signed.path, query: signed.query as Record<string, string>, headers: signed.headers, body: raw.body };
}

/** Sends exactly these bytes (no SDK in between), so a signed request can be replayed with one part changed. */
function send(raw: RawRequest): Promise<{ status: number; body: string }> {
  const query = new URLSearchParams(raw.query ?? {}).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${emulator.endpoint}${raw.path}${query ? `?${query}` : ''}`,
      { method: raw.method, headers: raw.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}

function temporaryCredential(overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    accessKeyId: 'ASIATESTSESSION00001',
    secretAccessKey: 'session-secret',
    sessionToken: 'session-token-1',
    expiresAt: emulator.store.clock.nowMs() + 3600_000,
    status: 'Active',
    caller: {
      kind: 'assumed-role',
      accountId: '000000000000',
      arn: 'arn:aws:sts::000000000000:assumed-role/notes-application-role/lab',
      userId: 'AROATESTROLE:lab',
      name: 'notes-application-role',
      sessionName: 'lab',
      roleArn: 'arn:aws:iam::000000000000:role/notes-application-role',
    },
    ...overrides,
  };
}

describe('SigV4 through the real SDK', () => {
  it('accepts S3 and STS requests signed with the right secret', async () => {
    const buckets = await s3().send(new ListBucketsCommand({}));
    expect(buckets.$metadata.httpStatusCode).toBe(200);
    const identity = await sts().send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('000000000000');
    expect(identity.Arn).toBe('arn:aws:iam::000000000000:root');
  });

  it('takes the region from the credential scope', async () => {
    await new STSClient({ endpoint: emulator.endpoint, region: 'eu-west-3', credentials: ROOT }).send(new GetCallerIdentityCommand({}));
    expect(emulator.store.log.list().at(-1)?.region).toBe('eu-west-3');
  });

  it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
    const wrong = { accessKeyId: 'test', secretAccessKey: 'not-the-secret' };
    const s3Error = await failure(s3(wrong).send(new ListBucketsCommand({})));
    expect(s3Error).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(s3Error.message).toContain('The request signature we calculated does not match the signature you provided.');
    expect(await failure(sts(wrong).send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
  });

  it('refuses an unknown or inactive access key', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' };
    expect(await failure(s3(unknown).send(new ListBucketsCommand({})))).toEqual({
      name: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
      status: 403,
    });
    expect(await failure(sts(unknown).send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      status: 403,
    });
    const inactive = temporaryCredential({ sessionToken: undefined, expiresAt: undefined, status: 'Inactive', accessKeyId: 'AKIAINACTIVE00000000' });
    emulator.store.credentials.add(inactive);
    expect(await failure(sts(inactive).send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('refuses a request whose clock is too far from the emulator clock', async () => {
    emulator.store.clock.advance(16 * 60);
    const s3Error = await failure(s3().send(new ListBucketsCommand({})));
    expect(s3Error).toEqual({
      name: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
      status: 403,
    });
    const stsError = await failure(sts().send(new GetCallerIdentityCommand({})));
    expect(stsError.name).toBe('SignatureDoesNotMatch');
    expect(stsError.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    emulator.store.clock.advance(-32 * 60);
    expect((await failure(sts().send(new GetCallerIdentityCommand({})))).message).toMatch(/^Signature not yet current: /);
  });

  it('accepts a skew within the allowed window', async () => {
    emulator.store.clock.advance(14 * 60);
    expect((await sts().send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
  });
});

describe('the same failures in the words of DynamoDB (JSON) and IAM (query)', () => {
  it('accept the right secret', async () => {
    expect((await dynamodb().send(new ListTablesCommand({}))).$metadata.httpStatusCode).toBe(200);
    expect((await iam().send(new ListUsersCommand({}))).$metadata.httpStatusCode).toBe(200);
  });

  it('refuse a wrong secret, an unknown key and an expired session', async () => {
    const wrong = { accessKeyId: 'test', secretAccessKey: 'wrong' };
    expect(await failure(dynamodb(wrong).send(new ListTablesCommand({})))).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
    expect(await failure(iam(wrong).send(new ListUsersCommand({})))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    const unknown = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' };
    expect(await failure(dynamodb(unknown).send(new ListTablesCommand({})))).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      status: 400,
    });
    const record = temporaryCredential({ expiresAt: emulator.store.clock.nowMs() - 1 });
    emulator.store.credentials.add(record);
    expect(await failure(dynamodb(record).send(new ListTablesCommand({})))).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
  });

  it('refuse a skewed clock and a missing signature', async () => {
    emulator.store.clock.advance(-20 * 60);
    const skewed = await failure(dynamodb().send(new ListTablesCommand({})));
    expect(skewed).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
    expect(skewed.message).toMatch(/^Signature not yet current: /);
    const unsigned = await send({
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body).toContain('MissingAuthenticationTokenException');
  });
});

describe('temporary credentials', () => {
  it('accept the session with its token and resolve the session caller', async () => {
    const record = temporaryCredential();
    emulator.store.credentials.add(record);
    const identity = await sts(record).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe('arn:aws:sts::000000000000:assumed-role/notes-application-role/lab');
  });

  it('refuse a wrong or missing session token', async () => {
    const record = temporaryCredential();
    emulator.store.credentials.add(record);
    const wrongToken = { ...record, sessionToken: 'another-token' };
    expect(await failure(sts(wrongToken).send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    expect(await failure(s3(wrongToken).send(new ListBucketsCommand({})))).toEqual({
      name: 'InvalidToken',
      message: 'The provided token is malformed or otherwise invalid.',
      status: 400,
    });
    const noToken = { accessKeyId: record.accessKeyId, secretAccessKey: record.secretAccessKey };
    expect(await failure(sts(noToken).send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('refuse a long-term key sent with a session token', async () => {
    expect(await failure(sts({ ...ROOT, sessionToken: 'stray' }).send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'InvalidClientTokenId',
    });
  });

  it('refuse an expired session with ExpiredToken', async () => {
    const record = temporaryCredential({ expiresAt: emulator.store.clock.nowMs() + 60_000 });
    emulator.store.credentials.add(record);
    await sts(record).send(new GetCallerIdentityCommand({}));
    emulator.store.clock.advance(120);
    expect(await failure(sts(record).send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
      status: 403,
    });
    expect(await failure(s3(record).send(new ListBucketsCommand({})))).toEqual({
      name: 'ExpiredToken',
      message: 'The provided token has expired.',
      status: 400,
    });
  });
});

describe('tampered requests, replayed byte for byte with one change', () => {
  it('STS: a changed body no longer matches its signature', async () => {
    const signed = await sign('sts', {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: STS_BODY,
    });
    expect((await send(signed)).status).toBe(200);
    const tampered = await send({ ...signed, body: STS_BODY.replace('2011-06-15', '2011-06-16') });
    expect(tampered.status).toBe(403);
    expect(tampered.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('S3: a changed signed header, query or date no longer matches', async () => {
    const signed = await sign('s3', { method: 'GET', path: '/', headers: { 'x-amz-request-payer': 'requester' } });
    expect((await send(signed)).status).toBe(200);
    for (const tampered of [
      { ...signed, headers: { ...signed.headers, 'x-amz-request-payer': 'owner' } },
      { ...signed, query: { 'max-buckets': '1' } },
      { ...signed, headers: { ...signed.headers, 'x-amz-date': signed.headers['x-amz-date']!.replace(/\d\dZ$/, (s) => `${(Number(s.slice(0, 2)) + 1) % 60}`.padStart(2, '0') + 'Z') } },
    ]) {
      const response = await send(tampered);
      expect(response.status).toBe(403);
      expect(response.body).toContain('<Code>SignatureDoesNotMatch</Code>');
      expect(response.body).toContain('<CanonicalRequest>');
    }
  });

  it('S3: a body that does not match x-amz-content-sha256 is refused', async () => {
    const signed = await sign('s3', { method: 'GET', path: '/', headers: {}, body: 'signed body' });
    const response = await send({ ...signed, body: 'other body!' });
    expect(response.status).toBe(400);
    expect(response.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
  });

  it('a malformed Authorization header is refused in the protocol of the service', async () => {
    const s3Response = await send({ method: 'GET', path: '/', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20150830/us-east-1/s3/aws4_request' } });
    expect(s3Response.status).toBe(400);
    expect(s3Response.body).toContain('<Code>AuthorizationHeaderMalformed</Code>');
    const stsResponse = await send({
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=test/20150830/us-east-1/sts/aws4_request' },
      body: STS_BODY,
    });
    expect(stsResponse.status).toBe(400);
    expect(stsResponse.body).toContain('<Code>IncompleteSignature</Code>');
  });
});

describe('presigned URLs', () => {
  async function presignListBuckets(expiresIn: number, credentials: Credentials = ROOT) {
    const presigned = await signer('s3', credentials).presign(
      // As @aws-sdk/s3-request-presigner does: the payload is declared unsigned.
      { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', path: '/', query: {}, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      { expiresIn },
    );
    return { method: 'GET', path: '/', query: presigned.query as Record<string, string>, headers: { host } };
  }

  it('a presigned GET works until it expires', async () => {
    const presigned = await presignListBuckets(60);
    expect(presigned.query['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
    expect((await send(presigned)).status).toBe(200);
    emulator.store.clock.advance(61);
    const expired = await send(presigned);
    expect(expired.status).toBe(403);
    expect(expired.body).toContain('<Code>AccessDenied</Code>');
    expect(expired.body).toContain('<Message>Request has expired</Message>');
  });

  it('a presigned URL with a changed parameter or another secret is refused', async () => {
    const presigned = await presignListBuckets(60);
    const longer = await send({ ...presigned, query: { ...presigned.query, 'X-Amz-Expires': '3600' } });
    expect(longer.status).toBe(403);
    expect(longer.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    const forged = await send(await presignListBuckets(60, { accessKeyId: 'test', secretAccessKey: 'guess' }));
    expect(forged.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('presigned query-protocol requests', () => {
  it('STS GetCallerIdentity as a presigned GET (the form EKS tokens use)', async () => {
    const presigned = await signer('sts').presign(
      { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host } },
      { expiresIn: 60 },
    );
    const ok = await send({ method: 'GET', path: '/', query: presigned.query as Record<string, string>, headers: { host } });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<Arn>arn:aws:iam::000000000000:root</Arn>');
    const tampered = await send({ method: 'GET', path: '/', query: { ...(presigned.query as Record<string, string>), Version: '2011-06-16' }, headers: { host } });
    expect(tampered.status).toBe(403);
    expect(tampered.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('requests without credentials', () => {
  it('are refused by S3 (no anonymous access to ListBuckets) and STS', async () => {
    const s3Response = await send({ method: 'GET', path: '/', headers: {} });
    expect(s3Response.status).toBe(403);
    expect(s3Response.body).toContain('<Code>AccessDenied</Code>');
    const stsResponse = await send({ method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: STS_BODY });
    expect(stsResponse.status).toBe(403);
    expect(stsResponse.body).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(stsResponse.body).toContain('Request is missing Authentication Token');
  });
});
