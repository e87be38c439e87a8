/**
 * The limit the benchmarks compare with (issue 16): a node:http server that does no work
 * beyond answering each request the benchmarks send with a minimal response the SDK accepts
 * for that operation. Nothing is stored: the answers are fixed (rendered once at start), sized
 * to what the workload checks (GetObject's length, ListObjectsV2's key count). Whatever a
 * real server does on top of parsing a request and writing an answer shows as the distance
 * between its rate and this one's.
 *
 * Operations (path-style S3, STS query protocol): CreateBucket, PutObject, GetObject,
 * HeadObject, ListObjectsV2, DeleteObjects, DeleteBucket, GetCallerIdentity, and the
 * multipart upload lib-storage makes (CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload). Anything else gets a 501 naming it, so a benchmark that sends
 * something new fails instead of measuring an error path.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NullServerOptions {
  /** GetObject and HeadObject answer an object of this many bytes. */
  objectBytes: number;
  /** ListObjectsV2 lists these keys (in any bucket). */
  listedKeys: string[];
  /** GetCallerIdentity's account. */
  accountId: string;
}

export interface NullServer {
  endpoint: string;
  /** Requests answered so far. */
  readonly requests: number;
  /** Request body bytes received (and dropped) so far. */
  readonly bytesReceived: number;
  stop(): Promise<void>;
}

const ETAG = '"0123456789abcdef0123456789abcdef"';
const LAST_MODIFIED = 'Sun, 29 Nov 2026 00:00:00 GMT';
const XML = { 'content-type': 'application/xml' };

export async function startNullServer(options: NullServerOptions): Promise<NullServer> {
  const object = Buffer.alloc(options.objectBytes, 'x');
  const listing = (bucket: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix></Prefix>` +
    `<KeyCount>${options.listedKeys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>` +
    options.listedKeys.map((key) => `<Contents><Key>${key}</Key><LastModified>2026-11-29T00:00:00.000Z</LastModified><ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag><Size>${options.objectBytes}</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('') +
    `</ListBucketResult>`;
  // The bucket name is part of the listing; the workloads use few buckets, so each is rendered once.
  const listings = new Map<string, Buffer>();
  const identity = Buffer.from(
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
      `<Arn>arn:aws:iam::${options.accountId}:root</Arn><UserId>${options.accountId}</UserId><Account>${options.accountId}</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
  let requests = 0;
  let bytesReceived = 0;

  const answer = (request: IncomingMessage, response: ServerResponse, body: Buffer | undefined) => {
    requests++;
    const url = new URL(request.url ?? '/', 'http://null');
    const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
    const key = rest.join('/');
    const query = url.searchParams;
    const send = (status: number, headers: Record<string, string | number>, payload?: Buffer | string) => {
      response.writeHead(status, { 'x-amz-request-id': 'null', ...headers, 'content-length': payload === undefined ? 0 : Buffer.byteLength(payload) });
      response.end(payload);
    };
    const method = request.method;
    // The query names the operation (PUT ?versioning is not CreateBucket); the SDK adds x-id to some.
    const only = (...names: string[]) => [...query.keys()].every((name) => name === 'x-id' || names.includes(name)) && names.every((name) => query.has(name));
    if (method === 'POST' && bucket === '' && body?.toString().includes('Action=GetCallerIdentity')) return send(200, { 'content-type': 'text/xml' }, identity);
    if (method === 'PUT' && bucket && !key && only()) return send(200, { location: `/${bucket}` });
    if (method === 'DELETE' && bucket && !key && only()) return send(204, {});
    if (method === 'GET' && bucket && !key && only('list-type') && query.get('list-type') === '2') {
      let listed = listings.get(bucket);
      if (!listed) listings.set(bucket, (listed = Buffer.from(listing(bucket))));
      return send(200, XML, listed);
    }
    if (method === 'POST' && bucket && !key && only('delete')) return send(200, XML, '<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>');
    if (method === 'POST' && key && only('uploads')) {
      return send(200, XML, `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>null-upload</UploadId></InitiateMultipartUploadResult>`);
    }
    if (method === 'POST' && key && only('uploadId')) {
      return send(200, XML, `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>/${bucket}/${key}</Location><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>&quot;0123456789abcdef0123456789abcdef-1&quot;</ETag></CompleteMultipartUploadResult>`);
    }
    // PutObject and UploadPart: the body was read and dropped.
    if (method === 'PUT' && key && (only() || only('partNumber', 'uploadId'))) return send(200, { etag: ETAG });
    const objectHeaders = { etag: ETAG, 'last-modified': LAST_MODIFIED, 'content-type': 'application/octet-stream' };
    if (method === 'GET' && key && only()) return send(200, objectHeaders, object);
    if (method === 'HEAD' && key && only()) {
      response.writeHead(200, { ...objectHeaders, 'content-length': options.objectBytes });
      return response.end();
    }
    send(501, XML, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code><Message>the null server does not answer ${method} ${request.url}</Message></Error>`);
  };

  const server = createServer((request, response) => {
    // Only STS's form body is read; object bodies are counted and dropped as they arrive.
    const keep = request.method === 'POST' && (request.url === '/' || request.url === '');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      bytesReceived += chunk.length;
      if (keep) chunks.push(chunk);
    });
    request.on('end', () => answer(request, response, keep ? Buffer.concat(chunks) : undefined));
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get bytesReceived() {
      return bytesReceived;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
