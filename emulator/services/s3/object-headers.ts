import type { ChecksumAlgorithm } from '../../core/checksums.ts';
import { isSendableHeader } from '../../protocols/header-values.ts';
import { invalidArgument } from './s3-errors.ts';
import type { S3Object } from './s3-state.ts';

/** The headers GetObject and HeadObject describe an object with. */
export function objectHeaders(object: S3Object, query: URLSearchParams): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': object.contentType,
    etag: object.etag,
    // RFC 1123, as HTTP dates are: "Tue, 15 Nov 1994 12:45:26 GMT".
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
  };
  const optional: Array<[string, string | undefined]> = [
    ['content-encoding', object.contentEncoding],
    ['content-disposition', object.contentDisposition],
    ['content-language', object.contentLanguage],
    ['cache-control', object.cacheControl],
    ['expires', object.expires],
  ];
  for (const [name, value] of optional) if (value !== undefined) headers[name] = value;
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  // GetObject's response-* parameters override the stored headers (signed requests only, as on AWS).
  for (const name of ['content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding']) {
    const override = query.get(`response-${name}`);
    if (override === null) continue;
    // A value that cannot be a header (CR/LF: response splitting) is the caller's error, not a 500.
    if (!isSendableHeader(name, override)) {
      throw invalidArgument(`The value of response-${name} is not a valid HTTP header value (it contains CR, LF or another control character).`, `response-${name}`, override.replace(/[\x00-\x1f\x7f]/g, '?'));
    }
    headers[name] = override;
  }
  return headers;
}

/** x-amz-checksum-<algorithm> headers for stored checksums (a multipart object's end in -N: checksums of checksums). */
export function checksumHeaders(checksums: Partial<Record<ChecksumAlgorithm, string>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [algorithm, value] of Object.entries(checksums)) {
    headers[`x-amz-checksum-${algorithm.toLowerCase()}`] = value;
  }
  if (Object.keys(headers).length > 0) {
    const composite = Object.values(checksums).some((value) => /-\d+$/.test(value));
    headers['x-amz-checksum-type'] = composite ? 'COMPOSITE' : 'FULL_OBJECT';
  }
  return headers;
}
