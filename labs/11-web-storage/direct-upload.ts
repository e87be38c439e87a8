import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';

export interface UploadForm {
  /** Where the browser POSTs the form: the bucket's URL. */
  url: string;
  /** The form fields to send before the file: key, policy, X-Amz-Signature, ... */
  fields: Record<string, string>;
}

export interface UploadLimits {
  /** The largest file S3 may accept, in bytes. */
  maxBytes: number;
  /** How long the form may be used, in seconds. */
  expiresIn: number;
}

/**
 * TODO 3: A presigned POST that lets a browser upload ONE image straight to S3 under
 * `key`, without the file passing through the app (S3 User Guide: "Browser-based uploads
 * using POST"). The app signs a POST policy; the browser sends it with the file; S3
 * checks the policy's conditions itself and refuses what breaks them.
 *
 * The policy must allow only:
 * - this key (createPresignedPost adds `{ key }` for you);
 * - a file of 1 byte up to `maxBytes` (`['content-length-range', min, max]`), else S3
 *   answers 400 EntityTooLarge;
 * - an image: the form's Content-Type field starting with `image/`
 *   (`['starts-with', '$Content-Type', 'image/']`), else 403 AccessDenied;
 * - for `expiresIn` seconds (`Expires`).
 */
export async function presignUpload(client: S3Client, bucket: string, key: string, limits: UploadLimits): Promise<UploadForm> {
  // BEGIN SOLUTION TODO 3
  return createPresignedPost(client, {
    Bucket: bucket,
    Key: key,
    Conditions: [
      ['content-length-range', 1, limits.maxBytes],
      ['starts-with', '$Content-Type', 'image/'],
    ],
    Expires: limits.expiresIn,
  });
  // END SOLUTION
}
