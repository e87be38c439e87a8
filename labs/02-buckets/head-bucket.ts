import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';

export type BucketNameVerdict =
  /** No bucket has this name anywhere in AWS: go on and create it. */
  | 'available'
  /** The bucket exists and is yours: nothing to do. */
  | 'owned-by-you'
  /** Another AWS account owns the name: pick another suffix. */
  | 'owned-by-another-account';

/**
 * TODO 2: Check whether a bucket named `bucket` already exists in AWS, with HeadBucket.
 *
 * - 200: the bucket is yours         -> 'owned-by-you'
 * - 404: nobody has this name         -> 'available'
 * - 403: another account owns it      -> 'owned-by-another-account'
 * - anything else: throw the error on.
 *
 * HEAD responses have no body, so the SDK cannot read an error code from it: read the
 * status from `error.$metadata.httpStatusCode` (the SDK names a 404 `NotFound` and a
 * 403 just `Unknown`).
 */
export async function verifyBucketName(client: S3Client, bucket: string): Promise<BucketNameVerdict> {
  // BEGIN SOLUTION TODO 2
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return 'owned-by-you';
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return 'available';
    if (status === 403) return 'owned-by-another-account';
    throw error;
  }
  // END SOLUTION
}
