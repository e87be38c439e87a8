import { createHash } from 'node:crypto';
import type { RequestContext } from '../../pipeline/context.ts';
import { accessDenied, noSuchBucket } from './s3-errors.ts';
import { s3State, type Bucket } from './s3-state.ts';

/** The addressed (or named) bucket, or NoSuchBucket. */
export function existingBucket(ctx: RequestContext, name: string = ctx.bucket ?? ''): Bucket {
  const bucket = s3State(ctx.store).buckets.get(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

/**
 * The addressed (or named) bucket, when the caller may use it at all. Without a bucket policy only the
 * owner's account can (S3 denies other accounts and anonymous callers by default); with a
 * policy, the authorize stage decides, so the request goes on.
 */
export function accessibleBucket(ctx: RequestContext, name: string = ctx.bucket ?? ''): Bucket {
  const bucket = existingBucket(ctx, name);
  if (bucket.ownerAccount !== ctx.caller.accountId && bucket.policy === undefined) throw accessDenied();
  return bucket;
}

/** S3 identifies owners by a 64-hex-digit canonical user id; ours is derived from the account id, stable across runs. */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`s3-canonical-user:${accountId}`).digest('hex');
}

export function ownerElement(accountId: string): { ID: string; DisplayName: string } {
  return { ID: canonicalUserId(accountId), DisplayName: accountId };
}
