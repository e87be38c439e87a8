import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export type Verdict = 'allowed' | 'denied';

/**
 * TODO 2: Find out what the session may do: read the object `readKey`, then try to
 * write a small object at `writeKey`, and report what happened to each.
 *
 * - A request the session's permissions do not allow fails with HTTP 403 and the
 *   error name `AccessDenied` (the message says which policy is missing). That is
 *   'denied'.
 * - Any other error (no such bucket or key, throttling, ...) is not an answer to
 *   "may I?": throw it on.
 * - Really send the write: the only way to know what a role may do is to ask AWS.
 *   Read the body of what you got, so the read is complete.
 */
export async function tryReadAndWrite(s3: S3Client, bucket: string, readKey: string, writeKey: string): Promise<{ read: Verdict; write: Verdict }> {
  // BEGIN SOLUTION TODO 2
  const attempt = async (request: () => Promise<unknown>): Promise<Verdict> => {
    try {
      await request();
      return 'allowed';
    } catch (error) {
      if ((error as Error).name === 'AccessDenied') return 'denied';
      throw error;
    }
  };
  const read = await attempt(async () => {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: readKey }));
    await Body?.transformToString();
  });
  const write = await attempt(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key: writeKey, Body: 'written by the role session\n' })));
  return { read, write };
  // END SOLUTION
}
