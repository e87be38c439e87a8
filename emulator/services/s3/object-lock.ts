import { ServiceError } from '../../core/service-error.ts';
import { permits } from '../../pipeline/authorize.ts';
import type { AuthorizationRequest, RequestContext } from '../../pipeline/context.ts';
import { objectArn } from './s3-authorization.ts';
import { invalidArgument, invalidRequest } from './s3-errors.ts';
import type { Bucket, DefaultRetention, ObjectRetention, RetentionMode, S3Object } from './s3-state.ts';

/**
 * S3 Object Lock's rules (S3 User Guide, "Locking objects with Object Lock" and "Managing
 * Object Lock"): a lock belongs to one object version, as a retention period (GOVERNANCE or
 * COMPLIANCE, until a date) and/or a legal hold. A locked version cannot be deleted; a
 * delete without a version id still only adds a delete marker, which no lock protects.
 * GOVERNANCE gives way to a request that sends `x-amz-bypass-governance-retention: true`
 * from a caller with s3:BypassGovernanceRetention; COMPLIANCE gives way to nobody, not even
 * the root user, until its date. Dates are compared on the emulator's clock (the request's
 * receivedAt), so moving the clock lets a retention period run out.
 */

export const RETENTION_MODES: readonly RetentionMode[] = ['GOVERNANCE', 'COMPLIANCE'];

const MODE = 'x-amz-object-lock-mode';
const UNTIL = 'x-amz-object-lock-retain-until-date';
const LEGAL_HOLD = 'x-amz-object-lock-legal-hold';
const BYPASS = 'x-amz-bypass-governance-retention';

/** What S3 answers when a lock keeps a version from being deleted or its lock from being weakened. */
export function protectedByObjectLock(): ServiceError {
  return new ServiceError('AccessDenied', 'Access Denied because object protected by object lock.', 403);
}

/**
 * A lock operation on a bucket without Object Lock. S3 words it two ways: PutObject,
 * CopyObject and CreateMultipartUpload say "ObjectLockConfiguration", the retention and
 * legal-hold operations "Object Lock Configuration".
 */
export function missingObjectLock(wording: 'write' | 'lock-operation'): ServiceError {
  return invalidRequest(wording === 'write' ? 'Bucket is missing ObjectLockConfiguration' : 'Bucket is missing Object Lock Configuration');
}

/** The retain-until date of a version written now under a bucket's default retention. */
export function defaultRetainUntil(writtenAt: Date, rule: DefaultRetention): Date {
  const until = new Date(writtenAt.getTime());
  if (rule.days !== undefined) until.setUTCDate(until.getUTCDate() + rule.days);
  if (rule.years !== undefined) until.setUTCFullYear(until.getUTCFullYear() + rule.years);
  return until;
}

/** An ISO 8601 timestamp as S3 reads one; undefined when it is not one. */
export function parseTimestamp(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text.trim())) return undefined;
  const date = new Date(text.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export interface WriteLock {
  retention?: ObjectRetention;
  legalHold?: 'ON' | 'OFF';
}

/**
 * The lock a write (PutObject, CopyObject, CreateMultipartUpload) gives its new version: the
 * x-amz-object-lock-* headers, checked; without a mode and date, the bucket's default retention
 * (an explicit mode and date override the default: User Guide, "Retention periods").
 */
export function lockForWrite(ctx: RequestContext, bucket: Bucket): WriteLock {
  const mode = ctx.headers[MODE];
  const until = ctx.headers[UNTIL];
  const legalHold = ctx.headers[LEGAL_HOLD];
  const rule = bucket.objectLock?.defaultRetention;
  const byDefault = rule ? { mode: rule.mode, retainUntil: defaultRetainUntil(ctx.receivedAt, rule) } : undefined;
  if (mode === undefined && until === undefined && legalHold === undefined) return byDefault ? { retention: byDefault } : {};
  // The headers are checked before the bucket's lock is looked at, as S3 does.
  if ((mode === undefined) !== (until === undefined)) {
    throw invalidArgument('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', mode === undefined ? MODE : UNTIL, '');
  }
  if (mode !== undefined && !RETENTION_MODES.includes(mode as RetentionMode)) throw invalidArgument('Unknown wormMode directive.', MODE, mode);
  if (legalHold !== undefined && legalHold !== 'ON' && legalHold !== 'OFF') {
    throw invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", LEGAL_HOLD, legalHold);
  }
  let retention = byDefault;
  if (mode !== undefined && until !== undefined) {
    const retainUntil = parseTimestamp(until);
    if (!retainUntil) throw invalidArgument('The retain until date must be provided in ISO 8601 format', UNTIL, until);
    if (retainUntil <= ctx.receivedAt) throw invalidArgument('The retain until date must be in the future!', UNTIL, until);
    retention = { mode: mode as RetentionMode, retainUntil };
  }
  if (!bucket.objectLock) throw missingObjectLock('write');
  return { ...(retention ? { retention } : {}), ...(legalHold !== undefined ? { legalHold: legalHold as 'ON' | 'OFF' } : {}) };
}

/**
 * Did the request carry an integrity check of its payload: Content-MD5, or a flexible checksum
 * (header or aws-chunked trailer)? x-amz-sdk-checksum-algorithm alone, which only names one, does
 * not count, nor does SigV4's payload hash.
 */
export function hasIntegrityCheck(ctx: RequestContext): boolean {
  if (ctx.headers['content-md5'] !== undefined) return true;
  if (Object.keys(ctx.payloadChecksums ?? {}).length > 0) return true;
  return Object.keys(ctx.headers).some((name) => /^x-amz-checksum-(crc32c?|crc64nvme|sha1|sha256)$/.test(name));
}

/**
 * Uploading a version that will be locked needs Content-MD5 or a checksum (S3 API Reference,
 * PutObject, Content-MD5: "The Content-MD5 or x-amz-sdk-checksum-algorithm header is required
 * for any request to upload an object with a retention period configured using Amazon S3
 * Object Lock"; the User Guide says the same of a bucket with a default retention period).
 * What S3 checks is the digest itself, Content-MD5 or an x-amz-checksum-* value (hasIntegrityCheck);
 * the message is S3's as clients have recorded it. UploadPart: "This parameter is required if
 * object lock parameters are specified"; `what` is "Put Object", or "Put Part" for a part of a
 * locked multipart upload.
 */
export function requireIntegrityForLock(ctx: RequestContext, lock: WriteLock, what: 'Put Object' | 'Put Part'): void {
  // Any lock parameter counts, a legal hold alone (even OFF) included; a SigV4 payload hash does not.
  if (!lock.retention && lock.legalHold === undefined) return;
  if (hasIntegrityCheck(ctx)) return;
  throw invalidRequest(`Content-MD5 OR x-amz-checksum- HTTP header is required for ${what} requests with Object Lock parameters`);
}

function onObject(bucket: Bucket, key: string, action: string): AuthorizationRequest {
  return { action, resources: [objectArn(bucket.name, key)], resourceAccount: bucket.ownerAccount, resourcePolicy: bucket.policy };
}

/**
 * DeleteObject and DeleteObjects take x-amz-bypass-governance-retention (true or false) only
 * on a bucket with Object Lock; S3 refuses it elsewhere (recorded against S3 by LocalStack's
 * Object Lock tests, and the reason ceph s3-tests' teardown fails there).
 */
export function assertBypassApplicable(ctx: RequestContext, bucket: Bucket): void {
  const header = ctx.headers[BYPASS];
  if (header === undefined || bucket.objectLock) return;
  throw invalidArgument('x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.', BYPASS, header);
}

/** Did the request ask to bypass GOVERNANCE retention, from a caller with s3:BypassGovernanceRetention on the object? */
export function bypassesGovernance(ctx: RequestContext, bucket: Bucket, key: string): boolean {
  if (ctx.headers[BYPASS]?.trim().toLowerCase() !== 'true') return false;
  return permits(ctx, onObject(bucket, key, 's3:BypassGovernanceRetention'));
}

/** Is this retention period still in force at the request's time? */
export function inForce(ctx: RequestContext, retention: ObjectRetention | undefined): retention is ObjectRetention {
  return retention !== undefined && retention.retainUntil.getTime() > ctx.receivedAt.getTime();
}

/**
 * Deleting one version for good (DeleteObject or DeleteObjects with a version id): refused
 * while a legal hold is on (no bypass lifts it: "Managing Object Lock", "Bypassing governance
 * mode") or a retention period is in force, unless GOVERNANCE is bypassed. Delete markers
 * carry no lock.
 */
export function assertVersionDeletable(ctx: RequestContext, bucket: Bucket, object: S3Object): void {
  if (object.legalHold === 'ON') throw protectedByObjectLock();
  const retention = object.retention;
  if (!inForce(ctx, retention)) return;
  if (retention.mode === 'GOVERNANCE' && bypassesGovernance(ctx, bucket, object.key)) return;
  throw protectedByObjectLock();
}

/**
 * PutObjectRetention on a version whose retention is in force. Anyone who may place a
 * retention may extend it in the same mode; shortening it, removing it or changing its mode
 * bypasses GOVERNANCE (User Guide, "Bypassing governance mode": "shortening the retention
 * period, or removing the object lock by placing a new lock with empty parameters") and is
 * refused in COMPLIANCE ("its retention mode can't be changed, and its retention period can't
 * be shortened").
 */
export function assertRetentionChangeAllowed(ctx: RequestContext, bucket: Bucket, object: S3Object, requested: ObjectRetention | undefined): void {
  const current = object.retention;
  if (!inForce(ctx, current)) return;
  const extends_ = requested !== undefined && requested.mode === current.mode && requested.retainUntil.getTime() >= current.retainUntil.getTime();
  if (extends_) return;
  if (current.mode === 'GOVERNANCE' && bypassesGovernance(ctx, bucket, object.key)) return;
  throw protectedByObjectLock();
}

/**
 * The x-amz-object-lock-* headers of a GetObject/HeadObject answer. Each is shown only to a
 * caller allowed to read it: the mode and date need s3:GetObjectRetention, the legal hold
 * s3:GetObjectLegalHold ("Managing Object Lock", "Viewing the lock information for an
 * object": without them "the request succeeds. However, it doesn't return information that
 * you don't have permission to view"). A legal hold never placed has no header.
 */
export function lockHeaders(ctx: RequestContext, bucket: Bucket, object: S3Object): Record<string, string> {
  const headers: Record<string, string> = {};
  if (object.retention && permits(ctx, onObject(bucket, object.key, 's3:GetObjectRetention'))) {
    headers[MODE] = object.retention.mode;
    headers[UNTIL] = object.retention.retainUntil.toISOString();
  }
  if (object.legalHold && permits(ctx, onObject(bucket, object.key, 's3:GetObjectLegalHold'))) headers[LEGAL_HOLD] = object.legalHold;
  return headers;
}
