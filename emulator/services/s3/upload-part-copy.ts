import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { accessibleBucket } from './bucket-access.ts';
import { bodyStorage } from './body-storage.ts';
import { checkReadKey } from './encryption.ts';
import { existingUpload, partNumberOf } from './multipart-handlers.ts';
import { evaluateReadConditions } from './object-conditions.ts';
import { md5Etag } from './object-store.ts';
import { copySourceOf } from './s3-authorization.ts';
import { invalidArgument } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import type { UploadedPart } from './s3-state.ts';
import { readableVersion } from './versioning.ts';


/**
 * UploadPartCopy: a part taken from an existing object (or the byte range of it named by
 * x-amz-copy-source-range, `bytes=first-last`), with the x-amz-copy-source-if-* conditions
 * of CopyObject (S3 API Reference, UploadPartCopy).
 */
export const uploadPartCopyHandlers: S3Handlers = {
  UploadPartCopy: async (ctx: RequestContext): Promise<ServiceResponse> => {
    const bucket = accessibleBucket(ctx);
    const partNumber = partNumberOf(ctx);
    const upload = existingUpload(ctx, bucket);
    const header = ctx.headers['x-amz-copy-source'] ?? '';
    const source = copySourceOf(ctx);
    if (!source) throw invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', header);
    const sourceBucket = accessibleBucket(ctx, source.bucket);
    const original = readableVersion(sourceBucket, source.key, source.versionId);
    checkReadKey(ctx, original, 'x-amz-copy-source-');
    evaluateReadConditions(original, ctx.headers, 'x-amz-copy-source-');

    const storage = bodyStorage(ctx.store);
    const whole = await storage.read(original.body);
    const rangeHeader = ctx.headers['x-amz-copy-source-range'];
    let data = whole;
    if (rangeHeader !== undefined) {
      const range = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader);
      const first = Number(range?.[1]);
      const last = Number(range?.[2]);
      if (!range || first > last || last >= whole.length) {
        throw invalidArgument(`Range specified is not valid for source object of size: ${whole.length}`, 'x-amz-copy-source-range', rangeHeader);
      }
      data = whole.subarray(first, last + 1);
    }
    const part: UploadedPart = {
      partNumber,
      body: await storage.save(Buffer.from(data)),
      size: data.length,
      etag: md5Etag(data),
      lastModified: ctx.receivedAt,
      checksums: {},
    };
    const previous = upload.parts.get(partNumber);
    upload.parts.set(partNumber, part);
    if (previous) storage.release(previous.body);
    return {
      headers: sourceBucket.versions && original.versionId ? { 'x-amz-copy-source-version-id': original.versionId } : {},
      xml: { root: 'CopyPartResult', value: { '@_xmlns': S3_XMLNS, ETag: part.etag, LastModified: part.lastModified.toISOString() } },
    };
  },
};
