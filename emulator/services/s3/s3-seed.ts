import { DEFAULT_ACCOUNT, OTHER_ACCOUNT } from '../../core/identity.ts';
import type { Store } from '../../core/store.ts';
import { isSendableHeader } from '../../protocols/header-values.ts';
import { bodyStorage } from './body-storage.ts';
import { newBucket } from './bucket-handlers.ts';
import { bucketNameProblem } from './bucket-names.ts';
import { copyAttributes, DEFAULT_CONTENT_TYPE } from './object-metadata.ts';
import { md5Etag } from './object-store.ts';
import { s3State, type Bucket } from './s3-state.ts';

/**
 * Names a student is likely to try first. Another account owns them, as on AWS where the
 * obvious names are long taken, so HeadBucket answers 403 and the lab's "owned by someone
 * else" branch is reachable.
 */
export const TAKEN_BUCKET_NAMES: readonly string[] = [
  'notes-bucket',
  'my-bucket',
  'mybucket',
  'test-bucket',
  'testbucket',
  'example-bucket',
  'demo-bucket',
  'sample-bucket',
  'bucket',
  'my-test-bucket',
  'my-notes-bucket',
  'website-bucket',
  'my-website-bucket',
  'data-bucket',
  'backup-bucket',
  'logs-bucket',
];

/** Built-in state after every start and reset. Also drops the previous state's body files. */
export function seedS3(store: Store): void {
  bodyStorage(store).clear();
  const buckets = s3State(store).buckets;
  const createdAt = new Date(Date.UTC(2015, 2, 1));
  for (const name of TAKEN_BUCKET_NAMES) buckets.set(name, newBucket(name, OTHER_ACCOUNT, 'us-east-1', createdAt));
}

interface BucketSeed {
  name: string;
  account: string;
  region: string;
  objects: Array<{ key: string; body: string; contentType: string; metadata: Record<string, string> }>;
}

/**
 * The control API's S3 seed: `{ "buckets": [{ "name", "account"?, "region"?, "objects"?: [{ "key", "body"?,
 * "contentType"?, "metadata"? }] }] }`. Validates everything before changing anything; a seeded
 * bucket replaces any bucket of that name.
 */
export function applyS3Seed(store: Store, seed: unknown): void {
  const parsed = parseSeed(seed);
  const state = s3State(store);
  const now = store.clock.now();
  for (const entry of parsed) {
    const bucket = newBucket(entry.name, entry.account, entry.region, now);
    for (const object of entry.objects) {
      const data = Buffer.from(object.body, 'utf8');
      bucket.objects.set(object.key, {
        key: object.key,
        body: { kind: 'memory', data },
        size: data.length,
        etag: md5Etag(data),
        lastModified: now,
        contentType: object.contentType,
        metadata: object.metadata,
        checksums: {},
      });
    }
    const previous = state.buckets.get(entry.name);
    if (previous) releaseBodies(store, previous);
    state.buckets.set(entry.name, bucket);
  }
}

function releaseBodies(store: Store, bucket: Bucket): void {
  const storage = bodyStorage(store);
  for (const object of bucket.objects.values()) storage.release(object.body);
  for (const upload of bucket.uploads.values()) for (const part of upload.parts.values()) storage.release(part.body);
}

function parseSeed(seed: unknown): BucketSeed[] {
  if (!isRecord(seed)) throw new Error('s3 seed must be an object like {"buckets": [{"name": "..."}]}');
  const unknownKeys = Object.keys(seed).filter((key) => key !== 'buckets');
  if (unknownKeys.length > 0) throw new Error(`s3 seed: unknown field(s) ${unknownKeys.join(', ')}; only "buckets" is accepted`);
  if (!Array.isArray(seed.buckets)) throw new Error('s3 seed: "buckets" must be an array');
  return seed.buckets.map((raw: unknown, index: number) => {
    const where = `s3 seed: buckets[${index}]`;
    if (!isRecord(raw) || typeof raw.name !== 'string') throw new Error(`${where} must be an object with a string "name"`);
    const problem = bucketNameProblem(raw.name);
    if (problem) throw new Error(`${where}: bucket name ${JSON.stringify(raw.name)} ${problem}`);
    const account = raw.account ?? DEFAULT_ACCOUNT;
    if (typeof account !== 'string' || !/^\d{12}$/.test(account)) throw new Error(`${where}: "account" must be a 12-digit account id`);
    const region = raw.region ?? 'us-east-1';
    if (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
      throw new Error(`${where}: "region" must be a region name like eu-west-1`);
    }
    const objects = raw.objects ?? [];
    if (!Array.isArray(objects)) throw new Error(`${where}: "objects" must be an array`);
    return {
      name: raw.name,
      account,
      region,
      objects: objects.map((object: unknown, objectIndex: number) => parseObjectSeed(object, `${where}.objects[${objectIndex}]`)),
    };
  });
}

function parseObjectSeed(raw: unknown, where: string): BucketSeed['objects'][number] {
  if (!isRecord(raw) || typeof raw.key !== 'string' || raw.key === '') throw new Error(`${where} must have a non-empty string "key"`);
  const body = raw.body ?? '';
  if (typeof body !== 'string') throw new Error(`${where}: "body" must be a string`);
  const contentType = raw.contentType ?? DEFAULT_CONTENT_TYPE;
  if (typeof contentType !== 'string' || !isSendableHeader('content-type', contentType)) {
    throw new Error(`${where}: "contentType" must be a string that is a valid HTTP header value (no CR, LF or other control characters)`);
  }
  const metadata = raw.metadata ?? {};
  if (!isRecord(metadata) || Object.values(metadata).some((value) => typeof value !== 'string')) {
    throw new Error(`${where}: "metadata" must be an object of strings`);
  }
  const lowerCased = Object.fromEntries(Object.entries(metadata as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
  // Metadata comes back as x-amz-meta-<name> headers: a value Node cannot send would break every GET of the object.
  for (const [name, value] of Object.entries(lowerCased)) {
    if (!isSendableHeader(`x-amz-meta-${name}`, value)) {
      throw new Error(`${where}: metadata ${JSON.stringify(name)} must be a valid HTTP header name and value (no CR, LF or other control characters)`);
    }
  }
  return { key: raw.key, body, contentType, metadata: lowerCased };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The control API's state dump: every bucket with its objects and configuration, for checks. */
export function dumpS3(store: Store): unknown {
  const buckets = [...s3State(store).buckets.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    buckets: buckets.map((bucket) => ({
      name: bucket.name,
      ownerAccount: bucket.ownerAccount,
      region: bucket.region,
      createdAt: bucket.createdAt.toISOString(),
      objects: [...bucket.objects.values()]
        .sort((a, b) => (a.key < b.key ? -1 : 1))
        .map((object) => ({
          key: object.key,
          size: object.size,
          etag: object.etag,
          lastModified: object.lastModified.toISOString(),
          ...copyAttributes(object),
          checksums: object.checksums,
          tags: object.tags,
          ...(object.retention ? { retention: { mode: object.retention.mode, retainUntil: object.retention.retainUntil.toISOString() } } : {}),
          ...(object.legalHold ? { legalHold: object.legalHold } : {}),
        })),
      multipartUploads: [...bucket.uploads.values()].map((upload) => ({
        uploadId: upload.uploadId,
        key: upload.key,
        initiatedAt: upload.initiatedAt.toISOString(),
        parts: upload.parts.size,
      })),
      website: bucket.website,
      policy: bucket.policy,
      publicAccessBlock: bucket.publicAccessBlock,
      tags: bucket.tags,
      cors: bucket.cors,
      versioning: bucket.versioning,
      encryption: bucket.encryption,
      lifecycle: bucket.lifecycle,
      ownershipControls: bucket.ownershipControls,
      objectLock: bucket.objectLock,
    })),
  };
}
