import { randomBytes } from 'node:crypto';
import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { bodyStorage } from './body-storage.ts';
import { invalidArgument, noSuchKey } from './s3-errors.ts';
import type { Bucket, ObjectVersion, S3Object } from './s3-state.ts';

/**
 * S3 Versioning (S3 User Guide, "Retaining multiple versions of objects with S3 Versioning"):
 * an enabled bucket keeps every version a write replaces and answers a delete with a delete
 * marker; a suspended bucket writes the version `null`, replacing the previous `null` one.
 * Once configured, `bucket.versions` is the truth and `bucket.objects` mirrors each key's
 * current version, so listing, website and policy code keeps reading `objects`.
 */

/** The version id of objects written while a bucket was unversioned or suspended. */
export const NULL_VERSION = 'null';

export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

/** Version ids are ours (32 base64url characters) or `null`; anything else is not a version id at all. */
export function assertVersionIdFormat(versionId: string): void {
  if (versionId !== NULL_VERSION && !/^[A-Za-z0-9_-]{32}$/.test(versionId)) {
    throw invalidArgument('Invalid version id specified', 'versionId', versionId);
  }
}

export function noSuchVersion(key: string, versionId: string): ServiceError {
  return new ServiceError('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
}

/** The first PutBucketVersioning: what was there becomes the `null` version of its key. */
export function setVersioning(bucket: Bucket, status: 'Enabled' | 'Suspended'): void {
  if (!bucket.versions) {
    bucket.versions = new Map();
    for (const object of bucket.objects.values()) {
      object.versionId = NULL_VERSION;
      bucket.versions.set(object.key, [{ versionId: NULL_VERSION, lastModified: object.lastModified, object }]);
    }
  }
  bucket.versioning = status;
}

/** Makes `objects` show the current version of `key`. */
function mirror(bucket: Bucket, key: string): void {
  const list = bucket.versions?.get(key) ?? [];
  if (list.length === 0) bucket.versions?.delete(key);
  const current = list[0]?.object;
  if (current) bucket.objects.set(key, current);
  else bucket.objects.delete(key);
}

function release(ctx: RequestContext, version: ObjectVersion | undefined, keep?: S3Object): void {
  if (version?.object && version.object.body !== keep?.body) bodyStorage(ctx.store).release(version.object.body);
}

/** Removes the `null` version of a key, if it has one (a suspended bucket's write or delete replaces it). */
function dropNullVersion(ctx: RequestContext, list: ObjectVersion[], keep?: S3Object): void {
  const at = list.findIndex((version) => version.versionId === NULL_VERSION);
  if (at >= 0) release(ctx, list.splice(at, 1)[0], keep);
}

/**
 * Stores a written object as the key's current version. Returns the version id to report
 * (x-amz-version-id), undefined for a bucket whose versioning was never configured.
 */
export function putVersion(ctx: RequestContext, bucket: Bucket, object: S3Object): string | undefined {
  if (!bucket.versions) {
    const previous = bucket.objects.get(object.key);
    bucket.objects.set(object.key, object);
    if (previous && previous.body !== object.body) bodyStorage(ctx.store).release(previous.body);
    return undefined;
  }
  const list = bucket.versions.get(object.key) ?? [];
  bucket.versions.set(object.key, list);
  if (bucket.versioning === 'Enabled') {
    object.versionId = newVersionId();
  } else {
    object.versionId = NULL_VERSION;
    dropNullVersion(ctx, list, object);
  }
  list.unshift({ versionId: object.versionId, lastModified: object.lastModified, object });
  mirror(bucket, object.key);
  return object.versionId;
}

export interface DeleteOutcome {
  /** The version removed, or the delete marker created. */
  versionId?: string;
  /** A delete marker was created, or the version removed was one. */
  deleteMarker: boolean;
}

/** DeleteObject without a version id: gone in an unversioned bucket; hidden behind a delete marker otherwise. */
export function deleteCurrent(ctx: RequestContext, bucket: Bucket, key: string): DeleteOutcome {
  if (!bucket.versions) {
    const object = bucket.objects.get(key);
    if (object) {
      bucket.objects.delete(key);
      bodyStorage(ctx.store).release(object.body);
    }
    return { deleteMarker: false };
  }
  const list = bucket.versions.get(key) ?? [];
  bucket.versions.set(key, list);
  const versionId = bucket.versioning === 'Enabled' ? newVersionId() : NULL_VERSION;
  if (versionId === NULL_VERSION) dropNullVersion(ctx, list);
  list.unshift({ versionId, lastModified: ctx.receivedAt });
  mirror(bucket, key);
  return { versionId, deleteMarker: true };
}

/**
 * DeleteObject with a version id: that version is gone for good; the next newest becomes current.
 * `guard` sees the object version first and throws to keep it (Object Lock); delete markers pass.
 */
export function deleteVersion(
  ctx: RequestContext,
  bucket: Bucket,
  key: string,
  versionId: string,
  guard?: (object: S3Object) => void,
): DeleteOutcome {
  assertVersionIdFormat(versionId);
  if (!bucket.versions) {
    // An unversioned bucket's objects are all the `null` version.
    if (versionId === NULL_VERSION) deleteCurrent(ctx, bucket, key);
    return { versionId, deleteMarker: false };
  }
  const list = bucket.versions.get(key) ?? [];
  const at = list.findIndex((version) => version.versionId === versionId);
  // Deleting a version that is not there succeeds, as deletes are idempotent.
  if (at < 0) return { versionId, deleteMarker: false };
  const object = list[at]!.object;
  if (object && guard) guard(object);
  const [removed] = list.splice(at, 1);
  release(ctx, removed);
  mirror(bucket, key);
  return { versionId, deleteMarker: removed!.object === undefined };
}

/**
 * The object a GetObject/HeadObject/CopyObject source names: the current version, or the
 * one in `versionId`. A delete marker is a 404 NoSuchKey when current, and a 405 when named
 * (S3 API Reference, GetObject: "If the specified version is a delete marker, the response
 * returns a 405 Method Not Allowed error and the Last-Modified: timestamp response header").
 */
export function readableVersion(bucket: Bucket, key: string, versionId: string | undefined): S3Object {
  if (versionId === undefined) {
    const object = bucket.objects.get(key);
    if (object) return object;
    const marker = bucket.versions?.get(key)?.[0];
    if (marker) {
      throw new ServiceError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }, {
        'x-amz-delete-marker': 'true',
        'x-amz-version-id': marker.versionId,
      });
    }
    throw noSuchKey(key);
  }
  assertVersionIdFormat(versionId);
  const version = bucket.versions
    ? bucket.versions.get(key)?.find((candidate) => candidate.versionId === versionId)
    : versionId === NULL_VERSION && bucket.objects.has(key)
      ? { versionId, lastModified: bucket.objects.get(key)!.lastModified, object: bucket.objects.get(key) }
      : undefined;
  if (!version) throw noSuchVersion(key, versionId);
  if (!version.object) {
    throw new ServiceError(
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
      405,
      { Method: 'GET', ResourceType: 'DeleteMarker' },
      { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId, 'last-modified': version.lastModified.toUTCString() },
    );
  }
  return version.object;
}

/** The x-amz-version-id header of a response about this object, when the bucket's versioning was ever configured. */
export function versionHeader(bucket: Bucket, versionId: string | undefined): Record<string, string> {
  return bucket.versions && versionId !== undefined ? { 'x-amz-version-id': versionId } : {};
}

/** Every key's versions in S3's listing order: by key, then newest first. */
export function allVersions(bucket: Bucket): Array<{ key: string; version: ObjectVersion; isLatest: boolean }> {
  if (!bucket.versions) {
    return [...bucket.objects.values()].map((object) => ({
      key: object.key,
      version: { versionId: NULL_VERSION, lastModified: object.lastModified, object },
      isLatest: true,
    }));
  }
  return [...bucket.versions].flatMap(([key, list]) => list.map((version, index) => ({ key, version, isLatest: index === 0 })));
}

/** A versioned bucket with any version (delete markers too) is not empty. */
export function hasAnyVersion(bucket: Bucket): boolean {
  return bucket.objects.size > 0 || [...(bucket.versions?.values() ?? [])].some((list) => list.length > 0);
}
