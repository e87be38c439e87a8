import type { RequestContext } from '../../pipeline/context.ts';

/**
 * Every operation of the S3 REST API, as the service model describes its request
 * (botocore data/s3/2006-03-01/service-2.json: `http.method`, `http.requestUri`, and
 * the required query parameters and headers), so a request is always named for the
 * operation it asks for. An operation without a handler answers 501 NotImplemented
 * naming it; it is never served as another operation (DELETE ?lifecycle is not
 * DeleteBucket, PUT ?legal-hold is not PutObject). test/botocore-routing.test.ts
 * checks this table against the installed botocore model.
 */
export interface S3Route {
  name: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  /** What the path addresses: `/`, `/{Bucket}`, or `/{Bucket}/{Key+}`. */
  target: 'service' | 'bucket' | 'object';
  /** Query parameters that must be present (the `?lifecycle` in the request URI, required ones like uploadId). */
  query?: string[];
  /** Query parameters with a fixed value (`list-type=2`, `select-type=2`). */
  queryValues?: Record<string, string>;
  /** Headers that must be present (x-amz-copy-source tells CopyObject from PutObject). */
  headers?: string[];
}

const bucketConfig = (name: string, sub: string, methods: Array<'GET' | 'PUT' | 'DELETE'>, query: string[] = []): S3Route[] =>
  methods.map((method) => ({ name: `${{ GET: 'Get', PUT: 'Put', DELETE: 'Delete' }[method]}${name}`, method, target: 'bucket', query: [sub, ...query] }));

export const S3_ROUTES: readonly S3Route[] = [
  // The service root.
  { name: 'ListBuckets', method: 'GET', target: 'service' },
  // S3 Express: the same GET / on the s3express-control endpoint (see s3OperationOf).
  { name: 'ListDirectoryBuckets', method: 'GET', target: 'service', queryValues: { 'x-id': 'ListDirectoryBuckets' } },

  // Buckets.
  { name: 'CreateBucket', method: 'PUT', target: 'bucket' },
  { name: 'HeadBucket', method: 'HEAD', target: 'bucket' },
  { name: 'DeleteBucket', method: 'DELETE', target: 'bucket' },
  { name: 'ListObjects', method: 'GET', target: 'bucket' },
  { name: 'ListObjectsV2', method: 'GET', target: 'bucket', queryValues: { 'list-type': '2' } },
  { name: 'ListObjectVersions', method: 'GET', target: 'bucket', query: ['versions'] },
  { name: 'ListMultipartUploads', method: 'GET', target: 'bucket', query: ['uploads'] },
  { name: 'GetBucketLocation', method: 'GET', target: 'bucket', query: ['location'] },
  { name: 'GetBucketPolicyStatus', method: 'GET', target: 'bucket', query: ['policyStatus'] },
  { name: 'DeleteObjects', method: 'POST', target: 'bucket', query: ['delete'] },
  { name: 'CreateSession', method: 'GET', target: 'bucket', query: ['session'] },
  ...bucketConfig('BucketWebsite', 'website', ['GET', 'PUT', 'DELETE']),
  ...bucketConfig('BucketPolicy', 'policy', ['GET', 'PUT', 'DELETE']),
  ...bucketConfig('PublicAccessBlock', 'publicAccessBlock', ['GET', 'PUT', 'DELETE']),
  ...bucketConfig('BucketTagging', 'tagging', ['GET', 'PUT', 'DELETE']),
  ...bucketConfig('BucketCors', 'cors', ['GET', 'PUT', 'DELETE']),
  ...bucketConfig('BucketVersioning', 'versioning', ['GET', 'PUT']),
  ...bucketConfig('BucketAcl', 'acl', ['GET', 'PUT']),
  ...bucketConfig('BucketOwnershipControls', 'ownershipControls', ['GET', 'PUT', 'DELETE']),
  ...bucketConfig('BucketEncryption', 'encryption', ['GET', 'PUT', 'DELETE']),
  // GetBucketLifecycle / PutBucketLifecycle (deprecated) send the very same requests: see WIRE_ALIASES.
  { name: 'GetBucketLifecycleConfiguration', method: 'GET', target: 'bucket', query: ['lifecycle'] },
  { name: 'PutBucketLifecycleConfiguration', method: 'PUT', target: 'bucket', query: ['lifecycle'] },
  { name: 'DeleteBucketLifecycle', method: 'DELETE', target: 'bucket', query: ['lifecycle'] },
  { name: 'GetBucketNotificationConfiguration', method: 'GET', target: 'bucket', query: ['notification'] },
  { name: 'PutBucketNotificationConfiguration', method: 'PUT', target: 'bucket', query: ['notification'] },
  ...bucketConfig('BucketReplication', 'replication', ['GET', 'PUT', 'DELETE']),
  ...bucketConfig('BucketLogging', 'logging', ['GET', 'PUT']),
  ...bucketConfig('BucketRequestPayment', 'requestPayment', ['GET', 'PUT']),
  ...bucketConfig('BucketAccelerateConfiguration', 'accelerate', ['GET', 'PUT']),
  ...bucketConfig('BucketAbac', 'abac', ['GET', 'PUT']),
  ...bucketConfig('ObjectLockConfiguration', 'object-lock', ['GET', 'PUT']),
  ...bucketConfig('BucketAnalyticsConfiguration', 'analytics', ['GET', 'PUT', 'DELETE'], ['id']),
  ...bucketConfig('BucketMetricsConfiguration', 'metrics', ['GET', 'PUT', 'DELETE'], ['id']),
  ...bucketConfig('BucketInventoryConfiguration', 'inventory', ['GET', 'PUT', 'DELETE'], ['id']),
  ...bucketConfig('BucketIntelligentTieringConfiguration', 'intelligent-tiering', ['GET', 'PUT', 'DELETE'], ['id']),
  { name: 'ListBucketAnalyticsConfigurations', method: 'GET', target: 'bucket', query: ['analytics'] },
  { name: 'ListBucketMetricsConfigurations', method: 'GET', target: 'bucket', query: ['metrics'] },
  { name: 'ListBucketInventoryConfigurations', method: 'GET', target: 'bucket', query: ['inventory'] },
  { name: 'ListBucketIntelligentTieringConfigurations', method: 'GET', target: 'bucket', query: ['intelligent-tiering'] },
  { name: 'CreateBucketMetadataConfiguration', method: 'POST', target: 'bucket', query: ['metadataConfiguration'] },
  { name: 'GetBucketMetadataConfiguration', method: 'GET', target: 'bucket', query: ['metadataConfiguration'] },
  { name: 'DeleteBucketMetadataConfiguration', method: 'DELETE', target: 'bucket', query: ['metadataConfiguration'] },
  { name: 'CreateBucketMetadataTableConfiguration', method: 'POST', target: 'bucket', query: ['metadataTable'] },
  { name: 'GetBucketMetadataTableConfiguration', method: 'GET', target: 'bucket', query: ['metadataTable'] },
  { name: 'DeleteBucketMetadataTableConfiguration', method: 'DELETE', target: 'bucket', query: ['metadataTable'] },
  { name: 'UpdateBucketMetadataInventoryTableConfiguration', method: 'PUT', target: 'bucket', query: ['metadataInventoryTable'] },
  { name: 'UpdateBucketMetadataJournalTableConfiguration', method: 'PUT', target: 'bucket', query: ['metadataJournalTable'] },

  // Objects.
  { name: 'PutObject', method: 'PUT', target: 'object' },
  { name: 'CopyObject', method: 'PUT', target: 'object', headers: ['x-amz-copy-source'] },
  { name: 'GetObject', method: 'GET', target: 'object' },
  { name: 'HeadObject', method: 'HEAD', target: 'object' },
  { name: 'DeleteObject', method: 'DELETE', target: 'object' },
  { name: 'GetObjectAttributes', method: 'GET', target: 'object', query: ['attributes'] },
  { name: 'PutObjectTagging', method: 'PUT', target: 'object', query: ['tagging'] },
  { name: 'GetObjectTagging', method: 'GET', target: 'object', query: ['tagging'] },
  { name: 'DeleteObjectTagging', method: 'DELETE', target: 'object', query: ['tagging'] },
  { name: 'PutObjectAcl', method: 'PUT', target: 'object', query: ['acl'] },
  { name: 'GetObjectAcl', method: 'GET', target: 'object', query: ['acl'] },
  { name: 'PutObjectLegalHold', method: 'PUT', target: 'object', query: ['legal-hold'] },
  { name: 'GetObjectLegalHold', method: 'GET', target: 'object', query: ['legal-hold'] },
  { name: 'PutObjectRetention', method: 'PUT', target: 'object', query: ['retention'] },
  { name: 'GetObjectRetention', method: 'GET', target: 'object', query: ['retention'] },
  { name: 'GetObjectTorrent', method: 'GET', target: 'object', query: ['torrent'] },
  { name: 'RestoreObject', method: 'POST', target: 'object', query: ['restore'] },
  { name: 'SelectObjectContent', method: 'POST', target: 'object', query: ['select'], queryValues: { 'select-type': '2' } },
  { name: 'RenameObject', method: 'PUT', target: 'object', query: ['renameObject'] },
  { name: 'UpdateObjectEncryption', method: 'PUT', target: 'object', query: ['encryption'] },
  // Multipart uploads.
  { name: 'CreateMultipartUpload', method: 'POST', target: 'object', query: ['uploads'] },
  { name: 'UploadPart', method: 'PUT', target: 'object', query: ['partNumber', 'uploadId'] },
  { name: 'UploadPartCopy', method: 'PUT', target: 'object', query: ['partNumber', 'uploadId'], headers: ['x-amz-copy-source'] },
  { name: 'CompleteMultipartUpload', method: 'POST', target: 'object', query: ['uploadId'] },
  { name: 'AbortMultipartUpload', method: 'DELETE', target: 'object', query: ['uploadId'] },
  { name: 'ListParts', method: 'GET', target: 'object', query: ['uploadId'] },
];

/**
 * Operations whose requests are byte-for-byte those of another: AWS cannot tell them
 * apart either, and answers them as the newer one. The deprecated lifecycle and
 * notification calls send the same method and URI as their *Configuration successors
 * (only the document's schema differs); botocore sends ListDirectoryBuckets as a plain
 * GET / (the S3 Express control endpoint's host is what tells it apart on AWS).
 */
export const WIRE_ALIASES: Readonly<Record<string, string>> = {
  GetBucketLifecycle: 'GetBucketLifecycleConfiguration',
  PutBucketLifecycle: 'PutBucketLifecycleConfiguration',
  GetBucketNotification: 'GetBucketNotificationConfiguration',
  PutBucketNotification: 'PutBucketNotificationConfiguration',
  ListDirectoryBuckets: 'ListBuckets',
};

const MODEL_NAMES = new Set([...S3_ROUTES.map((route) => route.name), 'WriteGetObjectResponse']);

/** Is this one of the S3 API's operations (rather than a request shape S3 has no operation for)? */
export function isS3Operation(name: string): boolean {
  return MODEL_NAMES.has(name);
}

/** The number of conditions a route sets: the most specific matching route wins. */
function specificity(route: S3Route): number {
  return (route.query?.length ?? 0) + Object.keys(route.queryValues ?? {}).length + (route.headers?.length ?? 0);
}

function matches(route: S3Route, ctx: RequestContext, target: S3Route['target']): boolean {
  if (route.method !== ctx.method || route.target !== target) return false;
  if (route.query && !route.query.every((name) => ctx.query.has(name))) return false;
  if (route.queryValues && !Object.entries(route.queryValues).every(([name, value]) => ctx.query.get(name) === value)) return false;
  return !route.headers || route.headers.every((name) => ctx.headers[name] !== undefined);
}

/** The routes by specificity, most specific first, computed once. */
const BY_SPECIFICITY = [...S3_ROUTES].sort((a, b) => specificity(b) - specificity(a));

/**
 * The S3 operation a REST request names: from the method, whether a bucket and a key
 * are addressed, and the sub-resource query parameters and headers. Requests that fit
 * no operation of the model get a descriptive name that the 501 error repeats.
 */
export function s3OperationOf(ctx: RequestContext): string {
  const method = ctx.method;
  if (ctx.website) return method === 'GET' || method === 'HEAD' ? 'WebsiteGet' : `Website${method}`;
  if (method === 'OPTIONS') return 'PreflightRequest';

  const target = !ctx.bucket ? 'service' : ctx.key === undefined ? 'bucket' : 'object';
  if (target === 'service' && method === 'GET' && /^s3express-control\./i.test(ctx.headers.host ?? '')) return 'ListDirectoryBuckets';
  // S3 Object Lambda's WriteGetObjectResponse: POST /WriteGetObjectResponse (not a bucket name: upper case).
  if (method === 'POST' && target === 'bucket' && ctx.bucket === 'WriteGetObjectResponse' && ctx.headers['x-amz-request-route'] !== undefined) {
    return 'WriteGetObjectResponse';
  }
  const route = BY_SPECIFICITY.find((candidate) => matches(candidate, ctx, target));
  if (route) return route.name;
  return `${method} on ${target === 'service' ? 'the service root' : target === 'bucket' ? 'a bucket' : 'an object'}`;
}
