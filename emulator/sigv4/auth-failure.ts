/**
 * Why a request failed authentication, independent of the protocol. The
 * authenticate stage turns it into the AWS error of the service that was asked
 * (S3, the query services and DynamoDB all word the same failure differently).
 */
export type AuthFailure =
  | { kind: 'missing-authentication' }
  /** The Authorization header lacks Credential, SignedHeaders or Signature. */
  | { kind: 'incomplete-authorization'; authorization: string; missing: string[] }
  /** Authorization header or presigned parameters unparsable (reason: a sentence). */
  | { kind: 'malformed'; form: 'header' | 'query'; reason: string }
  /** An Authorization scheme other than AWS4-HMAC-SHA256 (SigV2, SigV4a ...). */
  | { kind: 'unsupported-mechanism' }
  /** Both an Authorization header and presigned query parameters. */
  | { kind: 'conflicting-mechanisms' }
  | { kind: 'missing-date'; authorization: string }
  | { kind: 'presign-expires-invalid'; reason: string }
  | { kind: 'wrong-service'; service: string; expected: string }
  | { kind: 'scope-date-mismatch'; scopeDate: string; amzDate: string }
  | { kind: 'unknown-access-key'; accessKeyId: string }
  | { kind: 'invalid-token' }
  | { kind: 'expired-token' }
  | { kind: 'time-skewed'; amzDate: string; requestTime: Date; serverTime: Date; maxSkewSeconds: number }
  | { kind: 'presign-expired'; expiresSeconds: number; expiresAt: Date; serverTime: Date }
  | { kind: 'presign-not-yet-valid'; amzDate: string; serverTime: Date }
  /** Headers the signature had to cover and does not (lower-case names). */
  | { kind: 'headers-not-signed'; headers: string[] }
  | {
      kind: 'signature-mismatch';
      accessKeyId: string;
      canonicalRequest: string;
      stringToSign: string;
      signatureProvided: string;
    };

export class AuthenticationError extends Error {
  constructor(readonly failure: AuthFailure) {
    super(`SigV4 authentication failed: ${failure.kind}`);
    this.name = 'AuthenticationError';
  }
}

export function fail(failure: AuthFailure): never {
  throw new AuthenticationError(failure);
}
