import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * TODO 6: Download the object `key` into memory and return its content as a string
 * (UTF-8), without writing a file.
 *
 * The course fills an `io.BytesIO` with boto3's `download_fileobj`, then decodes it.
 * In JS v3, `GetObjectCommand` answers with `Body`, a stream; the SDK adds
 * `Body.transformToString()` (and `transformToByteArray()`) to read it all.
 *
 * Careful if you read the stream yourself: a multi-byte character (Korean, an emoji)
 * can be split across two chunks, so decoding chunk by chunk garbles it. Collect the
 * bytes first, decode once.
 */
export async function getCsvFile(client: S3Client, bucket: string, key: string): Promise<string> {
  // BEGIN SOLUTION TODO 6
  const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!Body) throw new Error(`s3://${bucket}/${key} came back without a body`);
  return Body.transformToString('utf-8');
  // END SOLUTION
}
