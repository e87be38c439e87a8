import { createHash, randomBytes } from 'node:crypto';
import { CHECKSUM_ALGORITHMS, checksum, type ChecksumAlgorithm } from '../../core/checksums.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { asArray, malformedXml, parseXml } from '../../protocols/xml.ts';
import { accessibleBucket, ownerElement } from './bucket-access.ts';
import { bodyStorage } from './body-storage.ts';
import { checkWriteConditions } from './object-conditions.ts';
import { checksumHeaders } from './object-headers.ts';
import { attributesFromHeaders } from './object-metadata.ts';
import { withKeyLock } from './key-locks.ts';
import { assertKeyLength, md5Etag, storeObject, verifyContentMd5 } from './object-store.ts';
import { encryptionForWrite, encryptionHeaders } from './encryption.ts';
import { versionHeader } from './versioning.ts';
import { lockForWrite, requireIntegrityForLock } from './object-lock.ts';
import { invalidArgument, noSuchUpload } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import type { Bucket, MultipartUpload, UploadedPart } from './s3-state.ts';

/** Every part but the last must be at least 5 MiB. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;

/** Multipart uploads: create, upload parts, complete, abort, and list parts and uploads. */
export const multipartHandlers: S3Handlers = {
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
};

function createMultipartUpload(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const key = ctx.key ?? '';
  assertKeyLength(key);
  const algorithmHeader = ctx.headers['x-amz-checksum-algorithm']?.toUpperCase();
  if (algorithmHeader !== undefined && !CHECKSUM_ALGORITHMS.includes(algorithmHeader as ChecksumAlgorithm)) {
    throw invalidArgument('Checksum algorithm provided is unsupported.', 'x-amz-checksum-algorithm', algorithmHeader);
  }
  const upload: MultipartUpload = {
    uploadId: randomBytes(48).toString('base64url'),
    key,
    initiatedAt: ctx.receivedAt,
    initiatorArn: ctx.caller.arn,
    // The lock (the request's, or the bucket's default retention from now) is the completed object's.
    template: { ...attributesFromHeaders(ctx.headers), encryption: encryptionForWrite(ctx, bucket), ...lockForWrite(ctx, bucket) },
    checksumAlgorithm: algorithmHeader as ChecksumAlgorithm | undefined,
    parts: new Map(),
  };
  bucket.uploads.set(upload.uploadId, upload);
  return {
    headers: upload.checksumAlgorithm
      ? { 'x-amz-checksum-algorithm': upload.checksumAlgorithm, 'x-amz-checksum-type': 'COMPOSITE' }
      : {},
    xml: {
      root: 'InitiateMultipartUploadResult',
      value: { '@_xmlns': S3_XMLNS, Bucket: bucket.name, Key: key, UploadId: upload.uploadId },
    },
  };
}

/** The upload named by ?uploadId, for this key. */
export function existingUpload(ctx: RequestContext, bucket: Bucket): MultipartUpload {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = bucket.uploads.get(uploadId);
  if (!upload || upload.key !== (ctx.key ?? '')) throw noSuchUpload(uploadId);
  return upload;
}

/** The request's `partNumber`: an integer from 1 to 10,000 (UploadPart and UploadPartCopy alike). */
export function partNumberOf(ctx: RequestContext): number {
  const rawNumber = ctx.query.get('partNumber') ?? '';
  const partNumber = Number(rawNumber);
  if (!/^\d+$/.test(rawNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', rawNumber);
  }
  return partNumber;
}

async function uploadPart(ctx: RequestContext): Promise<ServiceResponse> {
  const bucket = accessibleBucket(ctx);
  const partNumber = partNumberOf(ctx);
  const upload = existingUpload(ctx, bucket);
  verifyContentMd5(ctx, ctx.body);
  requireIntegrityForLock(ctx, upload.template, 'Put Part');
  const storage = bodyStorage(ctx.store);
  const part: UploadedPart = {
    partNumber,
    body: await storage.save(ctx.body),
    size: ctx.body.length,
    etag: md5Etag(ctx.body),
    lastModified: ctx.receivedAt,
    checksums: { ...ctx.payloadChecksums },
  };
  const previous = upload.parts.get(partNumber);
  upload.parts.set(partNumber, part);
  if (previous) storage.release(previous.body);
  return { headers: { etag: part.etag, ...checksumHeaders(part.checksums) } };
}

interface RequestedPart {
  partNumber: number;
  etag: string;
}

function requestedParts(body: Buffer): RequestedPart[] {
  const document = parseXml(body).CompleteMultipartUpload;
  if (typeof document !== 'object' || document === null) throw malformedXml();
  const parts = asArray((document as { Part?: unknown }).Part as Array<{ PartNumber?: unknown; ETag?: unknown }> | undefined);
  if (parts.length === 0) throw malformedXml();
  return parts.map((part) => {
    const partNumber = Number(part?.PartNumber);
    if (!Number.isInteger(partNumber) || typeof part.ETag !== 'string') throw malformedXml();
    return { partNumber, etag: part.ETag };
  });
}

const unquote = (etag: string) => etag.replace(/"/g, '');

async function completeMultipartUpload(ctx: RequestContext): Promise<ServiceResponse> {
  const bucket = accessibleBucket(ctx);
  const upload = existingUpload(ctx, bucket);
  const requested = requestedParts(ctx.body);

  const chosen: UploadedPart[] = [];
  requested.forEach((request, index) => {
    if (index > 0 && request.partNumber <= requested[index - 1]!.partNumber) {
      throw new ServiceError('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, {
        UploadId: upload.uploadId,
      });
    }
    const part = upload.parts.get(request.partNumber);
    if (!part || unquote(part.etag) !== unquote(request.etag)) {
      throw new ServiceError(
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        400,
        { UploadId: upload.uploadId, PartNumber: String(request.partNumber), ETag: request.etag },
      );
    }
    chosen.push(part);
  });
  chosen.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_SIZE) {
      throw new ServiceError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, {
        ProposedSize: String(part.size),
        MinSizeAllowed: String(MIN_PART_SIZE),
        PartNumber: String(part.partNumber),
        ETag: part.etag,
      });
    }
  });
  const storage = bodyStorage(ctx.store);
  const size = chosen.reduce((total, part) => total + part.size, 0);
  const etag = multipartEtag(chosen);
  const checksums = compositeChecksums(upload, chosen);
  let versionId: string | undefined;
  // Condition check and store under one per-key lock: joining the parts awaits.
  await withKeyLock(ctx.store, bucket.name, upload.key, async () => {
    checkWriteConditions(bucket.objects.get(upload.key), ctx.headers);
    const body = await storage.concat(chosen.map((part) => part.body), size);
    // The upload may have been aborted or completed by a concurrent request while the parts were joined.
    if (bucket.uploads.get(upload.uploadId) !== upload) {
      storage.release(body);
      throw noSuchUpload(upload.uploadId);
    }
    versionId = storeObject(ctx, bucket, { key: upload.key, body, size, etag, lastModified: ctx.receivedAt, checksums, ...upload.template });
    bucket.uploads.delete(upload.uploadId);
    for (const part of upload.parts.values()) storage.release(part.body);
  });

  const host = ctx.headers.host ?? 'localhost';
  return {
    headers: { ...checksumHeaders(checksums), ...encryptionHeaders(upload.template.encryption), ...versionHeader(bucket, versionId) },
    xml: {
      root: 'CompleteMultipartUploadResult',
      value: {
        '@_xmlns': S3_XMLNS,
        Location: `http://${host}/${bucket.name}/${encodeURIComponent(upload.key).replace(/%2F/g, '/')}`,
        Bucket: bucket.name,
        Key: upload.key,
        ETag: etag,
        ...Object.fromEntries(Object.entries(checksums).map(([algorithm, value]) => [`Checksum${algorithm}`, value])),
      },
    },
  };
}

/** S3's multipart ETag: the MD5 of the parts' binary MD5s, then "-<number of parts>". */
export function multipartEtag(parts: Array<{ etag: string }>): string {
  const hash = createHash('md5');
  for (const part of parts) hash.update(Buffer.from(unquote(part.etag), 'hex'));
  return `"${hash.digest('hex')}-${parts.length}"`;
}

/** A composite checksum: the checksum of the parts' binary checksums, then "-N"; only when every part has one. */
function compositeChecksums(upload: MultipartUpload, parts: UploadedPart[]): Partial<Record<ChecksumAlgorithm, string>> {
  const algorithm = upload.checksumAlgorithm;
  if (!algorithm || parts.some((part) => part.checksums[algorithm] === undefined)) return {};
  const joined = Buffer.concat(parts.map((part) => Buffer.from(part.checksums[algorithm]!, 'base64')));
  return { [algorithm]: `${checksum(algorithm, joined)}-${parts.length}` };
}

function abortMultipartUpload(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const upload = existingUpload(ctx, bucket);
  bucket.uploads.delete(upload.uploadId);
  const storage = bodyStorage(ctx.store);
  for (const part of upload.parts.values()) storage.release(part.body);
  return { status: 204 };
}

function boundedInteger(ctx: RequestContext, name: string, fallback: number, max: number): number {
  const raw = ctx.query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  return Math.min(Number(raw), max);
}

function listParts(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const upload = existingUpload(ctx, bucket);
  const maxParts = boundedInteger(ctx, 'max-parts', 1000, 1000);
  const marker = boundedInteger(ctx, 'part-number-marker', 0, MAX_PART_NUMBER);
  const after = [...upload.parts.values()].filter((part) => part.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, maxParts);
  const isTruncated = after.length > page.length;
  const owner = ownerElement(bucket.ownerAccount);
  return {
    xml: {
      root: 'ListPartsResult',
      value: {
        '@_xmlns': S3_XMLNS,
        Bucket: bucket.name,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumberMarker: marker,
        ...(page.length > 0 ? { NextPartNumberMarker: page[page.length - 1]!.partNumber } : {}),
        MaxParts: maxParts,
        IsTruncated: isTruncated,
        Part: page.map((part) => ({
          PartNumber: part.partNumber,
          LastModified: part.lastModified.toISOString(),
          ETag: part.etag,
          Size: part.size,
          ...Object.fromEntries(Object.entries(part.checksums).map(([algorithm, value]) => [`Checksum${algorithm}`, value])),
        })),
        Initiator: { ID: upload.initiatorArn, DisplayName: upload.initiatorArn },
        Owner: owner,
        StorageClass: 'STANDARD',
        ...(upload.checksumAlgorithm ? { ChecksumAlgorithm: upload.checksumAlgorithm } : {}),
      },
    },
  };
}

function listMultipartUploads(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const uploadIdMarker = ctx.query.get('upload-id-marker') ?? '';
  const maxUploads = boundedInteger(ctx, 'max-uploads', 1000, 1000);
  // Uploads sort by key, then by initiation time; the markers resume after (key, upload id).
  const sorted = [...bucket.uploads.values()]
    .filter((upload) => upload.key.startsWith(prefix))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiatedAt.getTime() - b.initiatedAt.getTime()));
  let start = 0;
  if (keyMarker) {
    const markerIndex = uploadIdMarker ? sorted.findIndex((u) => u.key === keyMarker && u.uploadId === uploadIdMarker) : -1;
    start = markerIndex >= 0 ? markerIndex + 1 : sorted.findIndex((u) => u.key > keyMarker);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + maxUploads);
  const isTruncated = start + page.length < sorted.length;
  const last = page[page.length - 1];
  return {
    xml: {
      root: 'ListMultipartUploadsResult',
      value: {
        '@_xmlns': S3_XMLNS,
        Bucket: bucket.name,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
        ...(isTruncated && last ? { NextKeyMarker: last.key, NextUploadIdMarker: last.uploadId } : {}),
        Prefix: prefix,
        MaxUploads: maxUploads,
        IsTruncated: isTruncated,
        Upload: page.map((upload) => ({
          Key: upload.key,
          UploadId: upload.uploadId,
          Initiator: { ID: upload.initiatorArn, DisplayName: upload.initiatorArn },
          Owner: ownerElement(bucket.ownerAccount),
          StorageClass: 'STANDARD',
          Initiated: upload.initiatedAt.toISOString(),
          ...(upload.checksumAlgorithm ? { ChecksumAlgorithm: upload.checksumAlgorithm } : {}),
        })),
      },
    },
  };
}
