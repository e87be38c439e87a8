import { uriDecode, uriEncode } from './uri-encoding.ts';

/** How a service canonicalises the path: S3 is the exception to both rules. */
export interface PathRules {
  /** Remove `.`/`..` and empty segments (every service but S3). */
  normalize: boolean;
  /** Encode the already-encoded path once more (every service but S3). */
  doubleEncode: boolean;
}

export const S3_PATH_RULES: PathRules = { normalize: false, doubleEncode: false };
export const DEFAULT_PATH_RULES: PathRules = { normalize: true, doubleEncode: true };

/** The parts of a request as they came over the wire. */
export interface WireRequest {
  method: string;
  /** Path as received, percent-encoding intact. */
  rawPath: string;
  /** Query string as received, without the `?`. */
  rawQuery: string;
  /** Node's rawHeaders: name, value, name, value ... (repeated headers kept apart). */
  rawHeaders: readonly string[];
}

/**
 * The canonical URI. The wire path is decoded segment by segment and encoded
 * again with SigV4's strict rules, so a client that left `!` or `*` unencoded
 * still gets the canonical form it signed.
 */
export function canonicalUri(rawPath: string, rules: PathRules): string {
  const path = rawPath || '/';
  let segments = path.split('/').map(uriDecode);
  if (rules.normalize) segments = normalizeSegments(segments, path.endsWith('/'));
  let encoded = segments.map(uriEncode).join('/');
  if (rules.doubleEncode) encoded = encoded.split('/').map(uriEncode).join('/');
  return encoded.startsWith('/') ? encoded : `/${encoded}`;
}

/** RFC 3986 dot-segment removal, plus the empty segments SigV4 drops (`//a//` -> `/a/`). */
function normalizeSegments(segments: string[], trailingSlash: boolean): string[] {
  const kept: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(segment);
  }
  if (kept.length === 0) return ['', ''];
  return ['', ...kept, ...(trailingSlash ? [''] : [])];
}

/**
 * The canonical query string: each name and value decoded and re-encoded
 * strictly, sorted by name then value. `exclude` drops X-Amz-Signature for
 * presigned URLs (a signature cannot sign itself).
 */
export function canonicalQuery(rawQuery: string, exclude: ReadonlySet<string> = new Set()): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = uriDecode(eq === -1 ? part : part.slice(0, eq));
    if (exclude.has(name)) continue;
    const value = eq === -1 ? '' : uriDecode(part.slice(eq + 1));
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * Values of the signed headers, canonicalised: repeated headers joined with `,`
 * in arrival order, each value trimmed with inner runs of spaces collapsed.
 * A signed header the request does not carry is absent from the map.
 */
export function canonicalHeaderValues(rawHeaders: readonly string[], signedHeaders: readonly string[]): Map<string, string> {
  const wanted = new Set(signedHeaders);
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!wanted.has(name)) continue;
    const value = rawHeaders[i + 1]!.replace(/[ \t]+/g, ' ').trim();
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return new Map([...values].map(([name, list]) => [name, list.join(',')]));
}

export interface CanonicalRequestInput {
  request: WireRequest;
  signedHeaders: readonly string[];
  payloadHash: string;
  pathRules: PathRules;
  /** Query parameters left out of the canonical query (X-Amz-Signature when presigned). */
  excludeQuery?: ReadonlySet<string>;
}

/** The canonical request of SigV4 task 1; a signed header that is absent counts as empty. */
export function canonicalRequest(input: CanonicalRequestInput): string {
  const { request, signedHeaders } = input;
  const values = canonicalHeaderValues(request.rawHeaders, signedHeaders);
  const headerLines = signedHeaders.map((name) => `${name}:${values.get(name) ?? ''}\n`).join('');
  return [
    request.method,
    canonicalUri(request.rawPath, input.pathRules),
    canonicalQuery(request.rawQuery, input.excludeQuery),
    headerLines,
    signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}
