import { S3Client } from '@aws-sdk/client-s3';

/**
 * TODO 1: Create an S3 client to interact with the service; main.ts passes it to
 * every other function of this lab.
 *
 * - Do not hard-code a region, an endpoint or keys: the SDK reads them from the
 *   environment (AWS_REGION, AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...), which is how
 *   the same code runs on your laptop, in the lab emulator and in production.
 * - Set `maxAttempts` to the `maxAttempts` argument (from config.ini): how many times
 *   the SDK tries a request in all before it gives up.
 */
export function createS3Client(maxAttempts: number): S3Client {
  // BEGIN SOLUTION TODO 1
  return new S3Client({ maxAttempts });
  // END SOLUTION
}
