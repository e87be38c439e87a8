import type { Pair, SignableRequest } from './signable-request.ts';

/**
 * TODO 1: SigV4's URI encoding. Every byte of the UTF-8 form of `text` becomes `%XY`
 * (upper-case hex) except the unreserved characters A-Z a-z 0-9 - . _ ~ ; a space is
 * `%20`, never `+`. With `encodeSlash` false, `/` stays as it is (object keys in a path).
 * encodeURIComponent is close but leaves ! ' ( ) * alone: encode those too.
 */
export function uriEncode(text: string, encodeSlash = true): string {
  // BEGIN SOLUTION TODO 1
  const encoded = encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return encodeSlash ? encoded : encoded.replace(/%2F/g, '/');
  // END SOLUTION
}

/** An S3 object's path: `/bucket/key`, the key encoded once, its slashes kept. No TODO. */
export function encodeS3Path(bucket: string, key: string): string {
  return `/${bucket}/${uriEncode(key, false)}`;
}

/**
 * TODO 1: the canonical URI. For every service but S3: remove empty, `.` and `..` segments
 * (`//a/./b/../c/` is `/a/c/`), then URI-encode each segment, although the path is already
 * encoded on the wire (so `%20` becomes `%2520`: AWS calls it double encoding). For S3:
 * the path exactly as given, neither normalised nor encoded again. An empty path is `/`.
 */
export function canonicalUri(path: string, service: string): string {
  // BEGIN SOLUTION TODO 1
  if (service === 's3') return path || '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  const trailingSlash = segments.length > 0 && path.endsWith('/');
  return `/${segments.join('/')}${trailingSlash ? '/' : ''}`;
  // END SOLUTION
}

/**
 * TODO 1: the canonical query string. Encode every name and value with uriEncode, sort the
 * pairs by encoded name (then by value when a name repeats), in code-point order (upper
 * case before lower case), and join them as `name=value` with `&`. A parameter without a
 * value is `name=`. No parameters: ''.
 */
export function canonicalQuery(query: Pair[]): string {
  // BEGIN SOLUTION TODO 1
  return query
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  // END SOLUTION
}

export interface CanonicalHeaders {
  /** One `name:value\n` line per header name, sorted by name. */
  canonicalHeaders: string;
  /** The same names, sorted, joined with `;`: host;x-amz-date */
  signedHeaders: string;
}

/**
 * TODO 1: the canonical headers and the signed-header list, signing every header given.
 * Names in lower case; each value trimmed and every run of spaces inside it made one
 * space; a name that repeats gets its values joined with `,` in the order they came;
 * lines sorted by name.
 */
export function canonicalHeaders(headers: Pair[]): CanonicalHeaders {
  // BEGIN SOLUTION TODO 1
  const values = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    values.set(key, [...(values.get(key) ?? []), value.trim().replace(/ +/g, ' ')]);
  }
  const names = [...values.keys()].sort();
  return {
    canonicalHeaders: names.map((name) => `${name}:${values.get(name)!.join(',')}\n`).join(''),
    signedHeaders: names.join(';'),
  };
  // END SOLUTION
}

/**
 * TODO 1: the canonical request, six lines joined with `\n`:
 *
 *     METHOD
 *     canonical URI
 *     canonical query
 *     canonical headers (each ends with its own \n, so a blank line follows them)
 *     signed headers
 *     payload hash (hex SHA-256 of the body, or UNSIGNED-PAYLOAD)
 */
export function canonicalRequest(request: SignableRequest, service: string, payloadHash: string): string {
  // BEGIN SOLUTION TODO 1
  const headers = canonicalHeaders(request.headers);
  return [
    request.method,
    canonicalUri(request.path, service),
    canonicalQuery(request.query),
    headers.canonicalHeaders,
    headers.signedHeaders,
    payloadHash,
  ].join('\n');
  // END SOLUTION
}
