import { createHash } from 'node:crypto';
import { canonicalHeaders, canonicalRequest } from './canonical-request.ts';
import type { Pair, SignableRequest, SigningParams } from './signable-request.ts';
import { signature, signingKey } from './signing-key.ts';
import { amzDate, credentialScope, stringToSign } from './string-to-sign.ts';

/** S3's payload hash when the body is not signed (and only S3 accepts it). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** Hex SHA-256 of a string's UTF-8 bytes. No TODO. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * TODO 4: sign `request` with an Authorization header; return a signed copy (do not change
 * `request` itself). In this order:
 *
 * 1. the headers the signature must cover join the request's: `X-Amz-Date` (the time in
 *    amzDate form), `X-Amz-Security-Token` when the credentials have a session token, and
 *    for S3 only `X-Amz-Content-Sha256` carrying the payload hash;
 * 2. the payload hash: hex SHA-256 of the body, or UNSIGNED_PAYLOAD for S3 when
 *    `params.unsignedPayload` is set;
 * 3. canonical request (TODO 1, signing every header of step 1), string to sign and scope
 *    (TODO 2), signing key and signature (TODO 3);
 * 4. `Authorization: AWS4-HMAC-SHA256 Credential=<access key id>/<scope>, SignedHeaders=<signed headers>, Signature=<signature>`.
 */
export function signRequest(request: SignableRequest, params: SigningParams): SignableRequest {
  // BEGIN SOLUTION TODO 4
  const date = amzDate(params.time);
  const s3 = params.service === 's3';
  const payloadHash = s3 && params.unsignedPayload ? UNSIGNED_PAYLOAD : sha256Hex(request.body);
  const headers: Pair[] = [...request.headers, ['X-Amz-Date', date]];
  if (params.credentials.sessionToken) headers.push(['X-Amz-Security-Token', params.credentials.sessionToken]);
  if (s3) headers.push(['X-Amz-Content-Sha256', payloadHash]);
  const signed = { ...request, headers };

  const scope = credentialScope(date, params.region, params.service);
  const toSign = stringToSign(date, scope, canonicalRequest(signed, params.service, payloadHash));
  const key = signingKey(params.credentials.secretAccessKey, date.slice(0, 8), params.region, params.service);
  const { signedHeaders } = canonicalHeaders(headers);
  const authorization = `AWS4-HMAC-SHA256 Credential=${params.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature(key, toSign)}`;
  return { ...signed, headers: [...headers, ['Authorization', authorization]] };
  // END SOLUTION
}
