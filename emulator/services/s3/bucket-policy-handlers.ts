import { ServiceError } from '../../core/service-error.ts';
import { accessibleBucket } from './bucket-access.ts';
import { parseBucketPolicy } from './bucket-policy-validation.ts';
import { isPublicPolicy } from './public-policy.ts';
import type { S3Handlers } from './s3-handler.ts';

/** PutBucketPolicy / GetBucketPolicy / DeleteBucketPolicy. The policy is kept as the text the user sent. */
export const bucketPolicyHandlers: S3Handlers = {
  PutBucketPolicy: (ctx) => {
    const bucket = accessibleBucket(ctx);
    const text = ctx.body.toString('utf8');
    const policy = parseBucketPolicy(text, bucket.name);
    if (bucket.publicAccessBlock?.BlockPublicPolicy && isPublicPolicy(policy)) {
      throw new ServiceError(
        'AccessDenied',
        `User: ${ctx.caller.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket.name}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
        403,
      );
    }
    bucket.policy = text;
    return { status: 204 };
  },
  GetBucketPolicy: (ctx) => {
    const bucket = accessibleBucket(ctx);
    if (bucket.policy === undefined) {
      throw new ServiceError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket.name });
    }
    return { body: bucket.policy, headers: { 'content-type': 'application/json' } };
  },
  DeleteBucketPolicy: (ctx) => {
    accessibleBucket(ctx).policy = undefined;
    return { status: 204 };
  },
};
