import { bucketCorsHandlers } from './bucket-cors-handlers.ts';
import { bucketPolicyHandlers } from './bucket-policy-handlers.ts';
import { bucketTaggingHandlers } from './bucket-tagging-handlers.ts';
import { bucketWebsiteHandlers } from './bucket-website-config.ts';
import { corsPreflightHandlers } from './cors-preflight.ts';
import { publicAccessBlockHandlers } from './public-access-block-handlers.ts';
import type { S3Handlers } from './s3-handler.ts';
import { websiteHandlers } from './website-handlers.ts';

/**
 * Bucket configuration sub-resources (?website, ?policy, ?publicAccessBlock, ?tagging, ?cors),
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
};
