import type { RequestContext } from '../../pipeline/context.ts';

/** Bucket sub-resources that select a configuration operation, in the order S3 checks them. */
const BUCKET_CONFIG: Array<[query: string, name: string]> = [
  ['website', 'BucketWebsite'],
  ['policy', 'BucketPolicy'],
  ['publicAccessBlock', 'PublicAccessBlock'],
  ['tagging', 'BucketTagging'],
  ['cors', 'BucketCors'],
  ['versioning', 'BucketVersioning'],
  ['acl', 'BucketAcl'],
  ['ownershipControls', 'BucketOwnershipControls'],
  ['encryption', 'BucketEncryption'],
];

/**
 * The S3 operation a REST request names: from the method, whether a bucket and a key
 * are addressed, and the sub-resource query parameters (?website, ?uploads, ...).
 * Returns a name like `PutBucketWebsite`; unknown shapes get a descriptive name that
 * the 501 error repeats.
 */
export function s3OperationOf(ctx: RequestContext): string {
  const q = ctx.query;
  const method = ctx.method;
  if (ctx.website) return method === 'GET' || method === 'HEAD' ? 'WebsiteGet' : `Website${method}`;
  if (method === 'OPTIONS') return 'PreflightRequest';

  if (!ctx.bucket) return method === 'GET' ? 'ListBuckets' : `${method} on the service root`;

  if (ctx.key === undefined) {
    const config = BUCKET_CONFIG.find(([param]) => q.has(param));
    switch (method) {
      case 'PUT':
        return config ? `Put${config[1]}` : 'CreateBucket';
      case 'GET':
        if (config) return `Get${config[1]}`;
        if (q.has('location')) return 'GetBucketLocation';
        if (q.has('uploads')) return 'ListMultipartUploads';
        if (q.get('list-type') === '2') return 'ListObjectsV2';
        if (q.has('versions')) return 'ListObjectVersions';
        return 'ListObjects';
      case 'HEAD':
        return 'HeadBucket';
      case 'DELETE':
        return config ? `Delete${config[1]}` : 'DeleteBucket';
      case 'POST':
        return q.has('delete') ? 'DeleteObjects' : 'POST on a bucket';
      default:
        return `${method} on a bucket`;
    }
  }

  switch (method) {
    case 'PUT':
      if (q.has('partNumber') && q.has('uploadId')) return ctx.headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
      if (q.has('tagging')) return 'PutObjectTagging';
      if (q.has('acl')) return 'PutObjectAcl';
      return ctx.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
    case 'GET':
      if (q.has('uploadId')) return 'ListParts';
      if (q.has('tagging')) return 'GetObjectTagging';
      if (q.has('acl')) return 'GetObjectAcl';
      if (q.has('attributes')) return 'GetObjectAttributes';
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      if (q.has('uploadId')) return 'AbortMultipartUpload';
      if (q.has('tagging')) return 'DeleteObjectTagging';
      return 'DeleteObject';
    case 'POST':
      if (q.has('uploads')) return 'CreateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      return 'POST on an object';
    default:
      return `${method} on an object`;
  }
}
