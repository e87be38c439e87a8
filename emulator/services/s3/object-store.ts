import { createHash } from 'node:crypto';
import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { bodyStorage } from './body-storage.ts';
import { noSuchBucket, noSuchKey } from './s3-errors.ts';
import { s3State, type Bucket, type S3Object } from './s3-state.ts';
import { putVersion } from './versioning.ts';

/** Helpers every object-writing operation shares: ETags, key limits, Content-MD5, replacing an object. */

/** S3 limits key names to 1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

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

/**
 * Stores an object as its key's current version; returns the version id to report (undefined
 * while the bucket's versioning was never configured). A write that awaited
 * (a large body, a multipart join) may find its bucket deleted or the state reset
 * meanwhile: then its bytes are freed and the answer is NoSuchBucket, not an object
 * kept in a bucket nobody can reach.
 */
export function storeObject(ctx: RequestContext, bucket: Bucket, object: S3Object): string | undefined {
  if (s3State(ctx.store).buckets.get(bucket.name) !== bucket) {
    bodyStorage(ctx.store).release(object.body);
    throw noSuchBucket(bucket.name);
  }
  // The key's current version: replacing (and freeing) the previous object unless the bucket keeps versions.
  return putVersion(ctx, bucket, object);
}

export function existingObject(bucket: Bucket, key: string): S3Object {
  const object = bucket.objects.get(key);
  if (!object) throw noSuchKey(key);
  return object;
}
