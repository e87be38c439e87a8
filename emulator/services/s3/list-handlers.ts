import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { accessibleBucket, ownerElement } from './bucket-access.ts';
import { invalidArgument } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import type { Bucket, S3Object } from './s3-state.ts';

const DEFAULT_MAX_KEYS = 1000;

/** Listing a bucket's keys: ListObjectsV2 (continuation tokens) and the original ListObjects (markers). */
export const listHandlers: S3Handlers = {
  ListObjectsV2: listObjectsV2,
  ListObjects: listObjectsV1,
};

interface ListPage {
  contents: S3Object[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last?: string;
}

/**
 * One page of a listing: keys after `marker` under `prefix`, keys sharing the part up to the
 * next `delimiter` rolled into one common prefix; keys and prefixes together count towards maxKeys.
 */
export function listPage(bucket: Bucket, prefix: string, delimiter: string, marker: string, maxKeys: number): ListPage {
  const keys = [...bucket.objects.keys()].filter((key) => key.startsWith(prefix) && compareKeys(key, marker) > 0).sort(compareKeys);
  const page: ListPage = { contents: [], commonPrefixes: [], isTruncated: false };
  let count = 0;
  for (const key of keys) {
    const commonPrefix = delimiter ? commonPrefixOf(key, prefix, delimiter) : undefined;
    // A prefix at or before the marker was returned on an earlier page, with every key under it.
    if (commonPrefix !== undefined && (compareKeys(commonPrefix, marker) <= 0 || commonPrefix === page.last)) continue;
    if (count === maxKeys) {
      page.isTruncated = true;
      break;
    }
    if (commonPrefix !== undefined) {
      page.commonPrefixes.push(commonPrefix);
      page.last = commonPrefix;
    } else {
      page.contents.push(bucket.objects.get(key)!);
      page.last = key;
    }
    count += 1;
  }
  return page;
}

function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}

/** S3 lists in UTF-8 binary order. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function maxKeysOf(ctx: RequestContext): number {
  const raw = ctx.query.get('max-keys');
  if (raw === null) return DEFAULT_MAX_KEYS;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', raw);
  }
  // S3 never returns more than 1000 keys in one page, whatever was asked.
  return Math.min(value, DEFAULT_MAX_KEYS);
}

function encoderOf(ctx: RequestContext): (value: string) => string {
  const encodingType = ctx.query.get('encoding-type');
  if (encodingType === null) return (value) => value;
  if (encodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  // Keys may hold characters XML 1.0 cannot carry. S3 form-encodes (space as '+', which
  // botocore's unquote_plus reverses) and leaves '/' readable.
  return (value) => encodeURIComponent(value).replace(/%2F/g, '/').replace(/%20/g, '+');
}

function contentsElement(object: S3Object, encode: (value: string) => string, withOwner: boolean, ownerAccount: string) {
  return {
    Key: encode(object.key),
    LastModified: object.lastModified.toISOString(),
    ETag: object.etag,
    ...(Object.keys(object.checksums).length > 0 ? { ChecksumAlgorithm: Object.keys(object.checksums) } : {}),
    Size: object.size,
    ...(withOwner ? { Owner: ownerElement(ownerAccount) } : {}),
    StorageClass: 'STANDARD',
  };
}

function listObjectsV2(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const maxKeys = maxKeysOf(ctx);
  const encode = encoderOf(ctx);
  const startAfter = ctx.query.get('start-after') ?? undefined;
  const token = ctx.query.get('continuation-token') ?? undefined;
  const resumeAfter = token !== undefined ? decodeToken(token) : undefined;
  const marker = [resumeAfter ?? '', startAfter ?? ''].reduce((a, b) => (compareKeys(a, b) >= 0 ? a : b));
  const page = listPage(bucket, prefix, delimiter, marker, maxKeys);
  return {
    xml: {
      root: 'ListBucketResult',
      value: {
        '@_xmlns': S3_XMLNS,
        Name: bucket.name,
        Prefix: encode(prefix),
        ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
        MaxKeys: maxKeys,
        ...(ctx.query.has('encoding-type') ? { EncodingType: 'url' } : {}),
        KeyCount: page.contents.length + page.commonPrefixes.length,
        IsTruncated: page.isTruncated,
        ...(token !== undefined ? { ContinuationToken: token } : {}),
        ...(page.isTruncated && page.last !== undefined ? { NextContinuationToken: encodeToken(page.last) } : {}),
        ...(startAfter !== undefined ? { StartAfter: encode(startAfter) } : {}),
        Contents: page.contents.map((o) => contentsElement(o, encode, ctx.query.get('fetch-owner') === 'true', bucket.ownerAccount)),
        CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
      },
    },
  };
}

function listObjectsV1(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const marker = ctx.query.get('marker') ?? '';
  const maxKeys = maxKeysOf(ctx);
  const encode = encoderOf(ctx);
  const page = listPage(bucket, prefix, delimiter, marker, maxKeys);
  return {
    xml: {
      root: 'ListBucketResult',
      value: {
        '@_xmlns': S3_XMLNS,
        Name: bucket.name,
        Prefix: encode(prefix),
        Marker: encode(marker),
        // S3 sends NextMarker only with a delimiter; without one, clients continue from the last key.
        ...(page.isTruncated && delimiter && page.last !== undefined ? { NextMarker: encode(page.last) } : {}),
        MaxKeys: maxKeys,
        ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
        ...(ctx.query.has('encoding-type') ? { EncodingType: 'url' } : {}),
        IsTruncated: page.isTruncated,
        Contents: page.contents.map((o) => contentsElement(o, encode, true, bucket.ownerAccount)),
        CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
      },
    },
  };
}

/** Continuation tokens are opaque to clients; ours carry the last key or prefix returned. */
function encodeToken(last: string): string {
  return Buffer.from(JSON.stringify({ after: last })).toString('base64');
}

function decodeToken(token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const after = (parsed as { after?: unknown }).after;
    if (typeof after === 'string') return after;
  } catch {
    // fall through: not one of ours
  }
  throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}
