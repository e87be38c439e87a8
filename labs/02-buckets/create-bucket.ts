import { CreateBucketCommand, type BucketLocationConstraint, type CreateBucketCommandInput, type S3Client } from '@aws-sdk/client-s3';

/**
 * TODO 3: Create the bucket `name` in the client's region (`await client.config.region()`).
 *
 * S3's quirk: outside us-east-1 you must say where the bucket goes, with
 * `CreateBucketConfiguration: { LocationConstraint: region }`; in us-east-1 you must
 * NOT send a LocationConstraint at all (S3 rejects `us-east-1` as a location
 * constraint with InvalidLocationConstraint).
 */
export async function createBucket(client: S3Client, name: string): Promise<void> {
  // BEGIN SOLUTION TODO 3
  const region = await client.config.region();
  const input: CreateBucketCommandInput = { Bucket: name };
  if (region !== 'us-east-1') input.CreateBucketConfiguration = { LocationConstraint: region as BucketLocationConstraint };
  await client.send(new CreateBucketCommand(input));
  // END SOLUTION
}
