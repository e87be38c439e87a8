import type { AuthorizationRequest, RequestContext } from '../../pipeline/context.ts';
import { deleteEntries, type DeleteEntry } from './delete-objects.ts';
import { lockPermissions, objectLockConditions } from './object-lock-authorization.ts';
import { s3State, type Bucket } from './s3-state.ts';

type Scope = 'service' | 'bucket' | 'object';

/**
 * The IAM action behind each S3 API operation, the kind of resource it acts on, and for
 * object operations the action when a versionId is named. The names differ from the API's:
 * HeadBucket and ListObjectsV2 are s3:ListBucket, HeadObject is s3:GetObject, deleting a
 * bucket's CORS rules is s3:PutBucketCORS, a lifecycle's s3:PutLifecycleConfiguration, and
 * so on (Service Authorization Reference, "Actions, resources, and condition keys for
 * Amazon S3", and the S3 API Reference's "Permissions" section of each operation).
 * Every operation of operations.ts has a row; test/botocore-routing.test.ts checks it.
 */
export const S3_ACTIONS: Readonly<Record<string, [action: string, scope: Scope, versionAction?: string]>> = {
  ListBuckets: ['s3:ListAllMyBuckets', 'service'],
  ListDirectoryBuckets: ['s3express:ListAllMyDirectoryBuckets', 'service'],
  CreateBucket: ['s3:CreateBucket', 'bucket'],
  DeleteBucket: ['s3:DeleteBucket', 'bucket'],
  HeadBucket: ['s3:ListBucket', 'bucket'],
  GetBucketLocation: ['s3:GetBucketLocation', 'bucket'],
  GetBucketPolicyStatus: ['s3:GetBucketPolicyStatus', 'bucket'],
  ListObjects: ['s3:ListBucket', 'bucket'],
  ListObjectsV2: ['s3:ListBucket', 'bucket'],
  ListObjectVersions: ['s3:ListBucketVersions', 'bucket'],
  ListMultipartUploads: ['s3:ListBucketMultipartUploads', 'bucket'],
  CreateSession: ['s3express:CreateSession', 'bucket'],
  PutBucketWebsite: ['s3:PutBucketWebsite', 'bucket'],
  GetBucketWebsite: ['s3:GetBucketWebsite', 'bucket'],
  DeleteBucketWebsite: ['s3:DeleteBucketWebsite', 'bucket'],
  PutBucketPolicy: ['s3:PutBucketPolicy', 'bucket'],
  GetBucketPolicy: ['s3:GetBucketPolicy', 'bucket'],
  DeleteBucketPolicy: ['s3:DeleteBucketPolicy', 'bucket'],
  PutPublicAccessBlock: ['s3:PutBucketPublicAccessBlock', 'bucket'],
  GetPublicAccessBlock: ['s3:GetBucketPublicAccessBlock', 'bucket'],
  DeletePublicAccessBlock: ['s3:PutBucketPublicAccessBlock', 'bucket'],
  PutBucketTagging: ['s3:PutBucketTagging', 'bucket'],
  GetBucketTagging: ['s3:GetBucketTagging', 'bucket'],
  DeleteBucketTagging: ['s3:PutBucketTagging', 'bucket'],
  PutBucketCors: ['s3:PutBucketCORS', 'bucket'],
  GetBucketCors: ['s3:GetBucketCORS', 'bucket'],
  DeleteBucketCors: ['s3:PutBucketCORS', 'bucket'],
  PutBucketVersioning: ['s3:PutBucketVersioning', 'bucket'],
  GetBucketVersioning: ['s3:GetBucketVersioning', 'bucket'],
  PutBucketAcl: ['s3:PutBucketAcl', 'bucket'],
  GetBucketAcl: ['s3:GetBucketAcl', 'bucket'],
  PutBucketOwnershipControls: ['s3:PutBucketOwnershipControls', 'bucket'],
  GetBucketOwnershipControls: ['s3:GetBucketOwnershipControls', 'bucket'],
  DeleteBucketOwnershipControls: ['s3:PutBucketOwnershipControls', 'bucket'],
  PutBucketEncryption: ['s3:PutEncryptionConfiguration', 'bucket'],
  GetBucketEncryption: ['s3:GetEncryptionConfiguration', 'bucket'],
  DeleteBucketEncryption: ['s3:PutEncryptionConfiguration', 'bucket'],
  PutBucketLifecycleConfiguration: ['s3:PutLifecycleConfiguration', 'bucket'],
  GetBucketLifecycleConfiguration: ['s3:GetLifecycleConfiguration', 'bucket'],
  DeleteBucketLifecycle: ['s3:PutLifecycleConfiguration', 'bucket'],
  PutBucketNotificationConfiguration: ['s3:PutBucketNotification', 'bucket'],
  GetBucketNotificationConfiguration: ['s3:GetBucketNotification', 'bucket'],
  PutBucketReplication: ['s3:PutReplicationConfiguration', 'bucket'],
  GetBucketReplication: ['s3:GetReplicationConfiguration', 'bucket'],
  DeleteBucketReplication: ['s3:PutReplicationConfiguration', 'bucket'],
  PutBucketLogging: ['s3:PutBucketLogging', 'bucket'],
  GetBucketLogging: ['s3:GetBucketLogging', 'bucket'],
  PutBucketRequestPayment: ['s3:PutBucketRequestPayment', 'bucket'],
  GetBucketRequestPayment: ['s3:GetBucketRequestPayment', 'bucket'],
  PutBucketAccelerateConfiguration: ['s3:PutAccelerateConfiguration', 'bucket'],
  GetBucketAccelerateConfiguration: ['s3:GetAccelerateConfiguration', 'bucket'],
  PutBucketAbac: ['s3:PutBucketAbac', 'bucket'],
  GetBucketAbac: ['s3:GetBucketAbac', 'bucket'],
  PutObjectLockConfiguration: ['s3:PutBucketObjectLockConfiguration', 'bucket'],
  GetObjectLockConfiguration: ['s3:GetBucketObjectLockConfiguration', 'bucket'],
  PutBucketAnalyticsConfiguration: ['s3:PutAnalyticsConfiguration', 'bucket'],
  GetBucketAnalyticsConfiguration: ['s3:GetAnalyticsConfiguration', 'bucket'],
  DeleteBucketAnalyticsConfiguration: ['s3:PutAnalyticsConfiguration', 'bucket'],
  ListBucketAnalyticsConfigurations: ['s3:GetAnalyticsConfiguration', 'bucket'],
  PutBucketMetricsConfiguration: ['s3:PutMetricsConfiguration', 'bucket'],
  GetBucketMetricsConfiguration: ['s3:GetMetricsConfiguration', 'bucket'],
  DeleteBucketMetricsConfiguration: ['s3:PutMetricsConfiguration', 'bucket'],
  ListBucketMetricsConfigurations: ['s3:GetMetricsConfiguration', 'bucket'],
  PutBucketInventoryConfiguration: ['s3:PutInventoryConfiguration', 'bucket'],
  GetBucketInventoryConfiguration: ['s3:GetInventoryConfiguration', 'bucket'],
  DeleteBucketInventoryConfiguration: ['s3:PutInventoryConfiguration', 'bucket'],
  ListBucketInventoryConfigurations: ['s3:GetInventoryConfiguration', 'bucket'],
  PutBucketIntelligentTieringConfiguration: ['s3:PutIntelligentTieringConfiguration', 'bucket'],
  GetBucketIntelligentTieringConfiguration: ['s3:GetIntelligentTieringConfiguration', 'bucket'],
  DeleteBucketIntelligentTieringConfiguration: ['s3:PutIntelligentTieringConfiguration', 'bucket'],
  ListBucketIntelligentTieringConfigurations: ['s3:GetIntelligentTieringConfiguration', 'bucket'],
  CreateBucketMetadataConfiguration: ['s3:CreateBucketMetadataTableConfiguration', 'bucket'],
  GetBucketMetadataConfiguration: ['s3:GetBucketMetadataTableConfiguration', 'bucket'],
  DeleteBucketMetadataConfiguration: ['s3:DeleteBucketMetadataTableConfiguration', 'bucket'],
  CreateBucketMetadataTableConfiguration: ['s3:CreateBucketMetadataTableConfiguration', 'bucket'],
  GetBucketMetadataTableConfiguration: ['s3:GetBucketMetadataTableConfiguration', 'bucket'],
  DeleteBucketMetadataTableConfiguration: ['s3:DeleteBucketMetadataTableConfiguration', 'bucket'],
  UpdateBucketMetadataInventoryTableConfiguration: ['s3:UpdateBucketMetadataInventoryTableConfiguration', 'bucket'],
  UpdateBucketMetadataJournalTableConfiguration: ['s3:UpdateBucketMetadataJournalTableConfiguration', 'bucket'],
  PutObject: ['s3:PutObject', 'object'],
  CopyObject: ['s3:PutObject', 'object'],
  GetObject: ['s3:GetObject', 'object', 's3:GetObjectVersion'],
  HeadObject: ['s3:GetObject', 'object', 's3:GetObjectVersion'],
  GetObjectAttributes: ['s3:GetObjectAttributes', 'object', 's3:GetObjectVersionAttributes'],
  DeleteObject: ['s3:DeleteObject', 'object', 's3:DeleteObjectVersion'],
  DeleteObjects: ['s3:DeleteObject', 'object', 's3:DeleteObjectVersion'],
  PutObjectTagging: ['s3:PutObjectTagging', 'object', 's3:PutObjectVersionTagging'],
  GetObjectTagging: ['s3:GetObjectTagging', 'object', 's3:GetObjectVersionTagging'],
  DeleteObjectTagging: ['s3:DeleteObjectTagging', 'object', 's3:DeleteObjectVersionTagging'],
  PutObjectAcl: ['s3:PutObjectAcl', 'object', 's3:PutObjectVersionAcl'],
  GetObjectAcl: ['s3:GetObjectAcl', 'object', 's3:GetObjectVersionAcl'],
  PutObjectLegalHold: ['s3:PutObjectLegalHold', 'object'],
  GetObjectLegalHold: ['s3:GetObjectLegalHold', 'object'],
  PutObjectRetention: ['s3:PutObjectRetention', 'object'],
  GetObjectRetention: ['s3:GetObjectRetention', 'object'],
  GetObjectTorrent: ['s3:GetObjectTorrent', 'object', 's3:GetObjectVersionTorrent'],
  RestoreObject: ['s3:RestoreObject', 'object'],
  SelectObjectContent: ['s3:GetObject', 'object'],
  RenameObject: ['s3:RenameObject', 'object'],
  UpdateObjectEncryption: ['s3:UpdateObjectEncryption', 'object'],
  CreateMultipartUpload: ['s3:PutObject', 'object'],
  UploadPart: ['s3:PutObject', 'object'],
  UploadPartCopy: ['s3:PutObject', 'object'],
  CompleteMultipartUpload: ['s3:PutObject', 'object'],
  AbortMultipartUpload: ['s3:AbortMultipartUpload', 'object'],
  ListParts: ['s3:ListMultipartUploadParts', 'object'],
  WriteGetObjectResponse: ['s3-object-lambda:WriteGetObjectResponse', 'service'],
};

/**
 * The resource an action without a resource type (s3:ListAllMyBuckets) is evaluated
 * against. The Service Authorization Reference lists no resource for it, so `"Resource": "*"`
 * grants it; AWS's own examples grant it with `"Resource": "arn:aws:s3:::*"` too (IAM User
 * Guide, "Allow users to access a specific bucket": the ListAllMyBuckets statement), which
 * this resource matches. A statement naming one bucket does not.
 */
export const S3_SERVICE_RESOURCE = 'arn:aws:s3:::*';

/** Operations S3 serves without credentials, when the bucket policy allows it (decided by the authorize stage). */
const ANONYMOUS_OPERATIONS = new Set(['GetObject', 'HeadObject', 'ListObjects', 'ListObjectsV2', 'PreflightRequest']);

export function s3AllowsAnonymous(ctx: RequestContext): boolean {
  return ctx.website === true || ANONYMOUS_OPERATIONS.has(ctx.operation ?? '');
}

export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

/** What the authorize stage evaluates for an S3 request; undefined for a CORS preflight, which needs no permission. */
export function s3Authorization(ctx: RequestContext): AuthorizationRequest | undefined {
  const operation = ctx.operation ?? '';
  // The website endpoint decides itself (index/error documents, HTML 403/404 pages): website-access.ts.
  if (operation === 'PreflightRequest' || ctx.website) return undefined;
  const [baseAction, scope, versionAction] = S3_ACTIONS[operation] ?? [`s3:${operation}`, ctx.key === undefined ? 'bucket' : 'object'];
  // Acting on a named version is a separate permission (s3:GetObjectVersion, s3:DeleteObjectVersion ...).
  const action = versionAction && ctx.query.has('versionId') ? versionAction : baseAction;
  if (scope === 'service' || !ctx.bucket) return { action, resources: [S3_SERVICE_RESOURCE] };

  const bucket = ownerVisibleBucket(ctx, operation);
  const request: AuthorizationRequest = {
    action,
    resources: scope === 'bucket' ? [bucketArn(ctx.bucket)] : objectResources(ctx, ctx.bucket),
    resourceAccount: bucket?.ownerAccount,
    resourcePolicy: bucket?.policy,
  };
  if (operation === 'ListObjects' || operation === 'ListObjectsV2') request.conditions = listConditions(ctx.query);
  const lockKeys = objectLockConditions(ctx, operation);
  if (lockKeys) request.conditions = lockKeys;
  if (operation === 'DeleteObjects') {
    splitVersionDeletes(ctx, request);
    // Each key is authorized on its own and a denied one is reported in the result (delete-objects.ts).
    for (const part of [request, ...(request.additional ?? [])]) part.decidedByHandler = true;
  }
  request.additional = lockPermissions(ctx, operation, request);
  const source = operation === 'CopyObject' || operation === 'UploadPartCopy' ? copySourceOf(ctx) : undefined;
  if (source) {
    // Copying also reads the source, which may be in another bucket with another owner and policy.
    const sourceBucket = s3State(ctx.store).buckets.get(source.bucket);
    request.additional = [
      ...(request.additional ?? []),
      {
        action: 's3:GetObject',
        resources: [objectArn(source.bucket, source.key)],
        resourceAccount: sourceBucket?.ownerAccount,
        resourcePolicy: sourceBucket?.policy,
      },
    ];
  }
  return request;
}

/**
 * The bucket whose owner and policy the request is judged against. CreateBucket creates the
 * caller's own bucket (a taken name is the handler's 409, not a denial), and a bucket that the
 * eventual-consistency fault still hides does not exist yet for HeadBucket (404, not 403).
 */
function ownerVisibleBucket(ctx: RequestContext, operation: string): Bucket | undefined {
  if (operation === 'CreateBucket') return undefined;
  const bucket = s3State(ctx.store).buckets.get(ctx.bucket ?? '');
  if (operation === 'HeadBucket' && bucket && bucket.invisibleReadsLeft > 0) return undefined;
  return bucket;
}

function objectResources(ctx: RequestContext, bucket: string): string[] {
  if (ctx.operation === 'DeleteObjects') {
    // Each key is a separate s3:DeleteObject on its own object, named exactly as sent.
    const keys = deleteObjectsKeys(ctx.body);
    return keys.length > 0 ? keys.map((key) => objectArn(bucket, key)) : [objectArn(bucket, '*')];
  }
  return [objectArn(bucket, ctx.key ?? '')];
}

/**
 * DeleteObjects: each entry is authorized as DeleteObject would be, so an entry naming a
 * VersionId needs s3:DeleteObjectVersion on its key (S3 API Reference, DeleteObjects, "Permissions").
 */
function splitVersionDeletes(ctx: RequestContext, request: AuthorizationRequest): void {
  let entries: DeleteEntry[];
  try {
    entries = deleteEntries(ctx.body).entries;
  } catch {
    return;
  }
  const bucket = ctx.bucket ?? '';
  const current = entries.filter((entry) => entry.versionId === undefined).map((entry) => objectArn(bucket, entry.key));
  const versions = entries.filter((entry) => entry.versionId !== undefined).map((entry) => objectArn(bucket, entry.key));
  if (versions.length === 0) return;
  const versionRequest = { ...request, action: 's3:DeleteObjectVersion', resources: versions };
  if (current.length === 0) Object.assign(request, versionRequest);
  else {
    request.resources = current;
    request.additional = [...(request.additional ?? []), versionRequest];
  }
}

function deleteObjectsKeys(body: Buffer): string[] {
  try {
    return deleteEntries(body).entries.map((entry) => entry.key);
  } catch {
    // A malformed body is the handler's error to report, not the authorizer's.
    return [];
  }
}

function listConditions(query: URLSearchParams): Record<string, string> {
  const conditions: Record<string, string> = {};
  for (const [param, key] of [
    ['prefix', 's3:prefix'],
    ['delimiter', 's3:delimiter'],
    ['max-keys', 's3:max-keys'],
  ] as const) {
    const value = query.get(param);
    if (value !== null) conditions[key] = value;
  }
  return conditions;
}

/** x-amz-copy-source: `bucket/key` or `/bucket/key`, percent-encoded, optionally `?versionId=`. */
export function copySourceOf(ctx: RequestContext): { bucket: string; key: string; versionId?: string } | undefined {
  const header = ctx.headers['x-amz-copy-source'];
  if (!header) return undefined;
  const [path, query] = header.split('?', 2) as [string, string | undefined];
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || slash === trimmed.length - 1) return undefined;
  const decode = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  };
  const versionId = query ? new URLSearchParams(query).get('versionId') ?? undefined : undefined;
  return { bucket: decode(trimmed.slice(0, slash)), key: decode(trimmed.slice(slash + 1)), versionId };
}
