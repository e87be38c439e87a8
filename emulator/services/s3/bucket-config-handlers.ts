import { aclHandlers } from './acl-handlers.ts';
import { bucketCorsHandlers } from './bucket-cors-handlers.ts';
import { bucketEncryptionHandlers } from './encryption.ts';
import { lifecycleHandlers } from './lifecycle-handlers.ts';
import { objectLockHandlers } from './object-lock-handlers.ts';
import { objectAttributesHandlers, objectTaggingHandlers } from './object-tagging-handlers.ts';
import { versioningHandlers } from './versioning-handlers.ts';
import { uploadPartCopyHandlers } from './upload-part-copy.ts';
import { bucketPolicyHandlers } from './bucket-policy-handlers.ts';
import { bucketTaggingHandlers } from './bucket-tagging-handlers.ts';
import { bucketWebsiteHandlers } from './bucket-website-config.ts';
import { corsPreflightHandlers } from './cors-preflight.ts';
import { publicAccessBlockHandlers } from './public-access-block-handlers.ts';
import type { S3Handlers } from './s3-handler.ts';
import { websiteHandlers } from './website-handlers.ts';

/**
 * Bucket configuration sub-resources (?website, ?policy, ?publicAccessBlock, ?tagging, ?cors,
 * ?versioning, ?encryption, ?lifecycle, ?acl, ?ownershipControls, ?object-lock), object sub-resources
 * (?tagging, ?acl, ?attributes, ?retention, ?legal-hold), UploadPartCopy,
 * the CORS preflight, and the website endpoint those settings drive.
 */
export const bucketConfigHandlers: S3Handlers = {
  ...bucketWebsiteHandlers,
  ...bucketPolicyHandlers,
  ...publicAccessBlockHandlers,
  ...bucketTaggingHandlers,
  ...bucketCorsHandlers,
  ...corsPreflightHandlers,
  ...websiteHandlers,
  ...versioningHandlers,
  ...objectLockHandlers,
  ...bucketEncryptionHandlers,
  ...lifecycleHandlers,
  ...aclHandlers,
  ...objectTaggingHandlers,
  ...objectAttributesHandlers,
  ...uploadPartCopyHandlers,
};
