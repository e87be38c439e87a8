import { createHash } from 'node:crypto';

/**
 * TODO 2: the request time as SigV4 writes it, in UTC: `20150830T123600Z`
 * (yyyymmddThhmmssZ: no dashes, no colons, no milliseconds).
 */
export function amzDate(time: Date): string {
  // BEGIN SOLUTION TODO 2
  return time.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  // END SOLUTION
}

/**
 * TODO 2: the credential scope, `<date>/<region>/<service>/aws4_request`, where <date> is
 * the yyyymmdd of the request's own X-Amz-Date (`amzDate`), never another clock.
 */
export function credentialScope(amzDate: string, region: string, service: string): string {
  // BEGIN SOLUTION TODO 2
  return `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  // END SOLUTION
}

/**
 * TODO 2: the string to sign, four lines joined with `\n` (no newline at the end):
 *
 *     AWS4-HMAC-SHA256
 *     <amzDate>
 *     <credential scope>
 *     <hex SHA-256 of the canonical request>
 */
export function stringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  // BEGIN SOLUTION TODO 2
  const hash = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return ['AWS4-HMAC-SHA256', amzDate, scope, hash].join('\n');
  // END SOLUTION
}
