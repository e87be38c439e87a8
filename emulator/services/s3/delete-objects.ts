import { XMLParser } from 'fast-xml-parser';
import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { asArray, malformedXml, parseXml } from '../../protocols/xml.ts';
import { accessibleBucket } from './bucket-access.ts';
import { permits } from '../../pipeline/authorize.ts';
import { assertBypassApplicable, assertVersionDeletable } from './object-lock.ts';
import { verifyContentMd5 } from './object-store.ts';
import { objectArn } from './s3-authorization.ts';
import { invalidRequest } from './s3-errors.ts';
import { S3_XMLNS } from './s3-handler.ts';
import type { Bucket } from './s3-state.ts';
import { deleteCurrent, deleteVersion } from './versioning.ts';

/** DeleteObjects takes at most this many keys. */
const MAX_KEYS = 1000;

/**
 * Key names are taken exactly as sent: " " and "a " are keys of their own, so the
 * document is read without trimming text (the shared request parser trims it, which
 * turned the key " " into "" and left the object in place).
 */
const untrimmed = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: false });

export interface DeleteEntry {
  key: string;
  versionId?: string;
}

/** The keys (and version ids) of a DeleteObjects body; MalformedXML when it is not one. */
export function deleteEntries(body: Buffer): { entries: DeleteEntry[]; quiet: boolean } {
  parseXml(body); // well-formedness, with S3's MalformedXML
  const request = (untrimmed.parse(body.toString('utf8')) as Record<string, unknown>).Delete;
  if (typeof request !== 'object' || request === null) throw malformedXml();
  const { Object: objects, Quiet } = request as { Object?: unknown; Quiet?: unknown };
  const list = asArray(objects as Array<{ Key?: unknown; VersionId?: unknown }> | undefined);
  if (list.length === 0 || list.length > MAX_KEYS) throw malformedXml();
  const entries = list.map((entry) => {
    if (typeof entry?.Key !== 'string') throw malformedXml();
    const versionId = typeof entry.VersionId === 'string' ? entry.VersionId.trim() : undefined;
    return { key: entry.Key, ...(versionId !== undefined ? { versionId } : {}) };
  });
  return { entries, quiet: typeof Quiet === 'string' && Quiet.trim().toLowerCase() === 'true' };
}

/**
 * Operations whose body S3 insists on an integrity check of (the model's requestChecksumRequired:
 * DeleteObjects, the Object Lock configuration, retention and legal-hold calls): Content-MD5,
 * or (since flexible checksums) an x-amz-checksum-* header; a Content-MD5 sent must match.
 */
export function requireIntegrityCheck(ctx: RequestContext): void {
  const hasChecksum = Object.keys(ctx.headers).some((name) => /^x-amz-checksum-(crc32c?|crc64nvme|sha1|sha256)$/.test(name));
  if (ctx.headers['content-md5'] === undefined && !hasChecksum) {
    throw invalidRequest('Missing required header for this request: Content-MD5');
  }
  verifyContentMd5(ctx, ctx.body);
}

/** s3:DeleteObject on the key, or s3:DeleteObjectVersion for an entry naming a version. */
function mayDelete(ctx: RequestContext, bucket: Bucket, key: string, versionId: string | undefined): boolean {
  return permits(ctx, {
    action: versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion',
    resources: [objectArn(bucket.name, key)],
    resourceAccount: bucket.ownerAccount,
    resourcePolicy: bucket.policy,
  });
}

/**
 * DeleteObjects: up to 1000 keys in one request, each reported as Deleted or Error
 * (Quiet mode reports only errors), each deleted as DeleteObject would (a delete marker
 * in a versioned bucket; a version Object Lock protects stays, reported as AccessDenied).
 */
export function deleteObjects(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  assertBypassApplicable(ctx, bucket);
  requireIntegrityCheck(ctx);
  const { entries, quiet } = deleteEntries(ctx.body);

  const deleted: Array<Record<string, unknown>> = [];
  const errors: Array<Record<string, string>> = [];
  for (const { key, versionId } of entries) {
    // Each key is authorized on its own, as the DeleteObject it stands for would be: one the
    // caller may not delete is reported as an <Error> with Code AccessDenied and the others are
    // deleted (S3 API Reference, DeleteObjects: "For each key, Amazon S3 performs a delete
    // operation and returns the result of that delete, success or failure", and its example
    // response: <Error><Key>sample2.txt</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>).
    if (!mayDelete(ctx, bucket, key, versionId)) {
      errors.push({ Key: key, ...(versionId !== undefined ? { VersionId: versionId } : {}), Code: 'AccessDenied', Message: 'Access Denied' });
      continue;
    }
    try {
      const outcome =
        versionId === undefined
          ? deleteCurrent(ctx, bucket, key)
          : deleteVersion(ctx, bucket, key, versionId, (object) => assertVersionDeletable(ctx, bucket, object));
      // A key that does not exist is reported as deleted: deletes are idempotent.
      deleted.push({
        Key: key,
        ...(versionId !== undefined ? { VersionId: versionId } : {}),
        ...(outcome.deleteMarker ? { DeleteMarker: true } : {}),
        ...(outcome.deleteMarker && versionId === undefined && outcome.versionId ? { DeleteMarkerVersionId: outcome.versionId } : {}),
      });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      errors.push({ Key: key, ...(versionId !== undefined ? { VersionId: versionId } : {}), Code: error.code, Message: error.message });
    }
  }
  return {
    xml: {
      root: 'DeleteResult',
      value: { '@_xmlns': S3_XMLNS, Deleted: quiet ? [] : deleted, Error: errors },
    },
  };
}
