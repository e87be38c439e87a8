import { fail } from './auth-failure.ts';
import { canonicalRequest, type PathRules, type WireRequest } from './canonical-request.ts';
import type { SignatureClaim } from './signature-claim.ts';
import { requestStringToSign, signatureOf, signaturesEqual, signingKey } from './signing.ts';

export interface SignatureCheck {
  claim: SignatureClaim;
  secretAccessKey: string;
  request: WireRequest;
  /** The last line of the canonical request: a body hash, UNSIGNED-PAYLOAD or a STREAMING-* literal. */
  payloadHash: string;
  pathRules: PathRules;
}

export interface VerifiedSignature {
  /** Streaming uploads sign each chunk with the same key, chained from the seed signature. */
  signingKey: Buffer;
  canonicalRequest: string;
  stringToSign: string;
}

const PRESIGNED_SIGNATURE = new Set(['X-Amz-Signature']);

/**
 * Recomputes the signature the client should have produced with the secret we
 * hold, and compares in constant time. Throws a signature-mismatch failure
 * carrying the canonical request and string to sign (S3 returns both, which is
 * how a student debugging a hand-made signature finds the difference).
 */
export function verifySignature(check: SignatureCheck): VerifiedSignature {
  const { claim } = check;
  requireSignedHeaders(check);
  const canonical = canonicalRequest({
    request: check.request,
    signedHeaders: claim.signedHeaders,
    payloadHash: check.payloadHash,
    pathRules: check.pathRules,
    excludeQuery: claim.form === 'query' ? PRESIGNED_SIGNATURE : undefined,
  });
  const stringToSign = requestStringToSign(claim.amzDate, claim.scope, canonical);
  const key = signingKey(check.secretAccessKey, claim.scope);
  if (!signaturesEqual(signatureOf(key, stringToSign), claim.signature)) {
    fail({
      kind: 'signature-mismatch',
      accessKeyId: claim.accessKeyId,
      canonicalRequest: canonical,
      stringToSign,
      signatureProvided: claim.signature,
    });
  }
  return { signingKey: key, canonicalRequest: canonical, stringToSign };
}

/**
 * Headers a signature must cover, checked before the signature itself (a request that
 * leaves them out could be replayed with other values). S3: every x-amz-* header present
 * except x-amz-content-sha256, in either form (S3 answers AccessDenied "There were headers
 * present in the request which were not signed", naming them). The other services: Host,
 * and X-Amz-Date when the time travels in that header (the SigV4 guide, "Create a signed
 * AWS API request": the host header must be signed, and a date or x-amz-date header that is
 * included must be signed as well).
 */
function requireSignedHeaders({ claim, request }: SignatureCheck): void {
  const signed = new Set(claim.signedHeaders);
  const present = new Set<string>();
  for (let i = 0; i < request.rawHeaders.length; i += 2) present.add(request.rawHeaders[i]!.toLowerCase());
  const missing =
    claim.scope.service === 's3'
      ? [...present].filter((name) => name.startsWith('x-amz-') && name !== 'x-amz-content-sha256' && !signed.has(name)).sort()
      : ['host', ...(claim.form === 'header' ? ['x-amz-date'] : [])].filter((name) => !signed.has(name));
  if (missing.length > 0) fail({ kind: 'headers-not-signed', headers: missing });
}
