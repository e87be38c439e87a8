import { createReadStream } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/**
 * TODO 5: Create an object by transferring the file `fileName` to the bucket under
 * `key`; set its content type to `contentType` and add the user `metadata`.
 *
 * The course uses boto3's `upload_file`, which streams the file and switches to a
 * multipart upload for big files. The JS v3 equivalent is `Upload` from
 * `@aws-sdk/lib-storage`: `new Upload({ client, params: { Bucket, Key, Body, ... } }).done()`,
 * with a file stream (`createReadStream(fileName)`) as the Body.
 *
 * S3 stores the content type you send and guesses nothing: without `ContentType` the
 * SDK sends `application/octet-stream` (S3's own default is `binary/octet-stream`),
 * whatever the file name says. User metadata travels
 * as `x-amz-meta-<name>` headers; S3 gives the names back in lower case.
 */
export async function uploadObject(
  client: S3Client,
  bucket: string,
  fileName: string,
  key: string,
  contentType: string,
  metadata: Record<string, string> = {},
): Promise<string> {
  // BEGIN SOLUTION TODO 5
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: createReadStream(fileName), ContentType: contentType, Metadata: metadata },
  });
  await upload.done();
  // END SOLUTION
  return 'Finished creating object\n';
}
