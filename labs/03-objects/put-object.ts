import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * TODO 7: Create the object `key` with `data` (a string, already in memory) as its
 * content, with the content type `contentType` and the user `metadata`.
 *
 * The data is in memory, not in a file, so there is nothing to stream: one
 * `PutObjectCommand` does it (the course's `put_object`). A string Body is sent as
 * UTF-8. Every PutObject replaces the whole object, metadata included: metadata you
 * leave out is gone, it is not kept from an earlier version.
 */
export async function createObject(
  client: S3Client,
  bucket: string,
  key: string,
  data: string,
  contentType: string,
  metadata: Record<string, string> = {},
): Promise<string> {
  // BEGIN SOLUTION TODO 7
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, ContentType: contentType, Metadata: metadata }));
  // END SOLUTION
  return 'Successfully Created Object\n';
}
