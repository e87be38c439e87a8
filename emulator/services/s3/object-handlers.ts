import { createHash } from 'node:crypto';
import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { accessibleBucket } from './bucket-access.ts';
import { bodyStorage } from './body-storage.ts';
import { checksumHeaders, objectHeaders } from './object-headers.ts';
import { attributesFromHeaders } from './object-metadata.ts';
import { noSuchKey } from './s3-errors.ts';
import type { S3Handlers } from './s3-handler.ts';
import type { Bucket, S3Object } from './s3-state.ts';

/** S3 limits key names to 1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

/** Single objects: write, read, describe, delete. */
export const objectHandlers: S3Handlers = {
  PutObject: putObject,
  GetObject: (ctx) => readObject(ctx, true),
  HeadObject: (ctx) => readObject(ctx, false),
  DeleteObject: deleteObject,
};

export function md5Etag(data: Buffer): string {
  return `"${createHash('md5').update(data).digest('hex')}"`;
}

export function assertKeyLength(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new ServiceError('KeyTooLongError', 'Your key is too long', 400, {
      Size: String(Buffer.byteLength(key)),
      MaxSizeAllowed: String(MAX_KEY_BYTES),
    });
  }
}

/** Content-MD5, when sent, must be the base64 MD5 of the payload. */
export function verifyContentMd5(ctx: RequestContext, data: Buffer): void {
  const sent = ctx.headers['content-md5'];
  if (sent === undefined) return;
  if (!/^[A-Za-z0-9+/]{22}==$/.test(sent)) {
    throw new ServiceError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': sent });
  }
  if (createHash('md5').update(data).digest('base64') !== sent) {
    throw new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
      ExpectedDigest: sent,
    });
  }
}

/** Stores an object, releasing the bytes of the one it replaces. */
export function storeObject(ctx: RequestContext, bucket: Bucket, object: S3Object): void {
  const previous = bucket.objects.get(object.key);
  bucket.objects.set(object.key, object);
  if (previous && previous.body !== object.body) bodyStorage(ctx.store).release(previous.body);
}

async function putObject(ctx: RequestContext): Promise<ServiceResponse> {
  const bucket = accessibleBucket(ctx);
  const key = ctx.key ?? '';
  assertKeyLength(key);
  const attributes = attributesFromHeaders(ctx.headers);
  const data = ctx.body;
  verifyContentMd5(ctx, data);
  const checksums = { ...ctx.payloadChecksums };
  const etag = md5Etag(data);
  storeObject(ctx, bucket, {
    key,
    body: await bodyStorage(ctx.store).save(data),
    size: data.length,
    etag,
    lastModified: ctx.receivedAt,
    checksums,
    ...attributes,
  });
  return { headers: { etag, ...checksumHeaders(checksums) } };
}

export function existingObject(bucket: Bucket, key: string): S3Object {
  const object = bucket.objects.get(key);
  if (!object) throw noSuchKey(key);
  return object;
}

function readObject(ctx: RequestContext, withBody: boolean): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const object = existingObject(bucket, ctx.key ?? '');
  const headers = objectHeaders(object, ctx.query);
  if (ctx.headers['x-amz-checksum-mode']?.toUpperCase() === 'ENABLED') Object.assign(headers, checksumHeaders(object.checksums));
  headers['content-length'] = String(object.size);
  if (!withBody) return { headers };
  return { headers, body: bodyStorage(ctx.store).stream(object.body) };
}

function deleteObject(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const object = bucket.objects.get(ctx.key ?? '');
  if (object) {
    bucket.objects.delete(object.key);
    bodyStorage(ctx.store).release(object.body);
  }
  // Deleting a key that does not exist succeeds: S3 deletes are idempotent.
  return { status: 204 };
}
