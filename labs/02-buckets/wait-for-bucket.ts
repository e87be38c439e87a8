import { waitUntilBucketExists, type S3Client } from '@aws-sdk/client-s3';

/**
 * TODO 4: Pause until the bucket exists, then return: right after CreateBucket a new
 * bucket may not be visible yet, and code that uses it at once fails now and then.
 *
 * Use the SDK's waiter `waitUntilBucketExists`. It polls HeadBucket at once, then
 * waits at least `minDelay` seconds between polls (default 5 s) and gives up after
 * `maxWaitTime` seconds. The defaults suit production, not a lab: poll every second
 * (`minDelay: 1`) and give up after half a minute (`maxWaitTime: 30`).
 */
export async function waitForBucket(client: S3Client, bucket: string): Promise<void> {
  // BEGIN SOLUTION TODO 4
  await waitUntilBucketExists({ client, minDelay: 1, maxWaitTime: 30 }, { Bucket: bucket });
  // END SOLUTION
}
