import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DeletePublicAccessBlockCommand, paginateListObjectsV2, PutBucketPolicyCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { contentTypeFor } from './content-types.ts';
import { localFiles } from './local-files.ts';

export interface CollectStaticOptions {
  /** The key prefix of static files, without a trailing slash: `static`. */
  location: string;
  /** The Cache-Control every static file is served with. */
  cacheControl: string;
}

/**
 * TODO 5a: Django's `collectstatic` to S3: every file of `folder` under
 * `<location>/<path in the folder>`, with the content type of its extension
 * (`contentTypeFor`) and `CacheControl: options.cacheControl`. Upload only what is new or
 * changed (compare each file's MD5 with the object's ETag, as in lab 04, listing only the
 * location's prefix), and return the keys you uploaded.
 */
export async function collectStatic(client: S3Client, bucket: string, folder: string, options: CollectStaticOptions): Promise<string[]> {
  // BEGIN SOLUTION TODO 5
  const prefix = `${options.location}/`;
  const remote = new Map<string, string>();
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) remote.set(object.Key!, object.ETag!);
  }
  const uploaded: string[] = [];
  for (const file of await localFiles(folder)) {
    const key = prefix + file.key;
    const bytes = await readFile(file.path);
    if (remote.get(key) === `"${createHash('md5').update(bytes).digest('hex')}"`) continue;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentTypeFor(file.key), CacheControl: options.cacheControl }));
    uploaded.push(key);
  }
  return uploaded;
  // END SOLUTION
}

/**
 * TODO 5b: Make the static files, and only them, readable by everyone: remove the bucket's
 * public access block (new buckets block public policies), then a bucket policy that
 * allows `s3:GetObject` to `Principal: '*'` on `arn:aws:s3:::<bucket>/<location>/*`.
 * Not on `<bucket>/*`: the media files are your users' and stay private.
 */
export async function publishStatic(client: S3Client, bucket: string, location: string): Promise<void> {
  // BEGIN SOLUTION TODO 5
  await client.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'PublicStaticFiles', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/${location}/*` }],
  };
  await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  // END SOLUTION
}
