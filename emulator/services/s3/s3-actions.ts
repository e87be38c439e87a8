/**
 * Which kind of resource each S3 IAM action works on. A bucket policy statement whose
 * action works on none of its resources is refused ("Action does not apply to any
 * resource(s) in statement"): the classic mistake is s3:GetObject on arn:aws:s3:::bucket
 * instead of arn:aws:s3:::bucket/*.
 */
export type S3ResourceKind = 'bucket' | 'object' | 'account';

const OBJECT_ACTIONS = [
  'AbortMultipartUpload',
  'BypassGovernanceRetention',
  'DeleteObject',
  'DeleteObjectTagging',
  'DeleteObjectVersion',
  'DeleteObjectVersionTagging',
  'GetObject',
  'GetObjectAcl',
  'GetObjectAttributes',
  'GetObjectLegalHold',
  'GetObjectRetention',
  'GetObjectTagging',
  'GetObjectTorrent',
  'GetObjectVersion',
  'GetObjectVersionTorrent',
  'GetObjectVersionAcl',
  'GetObjectVersionAttributes',
  'GetObjectVersionForReplication',
  'GetObjectVersionTagging',
  'ListMultipartUploadParts',
  'ObjectOwnerOverrideToBucketOwner',
  'PutObject',
  'PutObjectAcl',
  'PutObjectLegalHold',
  'PutObjectRetention',
  'PutObjectTagging',
  'PutObjectVersionAcl',
  'PutObjectVersionTagging',
  'ReplicateDelete',
  'ReplicateObject',
  'ReplicateTags',
  'RenameObject',
  'RestoreObject',
  'UpdateObjectEncryption',
];

const BUCKET_ACTIONS = [
  'CreateBucket',
  'CreateBucketMetadataTableConfiguration',
  'DeleteBucket',
  'DeleteBucketMetadataTableConfiguration',
  'GetAnalyticsConfiguration',
  'GetBucketAbac',
  'GetBucketMetadataTableConfiguration',
  'GetIntelligentTieringConfiguration',
  'GetInventoryConfiguration',
  'GetMetricsConfiguration',
  'PutAnalyticsConfiguration',
  'PutBucketAbac',
  'PutIntelligentTieringConfiguration',
  'PutInventoryConfiguration',
  'PutMetricsConfiguration',
  'UpdateBucketMetadataInventoryTableConfiguration',
  'UpdateBucketMetadataJournalTableConfiguration',
  'DeleteBucketPolicy',
  'DeleteBucketWebsite',
  'GetAccelerateConfiguration',
  'GetBucketAcl',
  'GetBucketCORS',
  'GetBucketLocation',
  'GetBucketLogging',
  'GetBucketNotification',
  'GetBucketObjectLockConfiguration',
  'GetBucketOwnershipControls',
  'GetBucketPolicy',
  'GetBucketPolicyStatus',
  'GetBucketPublicAccessBlock',
  'GetBucketRequestPayment',
  'GetBucketTagging',
  'GetBucketVersioning',
  'GetBucketWebsite',
  'GetEncryptionConfiguration',
  'GetLifecycleConfiguration',
  'GetReplicationConfiguration',
  'ListBucket',
  'ListBucketMultipartUploads',
  'ListBucketVersions',
  'PutAccelerateConfiguration',
  'PutBucketAcl',
  'PutBucketCORS',
  'PutBucketLogging',
  'PutBucketNotification',
  'PutBucketObjectLockConfiguration',
  'PutBucketOwnershipControls',
  'PutBucketPolicy',
  'PutBucketPublicAccessBlock',
  'PutBucketRequestPayment',
  'PutBucketTagging',
  'PutBucketVersioning',
  'PutBucketWebsite',
  'PutEncryptionConfiguration',
  'PutLifecycleConfiguration',
  'PutReplicationConfiguration',
];

/** Account-wide actions: no bucket policy resource can name what they work on. */
const ACCOUNT_ACTIONS = ['CreateJob', 'GetAccountPublicAccessBlock', 'ListAllMyBuckets', 'ListJobs', 'PutAccountPublicAccessBlock'];

const KIND_BY_ACTION = new Map<string, S3ResourceKind>([
  ...OBJECT_ACTIONS.map((a) => [a.toLowerCase(), 'object'] as const),
  ...BUCKET_ACTIONS.map((a) => [a.toLowerCase(), 'bucket'] as const),
  ...ACCOUNT_ACTIONS.map((a) => [a.toLowerCase(), 'account'] as const),
]);

/** Every S3 action name we know, lower-cased (for expanding s3:Get* and the like). */
export const KNOWN_S3_ACTIONS: readonly string[] = [...KIND_BY_ACTION.keys()];

/**
 * The resource kind of one action name (without the `s3:` prefix, any case). Names we do
 * not list are guessed from their wording rather than refused: AWS adds actions, and a
 * false "invalid action" would be worse than a missed one.
 */
export function resourceKindOf(action: string): S3ResourceKind {
  const lower = action.toLowerCase();
  return KIND_BY_ACTION.get(lower) ?? (/object|multipart/.test(lower) ? 'object' : 'bucket');
}
