import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../emulator/core/identity.ts';
import { startEmulator, type RunningEmulator } from '../emulator/server.ts';
import { dumpDynamoDb } from '../emulator/services/dynamodb/dynamodb-dump.ts';
import { createRole } from '../emulator/services/iam/roles.ts';
import { createUser } from '../emulator/services/iam/users.ts';
import { accountState } from '../emulator/services/iam/iam-state.ts';
import { DYNAMODB_MODEL_OPERATIONS } from '../emulator/services/dynamodb/dynamodb-operations.ts';
import { IAM_OPERATIONS } from '../emulator/services/iam/iam-operations.ts';
import { S3_ROUTES, WIRE_ALIASES } from '../emulator/services/s3/operations.ts';
import { STS_OPERATIONS } from '../emulator/services/sts/sts-operations.ts';
import { S3_ACTIONS } from '../emulator/services/s3/s3-authorization.ts';
import { resourceKindOf } from '../emulator/services/s3/s3-actions.ts';
import { applyS3Seed } from '../emulator/services/s3/s3-seed.ts';
import { s3State } from '../emulator/services/s3/s3-state.ts';
import { Sha256 } from '../emulator/sigv4/sigv4-test-support.ts';

/**
 * Every operation of botocore's S3, IAM, STS and DynamoDB models, sent to the emulator
 * as botocore itself serializes it, must be served as itself or answered 501
 * NotImplemented naming it, and must change no state it did not ask to change.
 *
 * The operation list is read from the installed botocore at test time (the python3
 * with moto that CI requires for the conformance suite has it): a checked-in fixture
 * would go stale silently when botocore adds operations, which is exactly when the
 * router needs to learn them. botocore's own serializer builds each request from the
 * operation's required parameters, so the method, URI, sub-resource and required
 * headers are AWS's, not our reading of them.
 */
const BUCKET = 'routing-bucket';
const KEY = 'routing-key';

interface WireRequest {
  service: 's3' | 'iam' | 'sts' | 'dynamodb';
  signingName: string;
  operation: string;
  deprecated: boolean;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  /** base64 */
  body: string;
}

function botocoreRequests(): { botocoreVersion: string; requests: WireRequest[] } {
  try {
    const output = execFileSync('python3', ['scripts/conformance/botocore-requests.py', BUCKET, KEY], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(output) as { botocoreVersion: string; requests: WireRequest[] };
  } catch (error) {
    throw new Error(
      `could not read botocore's service models through python3 (install moto, which brings botocore: pip install "moto[server]"): ${String(error)}`,
    );
  }
}

const { botocoreVersion, requests } = botocoreRequests();

/** Requests that only read: they must change nothing at all. */
const READ_ONLY = /^(Get|List|Head|Describe|Select|Simulate|Decode|Query|Scan|BatchGet)/;

/**
 * Where each state-changing S3 operation may change state (paths in the snapshot below).
 * An operation not listed changes nothing; in particular no configuration call may touch
 * the bucket's existence or its objects, and no object sub-resource call its bytes.
 */
const bucketPath = `s3.buckets.${BUCKET}`;
const objectPath = `${bucketPath}.objects.${KEY}`;
const S3_MAY_CHANGE: Record<string, string[]> = {
  CreateBucket: [bucketPath],
  DeleteBucket: [bucketPath],
  PutObject: [objectPath, `${bucketPath}.versions`],
  CopyObject: [objectPath, `${bucketPath}.versions`],
  DeleteObject: [objectPath, `${bucketPath}.versions`],
  DeleteObjects: [objectPath, `${bucketPath}.versions`],
  CompleteMultipartUpload: [objectPath, `${bucketPath}.versions`, `${bucketPath}.uploads`],
  CreateMultipartUpload: [`${bucketPath}.uploads`],
  UploadPart: [`${bucketPath}.uploads`],
  UploadPartCopy: [`${bucketPath}.uploads`],
  AbortMultipartUpload: [`${bucketPath}.uploads`],
  PutObjectTagging: [`${objectPath}.tags`],
  DeleteObjectTagging: [`${objectPath}.tags`],
  PutObjectAcl: [`${objectPath}.acl`],
  // Object Lock: the bucket's configuration (and the versioning it turns on); a version's lock, which a versioned bucket also holds in `versions`.
  PutObjectLockConfiguration: [`${bucketPath}.objectLock`, `${bucketPath}.versioning`, `${bucketPath}.versions`],
  PutObjectRetention: [`${objectPath}.retention`, `${bucketPath}.versions`],
  PutObjectLegalHold: [`${objectPath}.legalHold`, `${bucketPath}.versions`],
  PutBucketWebsite: [`${bucketPath}.website`],
  DeleteBucketWebsite: [`${bucketPath}.website`],
  PutBucketPolicy: [`${bucketPath}.policy`],
  DeleteBucketPolicy: [`${bucketPath}.policy`],
  PutPublicAccessBlock: [`${bucketPath}.publicAccessBlock`],
  DeletePublicAccessBlock: [`${bucketPath}.publicAccessBlock`],
  PutBucketTagging: [`${bucketPath}.tags`],
  DeleteBucketTagging: [`${bucketPath}.tags`],
  PutBucketCors: [`${bucketPath}.cors`],
  DeleteBucketCors: [`${bucketPath}.cors`],
  PutBucketVersioning: [`${bucketPath}.versioning`],
  PutBucketEncryption: [`${bucketPath}.encryption`],
  DeleteBucketEncryption: [`${bucketPath}.encryption`],
  PutBucketLifecycleConfiguration: [`${bucketPath}.lifecycle`],
  DeleteBucketLifecycle: [`${bucketPath}.lifecycle`],
  PutBucketOwnershipControls: [`${bucketPath}.ownershipControls`],
  DeleteBucketOwnershipControls: [`${bucketPath}.ownershipControls`],
  PutBucketAcl: [`${bucketPath}.acl`],
};

/** All state as plain JSON (Maps to objects, bytes to their hash), for before/after comparison. */
function plain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]));
  if (value instanceof Set) return [...value].map(plain).sort();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `bytes:${createHash('sha256').update(value).digest('hex')}`;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v !== 'function').map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

async function snapshot(emulator: RunningEmulator): Promise<Record<string, unknown>> {
  const store = emulator.store;
  return {
    s3: plain(s3State(store)),
    iam: plain(store.serviceState('iam', () => ({}))),
    dynamodb: await dumpDynamoDb(store),
  };
}

/** Paths (dot-joined) where two snapshots differ. */
function changedPaths(before: unknown, after: unknown, path = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(before) || !isObject(after)) return [path];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) => changedPaths(a[key], b[key], path ? `${path}.${key}` : key));
}

function within(path: string, allowed: string[]): boolean {
  return allowed.some((prefix) => path === prefix || path.startsWith(`${prefix}.`));
}

/** A known starting point: a bucket with an object and configuration, an IAM user and role. */
function seed(emulator: RunningEmulator): void {
  const store = emulator.store;
  store.reset();
  applyS3Seed(store, { buckets: [{ name: BUCKET, objects: [{ key: KEY, body: 'original bytes' }, { key: 'other-key', body: 'other' }] }] });
  const bucket = s3State(store).buckets.get(BUCKET)!;
  bucket.tags = [{ Key: 'team', Value: 'routing' }];
  bucket.website = { indexDocument: 'index.html' };
  bucket.cors = [{ allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] }];
  const iam = accountState(store, DEFAULT_ACCOUNT);
  createUser(iam, 'routing', '/', store.clock.now());
  createRole(iam, { name: 'routing', trustPolicy: '{"Version":"2012-10-17","Statement":[]}' }, store.clock.now());
}

async function send(emulator: RunningEmulator, request: WireRequest): Promise<{ status: number; text: string }> {
  const url = new URL(request.path, emulator.endpoint);
  if (request.query) url.search = url.search ? `${url.search}&${request.query}` : `?${request.query}`;
  const body = Buffer.from(request.body, 'base64');
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const headers: Record<string, string> = { host: url.host, ...request.headers };
  if (request.service === 's3') headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
  if ((request.service === 'iam' || request.service === 'sts') && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
  }
  const signer = new SignatureV4({
    service: request.signingName,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    sha256: Sha256,
    uriEscapePath: request.service !== 's3',
  });
  const signed = await signer.sign({ method: request.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers, body });
  const response = await fetch(url, {
    method: request.method,
    headers: signed.headers,
    body: body.length > 0 ? body : undefined,
  });
  return { status: response.status, text: await response.text() };
}

describe(`every operation of botocore ${botocoreVersion}'s S3, IAM, STS and DynamoDB models routes to itself`, () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it('reads a model with every service in it', () => {
    for (const service of ['s3', 'iam', 'sts', 'dynamodb']) {
      expect(requests.filter((r) => r.service === service).length, service).toBeGreaterThan(5);
    }
  });

  it('knows every S3 operation of the model: a route, an IAM action, or a documented wire alias', () => {
    const routed = new Set(S3_ROUTES.map((route) => route.name).concat('WriteGetObjectResponse'));
    for (const { operation } of requests.filter((r) => r.service === 's3')) {
      const name = WIRE_ALIASES[operation] ?? operation;
      expect(routed.has(name), `${operation} has no route in operations.ts`).toBe(true);
      expect(S3_ACTIONS[name], `${operation} has no IAM action in s3-authorization.ts`).toBeDefined();
    }
  });

  it('lists exactly the IAM, STS and DynamoDB operations of the model (501 for those, the service 400 for other names)', () => {
    const modelOf = (service: string) => requests.filter((r) => r.service === service).map((r) => r.operation).sort();
    expect([...IAM_OPERATIONS].sort()).toEqual(modelOf('iam'));
    expect([...STS_OPERATIONS].sort()).toEqual(modelOf('sts'));
    expect([...DYNAMODB_MODEL_OPERATIONS].sort()).toEqual(modelOf('dynamodb'));
  });

  it('gives every S3 IAM action the resource kind the bucket policy validator knows it by', () => {
    for (const [operation, [action, scope, versionAction]] of Object.entries(S3_ACTIONS)) {
      if (!action.startsWith('s3:')) continue;
      const expected = scope === 'service' ? 'account' : scope;
      expect(resourceKindOf(action.slice(3)), `${operation}: ${action}`).toBe(expected);
      if (versionAction) expect(resourceKindOf(versionAction.slice(3)), `${operation}: ${versionAction}`).toBe(expected);
    }
  });

  for (const request of requests) {
    const served = WIRE_ALIASES[request.operation] ?? request.operation;
    const title = `${request.service} ${request.operation}${served !== request.operation ? ` (the same request as ${served})` : ''}`;
    it(title, async () => {
      seed(emulator);
      const before = await snapshot(emulator);
      const response = await send(emulator, request);
      const after = await snapshot(emulator);
      const logged = emulator.store.log.list().at(-1);

      if (response.status === 501) {
        expect(response.text).toContain('NotImplemented');
        expect(response.text).toContain(served);
      } else {
        expect(logged?.operation, `served as ${logged?.operation}: ${response.status} ${response.text.slice(0, 300)}`).toBe(served);
      }

      const changed = changedPaths(before, after);
      const readOnly = response.status >= 300 || READ_ONLY.test(served);
      const allowed = readOnly
        ? []
        : request.service === 's3'
          ? S3_MAY_CHANGE[served] ?? []
          : // IAM, STS and DynamoDB route by the operation's own name; a write changes only its own service's state.
            [request.service];
      const unexpected = changed.filter((path) => !within(path, allowed));
      expect(unexpected, `${served} (status ${response.status}) changed state it did not ask to change`).toEqual([]);
    });
  }
});
