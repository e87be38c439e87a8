/**
 * Lab 04: a static website on S3, the course's shell steps (list-buckets with a query,
 * `aws s3 sync`, put-bucket-website, put-bucket-policy, the website URL) in TypeScript.
 * `npm run lab:4` runs this program against the lab emulator, then grades each TODO.
 * You do not need to change this file: the TODOs are in the files it imports.
 */
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { ensureBucket } from './ensure-bucket.ts';
import { fetchPage } from './fetch-page.ts';
import { findBucket } from './find-bucket.ts';
import { allowPublicRead } from './put-bucket-policy.ts';
import { enableWebsite } from './put-bucket-website.ts';
import { readConfig } from './read-config.ts';
import { syncFolder } from './sync-folder.ts';
import { websiteUrl } from './website-url.ts';

async function main(client: S3Client): Promise<void> {
  console.log('\nStart of static website script\n');
  const config = readConfig(new URL('./config.ini', import.meta.url), 'S3');
  await ensureBucket(client, config.bucket_name!);

  console.log(`Finding the bucket whose name contains "${config.bucket_pattern}"...`);
  const bucket = await findBucket(client, config.bucket_pattern!);
  console.log(`mybucket=${bucket}`);

  const folder = fileURLToPath(new URL(config.site_folder!, import.meta.url));
  console.log(`\nSyncing ${config.site_folder} to s3://${bucket}/`);
  for (const key of await syncFolder(client, folder, bucket)) console.log(`upload: ${key} to s3://${bucket}/${key}`);
  console.log('Syncing again: only what changed is uploaded, so nothing this time');
  const again = await syncFolder(client, folder, bucket);
  console.log(again.length === 0 ? '(nothing to upload)' : `uploaded again: ${again.join(', ')}`);

  console.log(`\nEnabling website hosting (index ${config.index_document}, error ${config.error_document})...`);
  await enableWebsite(client, bucket, config.index_document!, config.error_document!);

  console.log('Removing the public access block and putting a public-read bucket policy...');
  await allowPublicRead(client, bucket);

  const region = await client.config.region();
  console.log(`\nOn AWS the website would be at:\n${websiteUrl(bucket, region)}`);
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (endpoint) {
    const url = websiteUrl(bucket, region, endpoint);
    console.log(`\nYou can now access the website at:\n${url}\n`);
    const home = await fetchPage(url);
    console.log(`GET ${url} -> ${home.status} ${home.contentType}`);
    const missing = await fetchPage(new URL('no-such-page.html', url).href);
    console.log(`GET ${new URL('no-such-page.html', url).href} -> ${missing.status} ${missing.contentType}`);
  }
  console.log('\nEnd of static website script\n');
}

// Region, endpoint and keys come from the environment (lab 02, TODO 1).
const client = new S3Client({});
main(client)
  .catch((error: unknown) => {
    // Like the course's scripts: print what went wrong, without a stack trace.
    console.log(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  })
  .finally(() => client.destroy());
