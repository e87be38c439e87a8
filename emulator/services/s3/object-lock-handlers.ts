import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { malformedXml } from '../../protocols/xml.ts';
import { accessibleBucket } from './bucket-access.ts';
import { childElement, childText, configRoot, onlyChildren } from './config-xml.ts';
import { requireIntegrityCheck } from './delete-objects.ts';
import { assertRetentionChangeAllowed, missingObjectLock, parseTimestamp, RETENTION_MODES } from './object-lock.ts';
import { invalidArgument } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import type { Bucket, DefaultRetention, ObjectRetention, RetentionMode, S3Object } from './s3-state.ts';
import { readableVersion, setVersioning } from './versioning.ts';

/** The longest default retention S3 takes ("Default retention period too large." beyond it). */
const MAX_DAYS = 36500;
const MAX_YEARS = 100;

/**
 * Object Lock's API: the bucket's configuration (Put/GetObjectLockConfiguration) and each
 * version's retention and legal hold (Put/GetObjectRetention, Put/GetObjectLegalHold, of the
 * current version or the one in ?versionId). The rules they enforce are in object-lock.ts.
 */
export const objectLockHandlers: S3Handlers = {
  PutObjectLockConfiguration: putObjectLockConfiguration,
  GetObjectLockConfiguration: (ctx) => {
    const bucket = accessibleBucket(ctx);
    if (!bucket.objectLock) {
      throw new ServiceError('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404, { BucketName: bucket.name });
    }
    const rule = bucket.objectLock.defaultRetention;
    return {
      xml: {
        root: 'ObjectLockConfiguration',
        value: {
          '@_xmlns': S3_XMLNS,
          ObjectLockEnabled: 'Enabled',
          ...(rule ? { Rule: { DefaultRetention: { Mode: rule.mode, ...(rule.days !== undefined ? { Days: rule.days } : { Years: rule.years }) } } } : {}),
        },
      },
    };
  },
  PutObjectRetention: (ctx) => {
    // The document is read first: a missing or malformed one is MalformedXML even where Object Lock is off.
    accessibleBucket(ctx);
    requireIntegrityCheck(ctx);
    const requested = parseRetention(ctx);
    const { bucket, object } = lockedBucketVersion(ctx);
    assertRetentionChangeAllowed(ctx, bucket, object, requested);
    // Placing or changing a lock is metadata: the version's bytes and Last-Modified stay as they are.
    object.retention = requested;
    return {};
  },
  GetObjectRetention: (ctx) => {
    const { object } = lockedBucketVersion(ctx);
    if (!object.retention) throw noLockOnObject();
    return {
      xml: {
        root: 'Retention',
        value: { '@_xmlns': S3_XMLNS, Mode: object.retention.mode, RetainUntilDate: object.retention.retainUntil.toISOString() },
      },
    };
  },
  PutObjectLegalHold: (ctx) => {
    accessibleBucket(ctx);
    requireIntegrityCheck(ctx);
    const root = configRoot(ctx.body, 'LegalHold');
    onlyChildren(root, ['Status']);
    const status = childText(root, 'Status');
    if (status !== 'ON' && status !== 'OFF') throw malformedXml();
    const { object } = lockedBucketVersion(ctx);
    // Anyone with s3:PutObjectLegalHold places and removes legal holds at will, whatever the retention.
    object.legalHold = status;
    return {};
  },
  GetObjectLegalHold: (ctx) => {
    const { object } = lockedBucketVersion(ctx);
    if (!object.legalHold) throw noLockOnObject();
    return { xml: { root: 'LegalHold', value: { '@_xmlns': S3_XMLNS, Status: object.legalHold } } };
  },
};

/**
 * A version with no retention (or never a legal hold) to show: 404, as S3 answers it (S3Mock's
 * tests verified against S3 in 2025 see "Status Code: 404" with this message).
 */
function noLockOnObject(): ServiceError {
  return new ServiceError('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
}

/** The version a retention or legal-hold call names, in a bucket with Object Lock. */
function lockedBucketVersion(ctx: RequestContext): { bucket: Bucket; object: S3Object } {
  const bucket = accessibleBucket(ctx);
  if (!bucket.objectLock) throw missingObjectLock('lock-operation');
  return { bucket, object: readableVersion(bucket, ctx.key ?? '', ctx.query.get('versionId') ?? undefined) };
}

/** CreateBucket with x-amz-bucket-object-lock-enabled: true: Object Lock on, and with it versioning (User Guide, "Enabling S3 Object Lock"). */
export function asksForObjectLock(ctx: RequestContext): boolean {
  return ctx.headers['x-amz-bucket-object-lock-enabled']?.trim().toLowerCase() === 'true';
}

export function enableObjectLock(bucket: Bucket): void {
  setVersioning(bucket, 'Enabled');
  bucket.objectLock ??= {};
}

/**
 * PutObjectLockConfiguration: turns Object Lock on for a bucket (a new one, or, since S3
 * allows it, an existing one whose versioning is Enabled) and sets or clears the default
 * retention. A configuration without a Rule removes the default; Object Lock itself is never
 * turned off. The x-amz-bucket-object-lock-token AWS Support once handed out is not needed.
 */
function putObjectLockConfiguration(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  requireIntegrityCheck(ctx);
  const defaultRetention = parseLockConfiguration(ctx.body);
  if (!bucket.objectLock && bucket.versioning !== 'Enabled') {
    throw new ServiceError('InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409, { BucketName: bucket.name });
  }
  enableObjectLock(bucket);
  bucket.objectLock!.defaultRetention = defaultRetention;
  return {};
}

/**
 * <ObjectLockConfiguration>: ObjectLockEnabled must say Enabled; a DefaultRetention needs a
 * mode and exactly one of Days or Years (PutObjectLockConfiguration: "You cannot specify Days
 * and Years at the same time"), a positive number within S3's limit.
 */
function parseLockConfiguration(body: Buffer): DefaultRetention | undefined {
  const root = configRoot(body, 'ObjectLockConfiguration');
  onlyChildren(root, ['ObjectLockEnabled', 'Rule']);
  if (childText(root, 'ObjectLockEnabled') !== 'Enabled') throw malformedXml();
  const rule = childElement(root, 'Rule');
  if (!rule) return undefined;
  onlyChildren(rule, ['DefaultRetention']);
  const retention = childElement(rule, 'DefaultRetention');
  if (!retention) throw malformedXml();
  onlyChildren(retention, ['Mode', 'Days', 'Years']);
  const mode = childText(retention, 'Mode');
  if (!RETENTION_MODES.includes(mode as RetentionMode)) throw malformedXml();
  const days = childText(retention, 'Days');
  const years = childText(retention, 'Years');
  if ((days === undefined) === (years === undefined)) throw malformedXml();
  const [name, text, max] = days !== undefined ? ['Days', days, MAX_DAYS] as const : ['Years', years!, MAX_YEARS] as const;
  if (!/^-?\d+$/.test(text.trim())) throw malformedXml();
  const value = Number(text.trim());
  if (value <= 0) throw invalidArgument('Default retention period must be a positive integer value.', name, text);
  if (value > max) throw invalidArgument('Default retention period too large.', name, text);
  return { mode: mode as RetentionMode, ...(name === 'Days' ? { days: value } : { years: value }) };
}

/**
 * <Retention>: a mode and a future date, or neither (which removes the retention, allowed
 * only where shortening is: object-lock.ts).
 */
function parseRetention(ctx: RequestContext): ObjectRetention | undefined {
  const root = configRoot(ctx.body, 'Retention');
  onlyChildren(root, ['Mode', 'RetainUntilDate']);
  const mode = childText(root, 'Mode');
  const until = childText(root, 'RetainUntilDate');
  if (mode === undefined && until === undefined) return undefined;
  if (mode === undefined || until === undefined || !RETENTION_MODES.includes(mode as RetentionMode)) throw malformedXml();
  const retainUntil = parseTimestamp(until);
  if (!retainUntil) throw malformedXml();
  if (retainUntil.getTime() <= ctx.receivedAt.getTime()) {
    throw invalidArgument('The retain until date must be in the future!', 'RetainUntilDate', until);
  }
  return { mode: mode as RetentionMode, retainUntil };
}
