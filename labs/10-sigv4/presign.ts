import { canonicalHeaders, canonicalRequest, encodeS3Path, uriEncode } from './canonical-request.ts';
import { requestUrl, type Credentials, type Pair, type SignableRequest, type SigningParams } from './signable-request.ts';
import { sha256Hex, UNSIGNED_PAYLOAD } from './sign-request.ts';
import { signature, signingKey } from './signing-key.ts';
import { amzDate, credentialScope, stringToSign } from './string-to-sign.ts';

/**
 * TODO 5: presign `request`: the signature goes in the query instead of a header, so a URL
 * alone (a browser, curl) can make the request until it expires. Return a copy with these
 * query parameters added to the request's own:
 *
 *     X-Amz-Algorithm=AWS4-HMAC-SHA256
 *     X-Amz-Credential=<access key id>/<scope>
 *     X-Amz-Date=<amzDate>
 *     X-Amz-Expires=<expiresSeconds>
 *     X-Amz-SignedHeaders=<the request's headers, as in TODO 1: usually just host>
 *     X-Amz-Security-Token=<session token>        (only with temporary credentials)
 *
 * Those are part of the canonical query (the signature covers its own expiry). The payload
 * hash is UNSIGNED_PAYLOAD for S3 (a URL cannot know the body) and the body's SHA-256
 * otherwise. Then add `X-Amz-Signature=<signature>`, which is of course not signed.
 */
export function presignRequest(request: SignableRequest, params: SigningParams & { expiresSeconds: number }): SignableRequest {
  // BEGIN SOLUTION TODO 5
  const date = amzDate(params.time);
  const scope = credentialScope(date, params.region, params.service);
  const query: Pair[] = [
    ...request.query,
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${params.credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', date],
    ['X-Amz-Expires', String(params.expiresSeconds)],
    ['X-Amz-SignedHeaders', canonicalHeaders(request.headers).signedHeaders],
  ];
  if (params.credentials.sessionToken) query.push(['X-Amz-Security-Token', params.credentials.sessionToken]);
  const payloadHash = params.service === 's3' ? UNSIGNED_PAYLOAD : sha256Hex(request.body);
  const toSign = stringToSign(date, scope, canonicalRequest({ ...request, query }, params.service, payloadHash));
  const key = signingKey(params.credentials.secretAccessKey, date.slice(0, 8), params.region, params.service);
  return { ...request, query: [...query, ['X-Amz-Signature', signature(key, toSign)]] };
  // END SOLUTION
}

/**
 * TODO 5: a presigned URL for S3 GetObject (path style): a GET of encodeS3Path(bucket, key)
 * with only the Host header, presigned for `s3`, as a URL (requestUrl(endpoint, request,
 * uriEncode)) that works for `expiresSeconds` from `time`.
 */
export function presignGetObject(
  endpoint: string,
  credentials: Credentials,
  region: string,
  object: { bucket: string; key: string },
  expiresSeconds: number,
  time: Date,
): string {
  // BEGIN SOLUTION TODO 5
  const request: SignableRequest = { method: 'GET', path: encodeS3Path(object.bucket, object.key), query: [], headers: [['Host', new URL(endpoint).host]], body: '' };
  const presigned = presignRequest(request, { credentials, region, service: 's3', time, expiresSeconds });
  return requestUrl(endpoint, presigned, uriEncode);
  // END SOLUTION
}
