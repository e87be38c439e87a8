import { ANONYMOUS, type CredentialRecord } from '../core/identity.ts';
import { authServiceError } from '../sigv4/auth-errors.ts';
import { AuthenticationError, fail } from '../sigv4/auth-failure.ts';
import { DEFAULT_PATH_RULES, S3_PATH_RULES } from '../sigv4/canonical-request.ts';
import { readS3Payload, s3PayloadHash } from '../sigv4/s3-payload.ts';
import { readSignatureClaim, type SignatureClaim } from '../sigv4/signature-claim.ts';
import { sha256Hex } from '../sigv4/signing.ts';
import { verifySignature, type VerifiedSignature } from '../sigv4/verify-signature.ts';
import type { RequestContext } from './context.ts';

/** What the signature step learned that the payload step needs (S3 only). */
interface PendingPayload {
  payloadHash: string | undefined;
  signed: { claim: SignatureClaim; verified: VerifiedSignature } | undefined;
}
const pendingPayloads = new WeakMap<RequestContext, PendingPayload>();

/**
 * Authenticate stage: verify the SigV4 signature (Authorization header,
 * presigned URL, or a form the service reads itself: S3 POST Object) with the
 * secret the emulator holds for the access key, then
 * resolve the caller. On S3 it also reads the payload the way S3 does: body
 * hash, aws-chunked decoding (chunk signatures included) and flexible checksums.
 * Both steps at once, for a request whose body is already read.
 */
export function authenticate(ctx: RequestContext): void {
  authenticateSignature(ctx);
  authenticatePayload(ctx);
}

/**
 * The signature step alone. On S3 the signature covers the declared payload hash
 * (x-amz-content-sha256), not the bytes, so it can be checked before the body is read:
 * an unsigned or badly signed 60 MB upload is refused without buffering it. The other
 * protocols sign the body's hash, so their body must be in ctx.rawBody first.
 */
export function authenticateSignature(ctx: RequestContext): void {
  withAuthErrors(ctx, () => authenticateRequest(ctx));
}

/** The payload step (S3): verify the body against what was signed and decode aws-chunked. */
export function authenticatePayload(ctx: RequestContext): void {
  const pending = pendingPayloads.get(ctx);
  if (!pending) return;
  pendingPayloads.delete(ctx);
  withAuthErrors(ctx, () => readPayload(ctx, pending.payloadHash, pending.signed));
}

function withAuthErrors(ctx: RequestContext, step: () => void): void {
  try {
    step();
  } catch (error) {
    if (error instanceof AuthenticationError) throw authServiceError(error.failure, ctx.service?.protocol ?? 'rest-xml');
    throw error;
  }
}

function authenticateRequest(ctx: RequestContext): void {
  // A browser's CORS preflight carries no credentials and is never checked for them: it goes
  // to the URL of the request to come (a presigned URL's signature included) and S3 answers
  // it from the bucket's CORS rules alone (S3 API Reference, "OPTIONS object").
  if (ctx.operation === 'PreflightRequest') {
    ctx.caller = ANONYMOUS;
    return;
  }
  if (ctx.service?.authenticateBody?.(ctx)) return;
  const isS3 = (ctx.service?.protocol ?? 'rest-xml') === 'rest-xml';
  const claim = readSignatureClaim(ctx.headers, ctx.query);
  if (!claim) {
    ctx.caller = ANONYMOUS;
    if (!ctx.service?.allowsAnonymous?.(ctx)) fail({ kind: 'missing-authentication' });
    if (isS3) pendingPayloads.set(ctx, { payloadHash: undefined, signed: undefined });
    return;
  }

  const expectedService = ctx.service?.signingName ?? 's3';
  if (claim.scope.service !== expectedService) fail({ kind: 'wrong-service', service: claim.scope.service, expected: expectedService });
  if (claim.scope.date !== claim.amzDate.slice(0, 8)) fail({ kind: 'scope-date-mismatch', scopeDate: claim.scope.date, amzDate: claim.amzDate });

  const record = ctx.store.credentials.find(claim.accessKeyId);
  if (!record || record.status !== 'Active') fail({ kind: 'unknown-access-key', accessKeyId: claim.accessKeyId });
  checkSessionToken(ctx, record, claim);
  checkRequestTime(ctx, claim);

  const payloadHash = isS3 ? s3PayloadHash(claim, ctx.headers, ctx.query) : sha256Hex(ctx.rawBody);
  const verified = verifySignature({
    claim,
    secretAccessKey: record.secretAccessKey,
    request: {
      method: ctx.method,
      rawPath: ctx.rawPath,
      rawQuery: ctx.rawTarget.slice(ctx.rawPath.length + 1),
      rawHeaders: ctx.rawHeaders,
    },
    payloadHash,
    pathRules: isS3 ? S3_PATH_RULES : DEFAULT_PATH_RULES,
  });

  ctx.credential = record;
  ctx.caller = record.caller;
  ctx.region = claim.scope.region;
  if (isS3) pendingPayloads.set(ctx, { payloadHash, signed: { claim, verified } });
}

/**
 * Temporary credentials must come with their session token, and only until they
 * expire; a long-term key must not come with one.
 */
function checkSessionToken(ctx: RequestContext, record: CredentialRecord, claim: SignatureClaim): void {
  if (record.sessionToken === undefined) {
    if (claim.securityToken !== undefined) fail({ kind: 'invalid-token' });
    return;
  }
  if (claim.securityToken !== record.sessionToken) fail({ kind: 'invalid-token' });
  if (record.expiresAt !== undefined && record.expiresAt < ctx.store.clock.nowMs()) fail({ kind: 'expired-token' });
}

/**
 * A signed request is valid within the allowed clock skew of X-Amz-Date; a
 * presigned URL from X-Amz-Date until X-Amz-Expires seconds later.
 */
function checkRequestTime(ctx: RequestContext, claim: SignatureClaim): void {
  const serverTime = ctx.store.clock.now();
  const maxSkewSeconds = ctx.store.settings.maxClockSkewSeconds;
  const skewMs = maxSkewSeconds * 1000;
  const requestMs = claim.requestTime.getTime();
  if (claim.form === 'header') {
    if (Math.abs(serverTime.getTime() - requestMs) > skewMs) {
      fail({ kind: 'time-skewed', amzDate: claim.amzDate, requestTime: claim.requestTime, serverTime, maxSkewSeconds });
    }
    return;
  }
  const expiresSeconds = claim.expiresSeconds ?? 0;
  const expiresAt = new Date(requestMs + expiresSeconds * 1000);
  if (serverTime.getTime() > expiresAt.getTime()) fail({ kind: 'presign-expired', expiresSeconds, expiresAt, serverTime });
  if (requestMs - serverTime.getTime() > skewMs) fail({ kind: 'presign-not-yet-valid', amzDate: claim.amzDate, serverTime });
}

function readPayload(
  ctx: RequestContext,
  payloadHash: string | undefined,
  signed: { claim: SignatureClaim; verified: VerifiedSignature } | undefined,
): void {
  const chunkSigning = signed && {
    signingKey: signed.verified.signingKey,
    amzDate: signed.claim.amzDate,
    scope: signed.claim.scope,
    seedSignature: signed.claim.signature,
  };
  const payload = readS3Payload(payloadHash, { ...checksumsInQuery(ctx.query), ...ctx.headers }, ctx.rawBody, chunkSigning);
  ctx.body = payload.body;
  if (Object.keys(payload.checksums).length > 0) ctx.payloadChecksums = payload.checksums;
}

/**
 * A presigned URL carries the checksum headers the SDK computed when it signed
 * (`x-amz-checksum-crc32=...` in the query: the SDK hoists them), and S3 verifies them as
 * if they were headers. With the SDK's default `requestChecksumCalculation`, a presigned
 * PutObject URL holds the checksum of an empty body, so S3 refuses the real upload with
 * BadDigest; `requestChecksumCalculation: 'WHEN_REQUIRED'` leaves it out.
 */
function checksumsInQuery(query: URLSearchParams): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, value] of query) {
    if (/^x-amz-checksum-[a-z0-9]+$/i.test(name)) found[name.toLowerCase()] = value;
  }
  return found;
}
