import { DeletePublicAccessBlockCommand, PutBucketPolicyCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * TODO 4: Let anyone on the internet read the website: the course's
 *   aws s3api put-bucket-policy --bucket $mybucket --policy file://policy.json
 * plus the step the course did in the console.
 *
 * 1. Since April 2023 every new bucket blocks public access (all four Block Public Access
 *    settings on): S3 refuses a public bucket policy (AccessDenied, "public policies are
 *    blocked by the BlockPublicPolicy block public access setting"), and even an accepted
 *    one would be ignored for anonymous readers (RestrictPublicBuckets). Remove the block
 *    first: `DeletePublicAccessBlockCommand({ Bucket })`.
 * 2. Put a bucket policy (`PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(doc) })`)
 *    that allows everyone (`"Principal": "*"`) to:
 *    - `s3:GetObject` on every object: `arn:aws:s3:::<bucket>/*`;
 *    - `s3:ListBucket` on the bucket itself: `arn:aws:s3:::<bucket>` (no `/*`). Without it a
 *      missing page answers 403 Forbidden instead of 404 Not Found: S3 will not tell a
 *      visitor who may not list the bucket whether a key exists.
 *    Nothing else: anonymous visitors must not write or delete.
 */
export async function allowPublicRead(client: S3Client, bucket: string): Promise<void> {
  // BEGIN SOLUTION TODO 4
  await client.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'PublicReadPages', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
      { Sid: 'PublicListForNotFound', Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
    ],
  };
  await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  // END SOLUTION
}
