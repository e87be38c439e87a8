import { createHmac } from 'node:crypto';

/**
 * TODO 3: the signing key, four HMAC-SHA256 steps, each keyed with the previous step's
 * raw 32 bytes (its digest(), never its hex text):
 *
 *     kDate    = HMAC("AWS4" + secretAccessKey, date)      date: yyyymmdd
 *     kRegion  = HMAC(kDate, region)
 *     kService = HMAC(kRegion, service)
 *     kSigning = HMAC(kService, "aws4_request")
 */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Uint8Array {
  // BEGIN SOLUTION TODO 3
  const hmac = (key: string | Uint8Array, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
  // END SOLUTION
}

/** TODO 3: the signature: HMAC-SHA256(signing key, string to sign), as 64 lower-case hex digits. */
export function signature(key: Uint8Array, stringToSign: string): string {
  // BEGIN SOLUTION TODO 3
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  // END SOLUTION
}
