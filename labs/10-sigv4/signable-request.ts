/**
 * The shapes every file of this lab shares. No TODO here.
 *
 * A request is plain data, close to what goes over the wire, so you can print it, compare
 * it with the SigV4 test vectors and hand it to `fetch` (see send.ts).
 */

/** One header line or one query parameter: a name and its value. */
export type Pair = [name: string, value: string];

export interface SignableRequest {
  /** GET, PUT, POST ... */
  method: string;
  /**
   * The path exactly as the request line carries it. For S3 it is the bucket and the key,
   * already encoded with S3's rules (see encodeS3Key in canonical-request.ts):
   * `/notes-bucket/2024/jan%20notes.csv`.
   */
  path: string;
  /** Query parameters, decoded (`a b`, not `a%20b`), in any order; a name may repeat. */
  query: Pair[];
  /**
   * Every header the request carries, Host included, in the order they are sent; a name may
   * repeat and its case is as written (`X-Amz-Date`).
   */
  headers: Pair[];
  /** The payload: '' when there is none. */
  body: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (STS) come with a session token. */
  sessionToken?: string;
}

/** What a signature is made for: who signs, where, and when. */
export interface SigningParams {
  credentials: Credentials;
  /** e.g. us-east-1. */
  region: string;
  /** The signing name: `s3`, `sts`, `dynamodb`, or `service` in the test vectors. */
  service: string;
  /** The request time (X-Amz-Date). */
  time: Date;
  /**
   * S3 only: `true` signs the literal UNSIGNED-PAYLOAD instead of the body's SHA-256 (the
   * body then travels without integrity protection from the signature).
   */
  unsignedPayload?: boolean;
}

/** The value of a header (first match, any case), or undefined. */
export function headerValue(request: Pick<SignableRequest, 'headers'>, name: string): string | undefined {
  return request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** The URL `fetch` needs for this request: endpoint + path + query (encoded with SigV4's rules). */
export function requestUrl(endpoint: string, request: Pick<SignableRequest, 'path' | 'query'>, encode: (text: string) => string): string {
  const query = request.query.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
  return `${endpoint.replace(/\/$/, '')}${request.path}${query ? `?${query}` : ''}`;
}
