import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { malformedXml } from '../../protocols/xml.ts';
import { accessibleBucket, ownerElement } from './bucket-access.ts';
import { childText, configRoot, onlyChildren } from './config-xml.ts';
import { invalidArgument } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import { allVersions, setVersioning } from './versioning.ts';

const MAX_KEYS = 1000;

/** PutBucketVersioning / GetBucketVersioning / ListObjectVersions. */
export const versioningHandlers: S3Handlers = {
  PutBucketVersioning: (ctx) => {
    const bucket = accessibleBucket(ctx);
    const root = configRoot(ctx.body, 'VersioningConfiguration');
    onlyChildren(root, ['Status', 'MfaDelete']);
    const status = childText(root, 'Status');
    const mfaDelete = childText(root, 'MfaDelete');
    if (mfaDelete !== undefined && mfaDelete !== 'Enabled' && mfaDelete !== 'Disabled') throw malformedXml();
    if (mfaDelete === 'Enabled') {
      // MFA delete needs the root user's MFA device in x-amz-mfa, which no emulated root has.
      throw invalidArgument('MfaDelete is not supported by the embedded emulator', 'MfaDelete', mfaDelete);
    }
    if (status === undefined) return {};
    if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
    // Object Lock keeps versioning Enabled for good (User Guide, "Configuring S3 Object Lock":
    // "you can't disable Object Lock or suspend versioning for that bucket"). InvalidBucketState
    // is 409 in S3's error table.
    if (bucket.objectLock && status === 'Suspended') {
      throw new ServiceError('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', 409, {
        BucketName: bucket.name,
      });
    }
    setVersioning(bucket, status);
    return {};
  },
  GetBucketVersioning: (ctx) => {
    const bucket = accessibleBucket(ctx);
    // A bucket whose versioning was never configured answers an empty configuration, without Status.
    return { xml: { root: 'VersioningConfiguration', value: { '@_xmlns': S3_XMLNS, ...(bucket.versioning ? { Status: bucket.versioning } : {}) } } };
  },
  ListObjectVersions: listObjectVersions,
};

/** S3 lists keys in UTF-8 binary order. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function listObjectVersions(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  const q = ctx.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const versionIdMarker = q.get('version-id-marker') ?? '';
  const rawMax = q.get('max-keys');
  if (rawMax !== null && !/^\d+$/.test(rawMax)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', rawMax);
  const maxKeys = Math.min(rawMax === null ? MAX_KEYS : Number(rawMax), MAX_KEYS);
  if (versionIdMarker && !keyMarker) {
    throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', versionIdMarker);
  }

  const entries = allVersions(bucket)
    .filter((entry) => entry.key.startsWith(prefix))
    .sort((a, b) => compareKeys(a.key, b.key));
  // Resume after (key-marker, version-id-marker): later versions of that key, or the keys after it.
  let start = 0;
  if (keyMarker) {
    const markerAt = versionIdMarker ? entries.findIndex((e) => e.key === keyMarker && e.version.versionId === versionIdMarker) : -1;
    start = markerAt >= 0 ? markerAt + 1 : entries.findIndex((e) => compareKeys(e.key, keyMarker) > 0);
    if (start < 0) start = entries.length;
  }

  const versions: Array<Record<string, unknown>> = [];
  const markers: Array<Record<string, unknown>> = [];
  const prefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let next: { key: string; versionId: string } | undefined;
  for (let i = start; i < entries.length; i += 1) {
    const { key, version, isLatest } = entries[i]!;
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const common = at >= 0 ? key.slice(0, at + delimiter.length) : undefined;
    // A common prefix is returned once; one that ended the previous page is not returned again.
    if (common !== undefined && (prefixes.includes(common) || common === keyMarker)) continue;
    if (count === maxKeys) {
      truncated = true;
      break;
    }
    count += 1;
    if (common !== undefined) {
      prefixes.push(common);
      next = { key: common, versionId: '' };
      continue;
    }
    next = { key, versionId: version.versionId };
    const common2 = { Key: key, VersionId: version.versionId, IsLatest: isLatest, LastModified: version.lastModified.toISOString() };
    if (version.object) {
      versions.push({ ...common2, ETag: version.object.etag, Size: version.object.size, StorageClass: 'STANDARD', Owner: ownerElement(bucket.ownerAccount) });
    } else {
      markers.push({ ...common2, Owner: ownerElement(bucket.ownerAccount) });
    }
  }
  return {
    xml: {
      root: 'ListVersionsResult',
      value: {
        '@_xmlns': S3_XMLNS,
        Name: bucket.name,
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
        ...(truncated && next ? { NextKeyMarker: next.key, ...(next.versionId ? { NextVersionIdMarker: next.versionId } : {}) } : {}),
        MaxKeys: maxKeys,
        ...(delimiter ? { Delimiter: delimiter } : {}),
        IsTruncated: truncated,
        Version: versions,
        DeleteMarker: markers,
        CommonPrefixes: prefixes.map((p) => ({ Prefix: p })),
      },
    },
  };
}
