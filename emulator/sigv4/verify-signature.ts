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
