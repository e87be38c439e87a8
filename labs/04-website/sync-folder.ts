import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { contentTypeFor } from './content-types.ts';
import { localFiles } from './local-files.ts';

/**
 * TODO 2: Make the bucket hold every file of `folder`, like `aws s3 sync folder s3://bucket/`,
 * and return the keys you uploaded.
 *
 * - Each file goes to the key `localFiles` gives it (`css/style.css`), with the content
 *   type of its extension (`contentTypeFor(key)`): S3 serves back exactly what you send.
 * - Upload only what is new or changed, so a second run on the same folder sends nothing.
 *   Ask S3 what it has first: `paginateListObjectsV2({ client }, { Bucket })` gives every
 *   key (a page holds at most 1,000) with its `ETag`. For an object sent in one PutObject,
 *   the ETag is the MD5 of its bytes, in hex, in double quotes:
 *   `"${createHash('md5').update(bytes).digest('hex')}"`. Same ETag, same bytes: skip it.
 * - Comparing sizes is not enough: an edit that keeps the size (a typo fixed, a colour
 *   changed) would never be published.
 */
export async function syncFolder(client: S3Client, folder: string, bucket: string): Promise<string[]> {
  // BEGIN SOLUTION TODO 2
  const remoteETags = new Map<string, string>();
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket })) {
    for (const object of page.Contents ?? []) remoteETags.set(object.Key!, object.ETag!);
  }
  const uploaded: string[] = [];
  for (const file of await localFiles(folder)) {
    const bytes = await readFile(file.path);
    const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
    if (remoteETags.get(file.key) === etag) continue;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: file.key, Body: bytes, ContentType: contentTypeFor(file.key) }));
    uploaded.push(file.key);
  }
  return uploaded;
  // END SOLUTION
}
