import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { asArray, malformedXml, parseXml } from '../../protocols/xml.ts';
import { accessibleBucket } from './bucket-access.ts';
import { bodyStorage } from './body-storage.ts';
import { verifyContentMd5 } from './object-store.ts';
import { invalidRequest } from './s3-errors.ts';
import { S3_XMLNS } from './s3-handler.ts';

/** DeleteObjects takes at most this many keys. */
const MAX_KEYS = 1000;

/**
 * DeleteObjects: up to 1000 keys in one request, each reported as Deleted or Error
 * (Quiet mode reports only errors). S3 insists on an integrity check of the body:
 * Content-MD5, or (since flexible checksums) an x-amz-checksum-* header.
 */
export function deleteObjects(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const hasChecksum = Object.keys(ctx.headers).some((name) => /^x-amz-checksum-(crc32c?|crc64nvme|sha1|sha256)$/.test(name));
  if (ctx.headers['content-md5'] === undefined && !hasChecksum) {
    throw invalidRequest('Missing required header for this request: Content-MD5');
  }
  verifyContentMd5(ctx, ctx.body);
  const request = parseXml(ctx.body).Delete;
  if (typeof request !== 'object' || request === null) throw malformedXml();
  const { Object: entries, Quiet } = request as { Object?: unknown; Quiet?: unknown };
  const objects = asArray(entries as Array<{ Key?: unknown; VersionId?: unknown }> | undefined);
  if (objects.length === 0 || objects.length > MAX_KEYS) throw malformedXml();
  const quiet = String(Quiet).toLowerCase() === 'true';

  const storage = bodyStorage(ctx.store);
  const deleted: Array<Record<string, string>> = [];
  const errors: Array<Record<string, string>> = [];
  for (const entry of objects) {
    const key = entry?.Key;
    if (typeof key !== 'string') throw malformedXml();
    if (entry.VersionId !== undefined && entry.VersionId !== 'null') {
      // Buckets here are never versioned, so no other version id can exist.
      errors.push({ Key: key, VersionId: String(entry.VersionId), Code: 'NoSuchVersion', Message: 'The specified version does not exist.' });
      continue;
    }
    const object = bucket.objects.get(key);
    if (object) {
      bucket.objects.delete(key);
      storage.release(object.body);
    }
    // A key that does not exist is reported as deleted: deletes are idempotent.
    deleted.push({ Key: key });
  }
  return {
    xml: {
      root: 'DeleteResult',
      value: { '@_xmlns': S3_XMLNS, Deleted: quiet ? [] : deleted, Error: errors },
    },
  };
}

