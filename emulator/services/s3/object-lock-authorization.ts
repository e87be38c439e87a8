import type { AuthorizationRequest, RequestContext } from '../../pipeline/context.ts';
import { parseXml } from '../../protocols/xml.ts';
import { asksForObjectLock } from './object-lock-handlers.ts';
import { parseTimestamp } from './object-lock.ts';

/** What Object Lock adds to the authorization of S3 requests (s3-authorization.ts asks). */

/**
 * Object Lock asks for more than the operation's own action. CreateBucket with
 * x-amz-bucket-object-lock-enabled needs s3:PutBucketObjectLockConfiguration and
 * s3:PutBucketVersioning (S3 API Reference, CreateBucket, "Permissions"). A write that names a
 * retention needs s3:PutObjectRetention, one that names a legal hold s3:PutObjectLegalHold: the
 * User Guide's way to enforce a bucket's default retention is to deny users s3:PutObjectRetention,
 * after which S3 "rejects any request to put an object that includes a retention mode and setting".
 */
export function lockPermissions(ctx: RequestContext, operation: string, request: AuthorizationRequest): AuthorizationRequest[] | undefined {
  const needed: string[] = [];
  if (operation === 'CreateBucket' && asksForObjectLock(ctx)) needed.push('s3:PutBucketObjectLockConfiguration', 's3:PutBucketVersioning');
  if (operation === 'PutObject' || operation === 'CopyObject' || operation === 'CreateMultipartUpload') {
    if (ctx.headers['x-amz-object-lock-mode'] !== undefined || ctx.headers['x-amz-object-lock-retain-until-date'] !== undefined) needed.push('s3:PutObjectRetention');
    if (ctx.headers['x-amz-object-lock-legal-hold'] !== undefined) needed.push('s3:PutObjectLegalHold');
  }
  if (needed.length === 0) return request.additional;
  return [...(request.additional ?? []), ...needed.map((action) => ({ ...request, action, additional: undefined }))];
}

/**
 * The Object Lock condition keys a write or a lock call carries (Service Authorization
 * Reference, Amazon S3: s3:object-lock-mode, s3:object-lock-retain-until-date and
 * s3:object-lock-remaining-retention-days on s3:PutObject and s3:PutObjectRetention,
 * s3:object-lock-legal-hold on s3:PutObject and s3:PutObjectLegalHold), so a bucket policy can
 * bound retention periods as the User Guide's "Setting retention limits" example does. Only
 * what the request names: a bucket default applied later sets no key. Remaining days are
 * counted up (a retention of 10 days and an hour is 11 days), our choice where AWS does not say.
 */
export function objectLockConditions(ctx: RequestContext, operation: string): Record<string, string> | undefined {
  let mode: string | undefined;
  let until: string | undefined;
  let legalHold: string | undefined;
  if (operation === 'PutObject' || operation === 'CopyObject' || operation === 'CreateMultipartUpload') {
    mode = ctx.headers['x-amz-object-lock-mode'];
    until = ctx.headers['x-amz-object-lock-retain-until-date'];
    legalHold = ctx.headers['x-amz-object-lock-legal-hold'];
  } else if (operation === 'PutObjectRetention' || operation === 'PutObjectLegalHold') {
    const document = lockDocument(ctx.body, operation === 'PutObjectRetention' ? 'Retention' : 'LegalHold');
    mode = document?.Mode;
    until = document?.RetainUntilDate;
    legalHold = document?.Status;
  } else {
    return undefined;
  }
  const conditions: Record<string, string> = {};
  if (mode !== undefined) conditions['s3:object-lock-mode'] = mode;
  if (legalHold !== undefined) conditions['s3:object-lock-legal-hold'] = legalHold;
  const date = until !== undefined ? parseTimestamp(until) : undefined;
  if (date) {
    conditions['s3:object-lock-retain-until-date'] = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    conditions['s3:object-lock-remaining-retention-days'] = String(Math.max(0, Math.ceil((date.getTime() - ctx.receivedAt.getTime()) / 86_400_000)));
  }
  return Object.keys(conditions).length > 0 ? conditions : undefined;
}

/** The text children of a small lock document (<Retention>, <LegalHold>); undefined when it is not one (the handler reports that). */
function lockDocument(body: Buffer, root: string): Record<string, string | undefined> | undefined {
  try {
    const element = parseXml(body)[root];
    if (typeof element !== 'object' || element === null) return undefined;
    const texts = Object.entries(element as Record<string, unknown>).filter(([, value]) => typeof value === 'string');
    return Object.fromEntries(texts) as Record<string, string>;
  } catch {
    return undefined;
  }
}
