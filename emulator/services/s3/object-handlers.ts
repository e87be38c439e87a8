import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { accessibleBucket } from './bucket-access.ts';
import { bodyStorage } from './body-storage.ts';
import { parseRange } from './byte-range.ts';
import { copyObject } from './copy-object.ts';
import { deleteObjects } from './delete-objects.ts';
import { checkWriteConditions, evaluateReadConditions } from './object-conditions.ts';
import { checksumHeaders, objectHeaders } from './object-headers.ts';
import { attributesFromHeaders } from './object-metadata.ts';
import { assertKeyLength, md5Etag, storeObject, verifyContentMd5 } from './object-store.ts';
import { checkReadKey, encryptionForWrite, encryptionHeaders } from './encryption.ts';
import { deleteCurrent, deleteVersion, readableVersion, versionHeader } from './versioning.ts';
import { withKeyLock } from './key-locks.ts';
import { assertBypassApplicable, assertVersionDeletable, lockForWrite, lockHeaders, requireIntegrityForLock } from './object-lock.ts';
import { assertAclAllowed } from './acl-handlers.ts';
import { tagsFromHeader } from './object-tagging-handlers.ts';
import type { S3Handlers } from './s3-handler.ts';

/** Single objects: write, read, describe, copy, delete (one or many). */
export const objectHandlers: S3Handlers = {
  PutObject: putObject,
  GetObject: (ctx) => readObject(ctx, true),
  HeadObject: (ctx) => readObject(ctx, false),
  CopyObject: copyObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
};

async function putObject(ctx: RequestContext): Promise<ServiceResponse> {
  const bucket = accessibleBucket(ctx);
  const key = ctx.key ?? '';
  assertKeyLength(key);
  const attributes = attributesFromHeaders(ctx.headers);
  const data = ctx.body;
  verifyContentMd5(ctx, data);
  const checksums = { ...ctx.payloadChecksums };
  const etag = md5Etag(data);
  const encryption = encryptionForWrite(ctx, bucket);
  assertAclAllowed(ctx, bucket);
  const tags = tagsFromHeader(ctx);
  const lock = lockForWrite(ctx, bucket);
  requireIntegrityForLock(ctx, lock, 'Put Object');
  // Condition check and store under one per-key lock: saving a large body awaits a file write.
  const versionId = await withKeyLock(ctx.store, bucket.name, key, async () => {
    checkWriteConditions(bucket.objects.get(key), ctx.headers);
    const body = await bodyStorage(ctx.store).save(data);
    return storeObject(ctx, bucket, { key, body, size: data.length, etag, lastModified: ctx.receivedAt, checksums, encryption, tags, ...lock, ...attributes });
  });
  return { headers: { etag, ...checksumHeaders(checksums), ...encryptionHeaders(encryption), ...versionHeader(bucket, versionId) } };
}

function readObject(ctx: RequestContext, withBody: boolean): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const object = readableVersion(bucket, ctx.key ?? '', ctx.query.get('versionId') ?? undefined);
  checkReadKey(ctx, object);
  const headers = {
    ...objectHeaders(object, ctx.query),
    ...encryptionHeaders(object.encryption),
    ...versionHeader(bucket, object.versionId),
    ...lockHeaders(ctx, bucket, object),
  };
  if (object.tags?.length) headers['x-amz-tagging-count'] = String(object.tags.length);
  if (evaluateReadConditions(object, ctx.headers) === 'not-modified') {
    // 304 carries the validators and no body.
    return { status: 304, headers: { etag: object.etag, 'last-modified': headers['last-modified']! } };
  }
  const range = parseRange(ctx.headers.range, object.size);
  // A checksum describes the whole object, so S3 sends it only with the whole object.
  if (!range && ctx.headers['x-amz-checksum-mode']?.toUpperCase() === 'ENABLED') {
    Object.assign(headers, checksumHeaders(object.checksums));
  }
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${object.size}`;
  headers['content-length'] = String(range ? range.end - range.start + 1 : object.size);
  const status = range ? 206 : 200;
  if (!withBody) return { status, headers };
  return { status, headers, body: bodyStorage(ctx.store).stream(object.body, range) };
}

function deleteObject(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  assertBypassApplicable(ctx, bucket);
  const key = ctx.key ?? '';
  const versionId = ctx.query.get('versionId');
  // Deleting a key or version that does not exist succeeds: S3 deletes are idempotent. Without a
  // version id a versioned bucket only gains a delete marker, which no lock prevents; a version
  // named is deleted for good, which Object Lock refuses while it holds (object-lock.ts).
  const outcome =
    versionId === null
      ? deleteCurrent(ctx, bucket, key)
      : deleteVersion(ctx, bucket, key, versionId, (object) => assertVersionDeletable(ctx, bucket, object));
  return {
    status: 204,
    headers: {
      ...(outcome.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
      ...(outcome.versionId !== undefined ? { 'x-amz-version-id': outcome.versionId } : {}),
    },
  };
}
