import { PutBucketWebsiteCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * TODO 3: Turn on static website hosting for the bucket, with `indexDocument` as the
 * index document and `errorDocument` as the error document (the course's
 *   aws s3api put-bucket-website --bucket $mybucket --website-configuration file://website.json
 * with website.json = {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "error.html"}}).
 *
 * `PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: { IndexDocument: { Suffix }, ErrorDocument: { Key } } })`.
 * The index document is a suffix: S3 appends it to every URL that ends in `/`, so
 * `/notes/` serves `notes/index.html`. The error document is one key, served for every
 * missing page, with the error's status (404).
 */
export async function enableWebsite(client: S3Client, bucket: string, indexDocument: string, errorDocument: string): Promise<void> {
  // BEGIN SOLUTION TODO 3
  await client.send(
    new PutBucketWebsiteCommand({
      Bucket: bucket,
      WebsiteConfiguration: { IndexDocument: { Suffix: indexDocument }, ErrorDocument: { Key: errorDocument } },
    }),
  );
  // END SOLUTION
}
