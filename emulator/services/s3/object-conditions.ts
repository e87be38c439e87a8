import { ServiceError } from '../../core/service-error.ts';
import type { S3Object } from './s3-state.ts';

/** What a failed precondition turns a read into. */
export type ConditionOutcome = 'proceed' | 'not-modified';

export function preconditionFailed(condition: string): ServiceError {
  return new ServiceError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
    Condition: condition,
  });
}

/**
 * GetObject/HeadObject conditions in the order S3 applies them (RFC 7232 section 6):
 * If-Match, else If-Unmodified-Since (412); then If-None-Match, else If-Modified-Since (304).
 * A true If-Match makes S3 ignore If-Unmodified-Since; a present If-None-Match makes it ignore If-Modified-Since.
 * The header names are parameters so CopyObject can check its x-amz-copy-source-if-* twins.
 */
export function evaluateReadConditions(
  object: S3Object,
  headers: Record<string, string>,
  prefix = '',
): ConditionOutcome {
  const ifMatch = headers[`${prefix}if-match`];
  const ifUnmodifiedSince = headers[`${prefix}if-unmodified-since`];
  const ifNoneMatch = headers[`${prefix}if-none-match`];
  const ifModifiedSince = headers[`${prefix}if-modified-since`];
  const modified = wholeSeconds(object.lastModified);

  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, object.etag)) throw preconditionFailed('If-Match');
  } else if (ifUnmodifiedSince !== undefined) {
    const since = httpDate(ifUnmodifiedSince);
    if (since !== undefined && modified > since) throw preconditionFailed('If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, object.etag)) return notModifiedOr412(prefix, 'If-None-Match');
  } else if (ifModifiedSince !== undefined) {
    const since = httpDate(ifModifiedSince);
    if (since !== undefined && modified <= since) return notModifiedOr412(prefix, 'If-Modified-Since');
  }
  return 'proceed';
}

/** A read answers 304; a copy has nothing to "not modify", so its source conditions fail with 412. */
function notModifiedOr412(prefix: string, condition: string): ConditionOutcome {
  if (prefix) throw preconditionFailed(`x-amz-copy-source-${condition}`);
  return 'not-modified';
}

/** Conditional writes: If-None-Match: * (only if absent) and If-Match: <etag> (only if unchanged). */
export function checkWriteConditions(existing: S3Object | undefined, headers: Record<string, string>): void {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined && existing) throw preconditionFailed('If-None-Match');
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined) {
    if (!existing) throw new ServiceError('NoSuchKey', 'The specified key does not exist.', 404);
    if (!etagMatches(ifMatch, existing.etag)) throw preconditionFailed('If-Match');
  }
}

/** An If-Match/If-None-Match list: `*`, or ETags, quoted or not, comma-separated. */
function etagMatches(header: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '');
  return header.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '').replace(/"/g, '');
    return value === '*' || value === bare;
  });
}

/** HTTP dates compare at whole seconds; an unparseable date is ignored, as HTTP requires. */
function httpDate(value: string): number | undefined {
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000);
}

function wholeSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
