/**
 * Lab 02: create a bucket safely, the course's create-bucket.py in TypeScript.
 * `npm run lab:2` runs this program against the lab emulator, then grades each TODO.
 * You do not need to change this file: the TODOs are in the files it imports.
 */
import { createBucket } from './create-bucket.ts';
import { verifyBucketName } from './head-bucket.ts';
import { readConfig } from './read-config.ts';
import { createS3Client } from './s3-client.ts';
import { waitForBucket } from './wait-for-bucket.ts';

async function main(): Promise<void> {
  console.log('\nStart of create bucket script\n');

  console.log('Reading configuration file for bucket name...');
  const config = readConfig(new URL('./config.ini', import.meta.url), 'S3');
  const bucketName = config.bucket_name!;
  const client = createS3Client(Number(config.max_attempts));

  console.log('Verifying that the bucket name is valid...');
  const verdict = await verifyBucketName(client, bucketName);
  if (verdict === 'owned-by-you') {
    console.log('This bucket has already been created in your account, exiting because there is nothing further to do!');
    return;
  }
  if (verdict === 'owned-by-another-account') {
    console.log('This bucket is already owned by another AWS account, change the suffix in config.ini and try a new name!');
    process.exitCode = 1;
    return;
  }
  console.log('Existing Bucket Not Found, please proceed');
  console.log(bucketName);

  console.log(`\nCreating ${bucketName} in ${await client.config.region()}`);
  await createBucket(client, bucketName);
  console.log('Success!');

  console.log('\nConfirm that the bucket exists...');
  await waitForBucket(client, bucketName);
  console.log(`The bucket:${bucketName} is now available.`);

  console.log('\nEnd of create bucket script\n');
}

main().catch((error: unknown) => {
  // Like the course's script: print what went wrong, without a stack trace.
  console.log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
