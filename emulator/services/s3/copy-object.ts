import { createHash } from 'node:crypto';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { accessibleBucket } from './bucket-access.ts';
import { bodyStorage } from './body-storage.ts';
import { evaluateReadConditions } from './object-conditions.ts';
import { attributesFromHeaders, copyAttributes } from './object-metadata.ts';
import { withKeyLock } from './key-locks.ts';
import { assertKeyLength, storeObject } from './object-store.ts';
import { checkReadKey, encryptionForWrite, encryptionHeaders } from './encryption.ts';
import { readableVersion, versionHeader } from './versioning.ts';
import { lockForWrite } from './object-lock.ts';
import { copySourceOf } from './s3-authorization.ts';
import { invalidArgument, invalidRequest } from './s3-errors.ts';
import { S3_XMLNS } from './s3-handler.ts';
import type { Bucket, S3Object } from './s3-state.ts';

/**
 * CopyObject: a server-side copy named by x-amz-copy-source. Metadata is copied
 * (x-amz-metadata-directive COPY, the default) or taken from this request (REPLACE).
 */
export async function copyObject(ctx: RequestContext): Promise<ServiceResponse> {
  const source = copySourceOf(ctx);
  const header = ctx.headers['x-amz-copy-source'] ?? '';
  if (!source) {
    throw invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', header);
  }
  const directive = (ctx.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  }
  const target = accessibleBucket(ctx);
  const key = ctx.key ?? '';
  assertKeyLength(key);
  // Serialized with the other writes of the target key (see key-locks.ts): the source is
  // looked up inside, so a copy onto itself cannot race an overwrite of the same key.
  const { copy, sourceVersionId } = await withKeyLock(ctx.store, target.name, key, () => copyUnderLock(ctx, source, directive, target, key));
  return {
    headers: {
      ...encryptionHeaders(copy.encryption),
      ...versionHeader(target, copy.versionId),
      ...(sourceVersionId !== undefined ? { 'x-amz-copy-source-version-id': sourceVersionId } : {}),
    },
    xml: {
      root: 'CopyObjectResult',
      value: {
        '@_xmlns': S3_XMLNS,
        ETag: copy.etag,
        LastModified: copy.lastModified.toISOString(),
        ...Object.fromEntries(Object.entries(copy.checksums).map(([algorithm, value]) => [`Checksum${algorithm}`, value])),
      },
    },
  };
}

async function copyUnderLock(
  ctx: RequestContext,
  source: { bucket: string; key: string; versionId?: string },
  directive: string,
  target: Bucket,
  key: string,
): Promise<{ copy: S3Object; sourceVersionId?: string }> {
  const sourceBucket = accessibleBucket(ctx, source.bucket);
  // The current version, or the one named by ?versionId= in x-amz-copy-source; an SSE-C source needs its key.
  const original = readableVersion(sourceBucket, source.key, source.versionId);
  checkReadKey(ctx, original, 'x-amz-copy-source-');
  evaluateReadConditions(original, ctx.headers, 'x-amz-copy-source-');

  const ontoItself = sourceBucket === target && source.key === key;
  const changesSomething = ['x-amz-storage-class', 'x-amz-website-redirect-location', 'x-amz-server-side-encryption'].some(
    (name) => ctx.headers[name] !== undefined,
  );
  if (ontoItself && directive === 'COPY' && !changesSomething) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }

  const storage = bodyStorage(ctx.store);
  const attributes = directive === 'REPLACE' ? attributesFromHeaders(ctx.headers) : copyAttributes(original);
  // duplicate() opens the source before it awaits: a concurrent delete of the source cannot take the bytes away.
  const body = ontoItself ? original.body : await storage.duplicate(original.body);
  // A copy is a new single-part object: a multipart source's "-N" ETag and composite checksums do not carry over.
  const multipartSource = original.etag.includes('-');
  const written: S3Object = {
    key,
    body,
    size: original.size,
    etag: multipartSource ? await md5EtagOf(storage.stream(body)) : original.etag,
    lastModified: ctx.receivedAt,
    checksums: multipartSource ? {} : { ...original.checksums },
    // The copy is encrypted as this request (or the target bucket's default) says, not as its source was;
    // likewise it is locked as this request or the target bucket's default retention says.
    encryption: encryptionForWrite(ctx, target),
    ...lockForWrite(ctx, target),
    ...attributes,
  };
  storeObject(ctx, target, written);
  return { copy: written, sourceVersionId: sourceBucket.versions ? original.versionId : undefined };
}

async function md5EtagOf(bytes: AsyncIterable<unknown>): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of bytes) hash.update(chunk as Buffer);
  return `"${hash.digest('hex')}"`;
}
