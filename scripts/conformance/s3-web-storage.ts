import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutBucketCorsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { observe, type Behaviour, type Observation, type Target } from './behaviour.ts';

/**
 * What lab 11 (S3 as a web app's storage) relies on: POST Object with a POST policy
 * (browser uploads), presigned PUT, CORS preflights on object URLs, ListObjectsV2 with a
 * delimiter. The browser's requests are made with fetch() here, as a browser sends them.
 */
const BUCKET = 'web-storage-bucket';
const APP = 'http://127.0.0.1:8123';

async function bucketWithCors(t: Target): Promise<S3Client> {
  const s3 = t.s3();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new PutBucketCorsCommand({ Bucket: BUCKET, CORSConfiguration: { CORSRules: [{ AllowedOrigins: [APP], AllowedMethods: ['GET', 'PUT', 'POST'], AllowedHeaders: ['*'] }] } }),
  );
  return s3;
}

/** Posts the SDK's presigned form with a file, as the lab's upload page does; observes status, error code and the stored object. */
async function postUpload(t: Target, options: { size: number; contentType: string; status?: string }): Promise<Observation> {
  const s3 = await bucketWithCors(t);
  const { url, fields } = await createPresignedPost(s3, {
    Bucket: BUCKET,
    Key: 'media/photo.png',
    Conditions: [['content-length-range', 1, 100], ['starts-with', '$Content-Type', 'image/']],
    Fields: options.status ? { success_action_status: options.status } : {},
    Expires: 300,
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('Content-Type', options.contentType);
  form.append('file', new Blob([new Uint8Array(options.size)]), 'photo.png');
  const response = await fetch(url, { method: 'POST', body: form, headers: { origin: APP } });
  const text = await response.text();
  const stored = await observe(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'media/photo.png' })), (o) => ({ contentType: o.ContentType, size: o.ContentLength }));
  return {
    post: { status: response.status, error: /<Code>([^<]+)<\/Code>/.exec(text)?.[1], postResponseKey: /<Key>([^<]+)<\/Key>/.exec(text)?.[1] },
    allowOrigin: response.headers.get('access-control-allow-origin'),
    stored,
  };
}

async function preflight(t: Target, origin: string, method: string): Promise<Observation> {
  await bucketWithCors(t);
  const response = await fetch(`${t.backend.endpoint}/${BUCKET}/media/photo.png`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
  });
  const text = await response.text();
  return { status: response.status, error: /<Code>([^<]+)<\/Code>/.exec(text)?.[1], allowOrigin: response.headers.get('access-control-allow-origin') };
}

export const S3_WEB_STORAGE_BEHAVIOURS: Behaviour[] = [
  {
    name: 'S3 POST Object with a POST policy: 204, the object with the form Content-Type, CORS headers for the app',
    run: (t) => postUpload(t, { size: 10, contentType: 'image/png' }),
  },
  {
    name: 'S3 POST Object with success_action_status 201: a PostResponse document',
    run: (t) => postUpload(t, { size: 10, contentType: 'image/png', status: '201' }),
  },
  {
    name: 'S3 POST Object over content-length-range: 400 EntityTooLarge, nothing stored',
    run: (t) => postUpload(t, { size: 101, contentType: 'image/png' }),
  },
  {
    name: 'S3 POST Object with a Content-Type outside starts-with: 403 AccessDenied, nothing stored',
    run: (t) => postUpload(t, { size: 10, contentType: 'text/plain' }),
  },
  {
    name: 'S3 presigned PUT (no SDK checksum in the URL), then HeadObject',
    run: async (t) => {
      const s3 = await bucketWithCors(t);
      const presigner = new S3Client({ endpoint: t.backend.endpoint, region: 'us-east-1', credentials: t.backend.credentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
      const url = await getSignedUrl(presigner, new PutObjectCommand({ Bucket: BUCKET, Key: 'media/put.txt', ContentType: 'text/plain' }), { expiresIn: 300 });
      presigner.destroy();
      const response = await fetch(url, { method: 'PUT', body: 'hello', headers: { 'content-type': 'text/plain' } });
      await response.text();
      return {
        put: response.status,
        stored: await observe(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'media/put.txt' })), (o) => ({ contentType: o.ContentType, size: o.ContentLength })),
      };
    },
  },
  {
    name: "S3 CORS preflight on an object from the rule's origin: 200 with Access-Control-Allow-Origin",
    run: (t) => preflight(t, APP, 'PUT'),
  },
  {
    name: 'S3 CORS preflight from another origin: 403 AccessForbidden',
    run: (t) => preflight(t, 'http://other.example', 'PUT'),
  },
  {
    name: 'S3 CORS preflight for a method the rule does not allow: 403 AccessForbidden',
    run: (t) => preflight(t, APP, 'DELETE'),
  },
  {
    name: 'S3 ListObjectsV2 with Delimiter and MaxKeys: folders in CommonPrefixes, counted in the page',
    run: async (t) => {
      const s3 = t.s3();
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      for (const key of ['media/a.png', 'media/b.png', 'media/2024/c.png', 'media/2025/d.png', 'media/2025/e/f.png', 'static/app.css']) {
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));
      }
      const page = (token?: string) =>
        observe(s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'media/', Delimiter: '/', MaxKeys: 3, ContinuationToken: token })), (o) => ({
          keys: (o.Contents ?? []).map((c) => c.Key),
          prefixes: (o.CommonPrefixes ?? []).map((p) => p.Prefix),
          keyCount: o.KeyCount,
          truncated: o.IsTruncated,
          token: o.NextContinuationToken !== undefined,
        }));
      const first = await page();
      const { NextContinuationToken } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'media/', Delimiter: '/', MaxKeys: 3 }));
      return { first, second: await page(NextContinuationToken) };
    },
  },
];
