import { encodeS3Path, uriEncode } from './canonical-request.ts';
import { requestUrl, type Credentials, type SignableRequest } from './signable-request.ts';
import { signRequest } from './sign-request.ts';

/** What came back: the status and the body as text (XML for STS and S3, JSON for DynamoDB). */
export interface HttpResponse {
  status: number;
  body: string;
}

/**
 * TODO 4: an STS GetCallerIdentity request, signed: the query protocol, sent as a POST form.
 * POST to `/` of `endpoint` with the body `Action=GetCallerIdentity&Version=2011-06-15`, the
 * headers Host (the endpoint's host and port) and
 * `Content-Type: application/x-www-form-urlencoded; charset=utf-8`, signed for the service `sts`.
 */
export function getCallerIdentityRequest(endpoint: string, credentials: Credentials, region: string, time: Date): SignableRequest {
  // BEGIN SOLUTION TODO 4
  const request: SignableRequest = {
    method: 'POST',
    path: '/',
    query: [],
    headers: [
      ['Host', new URL(endpoint).host],
      ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
    ],
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  };
  return signRequest(request, { credentials, region, service: 'sts', time });
  // END SOLUTION
}

/**
 * TODO 4: a DynamoDB ListTables request, signed: the JSON 1.0 protocol. POST to `/` with
 * the body `{}` and the headers Host, `Content-Type: application/x-amz-json-1.0` and
 * `X-Amz-Target: DynamoDB_20120810.ListTables` (the operation travels in that header),
 * signed for the service `dynamodb`.
 */
export function listTablesRequest(endpoint: string, credentials: Credentials, region: string, time: Date): SignableRequest {
  // BEGIN SOLUTION TODO 4
  const request: SignableRequest = {
    method: 'POST',
    path: '/',
    query: [],
    headers: [
      ['Host', new URL(endpoint).host],
      ['Content-Type', 'application/x-amz-json-1.0'],
      ['X-Amz-Target', 'DynamoDB_20120810.ListTables'],
    ],
    body: '{}',
  };
  return signRequest(request, { credentials, region, service: 'dynamodb', time });
  // END SOLUTION
}

/**
 * TODO 4: an S3 PutObject request, signed: PUT to the path-style object path (encodeS3Path)
 * with `body` as the payload and the headers Host and `Content-Type: text/plain`, signed for
 * the service `s3` with the body's hash, or UNSIGNED-PAYLOAD when `unsignedPayload` is set.
 */
export function putObjectRequest(
  endpoint: string,
  credentials: Credentials,
  region: string,
  object: { bucket: string; key: string; body: string; unsignedPayload: boolean },
  time: Date,
): SignableRequest {
  // BEGIN SOLUTION TODO 4
  const request: SignableRequest = {
    method: 'PUT',
    path: encodeS3Path(object.bucket, object.key),
    query: [],
    headers: [
      ['Host', new URL(endpoint).host],
      ['Content-Type', 'text/plain'],
    ],
    body: object.body,
  };
  return signRequest(request, { credentials, region, service: 's3', time, unsignedPayload: object.unsignedPayload });
  // END SOLUTION
}

/**
 * TODO 4: send a signed request with `fetch` to `endpoint` and answer its status and body
 * text, whatever the status (an AWS error is an answer too). The URL: requestUrl(endpoint,
 * request, uriEncode). Send exactly the signed headers (fetch adds a few of its own, which
 * are not signed and need not be) and the body, except for GET and HEAD, which have none.
 */
export async function send(endpoint: string, request: SignableRequest): Promise<HttpResponse> {
  // BEGIN SOLUTION TODO 4
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const response = await fetch(requestUrl(endpoint, request, uriEncode), {
    method: request.method,
    headers: request.headers,
    body: hasBody ? request.body : undefined,
  });
  return { status: response.status, body: await response.text() };
  // END SOLUTION
}
