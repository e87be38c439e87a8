import type { S3Client } from '@aws-sdk/client-s3';

/**
 * The plain (unsigned) URL of an object, the one a browser may use when the bucket
 * policy lets everyone read it: `https://<bucket>.s3.<region>.amazonaws.com/<key>` on
 * AWS, and `<endpoint>/<bucket>/<key>` (path-style) on the lab emulator, whose endpoint
 * is an IP address. Each path segment of the key is percent-encoded, `/` kept.
 */
export async function objectUrl(client: S3Client, bucket: string, key: string): Promise<string> {
  const path = key.split('/').map(encodeURIComponent).join('/');
  const endpoint = await client.config.endpoint?.();
  if (!endpoint) return `https://${bucket}.s3.${await client.config.region()}.amazonaws.com/${path}`;
  const port = endpoint.port ? `:${endpoint.port}` : '';
  const base = endpoint.path.endsWith('/') ? endpoint.path : `${endpoint.path}/`;
  return `${endpoint.protocol}//${endpoint.hostname}${port}${base}${bucket}/${path}`;
}
