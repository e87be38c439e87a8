import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutBucketCorsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, s3Client, startEmulator, uniqueBucketName } from './s3-test-support.ts';

/**
 * S3 POST Object (a browser form upload with a SigV4 POST policy), presigned PUT, and the
 * CORS headers a browser needs on both, through the real SDK presigners and fetch().
 */
const emulator = await startEmulator();
const s3 = s3Client(emulator);
const bucket = uniqueBucketName('post');
const APP = 'http://127.0.0.1:8123';

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: { CORSRules: [{ AllowedOrigins: [APP], AllowedMethods: ['GET', 'PUT', 'POST'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'] }] },
    }),
  );
});
afterAll(() => emulator.stop());

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

async function presigned(key: string, options: { max?: number; expires?: number; fields?: Record<string, string> } = {}) {
  return createPresignedPost(s3, {
    Bucket: bucket,
    Key: key,
    Conditions: [['content-length-range', 1, options.max ?? 1024], ['starts-with', '$Content-Type', 'image/']],
    Fields: options.fields ?? {},
    Expires: options.expires ?? 60,
  });
}

async function post(url: string, fields: Record<string, string>, file: Buffer, extra: Record<string, string> = {}, origin?: string): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...fields, ...extra })) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file)]), 'photo.png');
  return fetch(url, { method: 'POST', body: form, headers: origin ? { origin } : {} });
}

function codeOf(xml: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];
}

/** The error's message, XML entities decoded. */
function messageOf(xml: string): string {
  return (/<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
}

describe('POST Object with a SigV4 POST policy', () => {
  it('stores the file with the form fields as attributes, 204 by default', async () => {
    const { url, fields } = await presigned('media/a.png', { fields: { 'x-amz-meta-owner': 'kim' } });
    const res = await post(url, fields, PNG, { 'Content-Type': 'image/png' });
    expect(res.status).toBe(204);
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'media/a.png' }));
    expect(head.ContentType).toBe('image/png');
    expect(head.Metadata).toEqual({ owner: 'kim' });
    expect(head.ContentLength).toBe(PNG.length);
    const log = emulator.store.log.list().filter((e) => e.operation === 'PostObject').at(-1);
    expect(log).toMatchObject({ status: 204, key: 'media/a.png', callerArn: expect.stringContaining(':root') });
  });

  it('answers 201 with a PostResponse document when success_action_status says so', async () => {
    const { url, fields } = await presigned('media/b.png', { fields: { success_action_status: '201' } });
    const res = await post(url, fields, PNG, { 'Content-Type': 'image/png' });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).toContain('<Key>media/b.png</Key>');
    expect(text).toContain(`<Bucket>${bucket}</Bucket>`);
  });

  it('replaces ${filename} in the key with the uploaded file name', async () => {
    const { url, fields } = await presigned('media/${filename}');
    const res = await post(url, fields, PNG, { 'Content-Type': 'image/png' });
    expect(res.status).toBe(204);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'media/photo.png' }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(PNG);
  });

  it('refuses a file larger than content-length-range with 400 EntityTooLarge', async () => {
    const { url, fields } = await presigned('media/big.png', { max: 10 });
    const res = await post(url, fields, Buffer.alloc(11, 1), { 'Content-Type': 'image/png' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(codeOf(text)).toBe('EntityTooLarge');
    expect(text).toContain('<MaxSizeAllowed>10</MaxSizeAllowed>');
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'media/big.png' })))).toMatchObject({ status: 404 });
  });

  it('refuses a content type outside the policy with 403 AccessDenied naming the condition', async () => {
    const { url, fields } = await presigned('media/c.txt');
    const res = await post(url, fields, PNG, { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(codeOf(text)).toBe('AccessDenied');
    expect(messageOf(text)).toBe('Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]');
  });

  it('refuses a field no condition names ("Extra input fields")', async () => {
    const { url, fields } = await presigned('media/d.png');
    const res = await post(url, fields, PNG, { 'Content-Type': 'image/png', 'x-amz-meta-sneaky': '1' });
    expect(res.status).toBe(403);
    expect(messageOf(await res.text())).toBe('Invalid according to Policy: Extra input fields: x-amz-meta-sneaky');
  });

  it('refuses an expired policy, a changed key and a wrong signature', async () => {
    const expired = await presigned('media/e.png', { expires: 1 });
    emulator.store.clock.advance(5);
    const late = await post(expired.url, expired.fields, PNG, { 'Content-Type': 'image/png' });
    expect(late.status).toBe(403);
    expect(messageOf(await late.text())).toBe('Invalid according to Policy: Policy expired.');

    const { url, fields } = await presigned('media/f.png');
    const moved = await post(url, { ...fields, key: 'other/f.png' }, PNG, { 'Content-Type': 'image/png' });
    expect(moved.status).toBe(403);
    expect(messageOf(await moved.text())).toBe('Invalid according to Policy: Policy Condition failed: ["eq", "$key", "media/f.png"]');

    const forged = await post(url, { ...fields, 'X-Amz-Signature': '0'.repeat(64) }, PNG, { 'Content-Type': 'image/png' });
    expect(forged.status).toBe(403);
    expect(codeOf(await forged.text())).toBe('SignatureDoesNotMatch');
  });

  it('needs a key field, and an anonymous form (no policy) is denied on a private bucket', async () => {
    const { url, fields } = await presigned('media/g.png');
    const { key: _key, ...withoutKey } = fields;
    const noKey = await post(url, withoutKey, PNG, { 'Content-Type': 'image/png' });
    expect(noKey.status).toBe(400);
    expect(codeOf(await noKey.text())).toBe('InvalidArgument');

    const anonymous = await post(url, { key: 'media/anon.png' }, PNG);
    expect(anonymous.status).toBe(403);
    expect(codeOf(await anonymous.text())).toBe('AccessDenied');
  });

  it("carries the bucket's CORS headers for an allowed Origin, on success and on refusal", async () => {
    const { url, fields } = await presigned('media/h.png', { max: 4 });
    const refused = await post(url, fields, PNG, { 'Content-Type': 'image/png' }, APP);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('access-control-allow-origin')).toBe(APP);
    const other = await post(url, fields, PNG, { 'Content-Type': 'image/png' }, 'http://127.0.0.1:9999');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const ok = await presigned('media/i.png');
    const accepted = await post(ok.url, ok.fields, PNG, { 'Content-Type': 'image/png' }, APP);
    expect(accepted.status).toBe(204);
    expect(accepted.headers.get('access-control-allow-origin')).toBe(APP);
    expect(accepted.headers.get('access-control-expose-headers')).toBe('ETag');
  });
});

describe('presigned PUT and the browser preflight on an object', () => {
  it("refuses a presigned PUT whose query carries the SDK's checksum of an empty body (BadDigest)", async () => {
    // The SDK's default requestChecksumCalculation signs a CRC32 of the (still empty) body into the URL.
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'media/put.png', ContentType: 'image/png' }), { expiresIn: 30 });
    expect(new URL(url).searchParams.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
    const res = await fetch(url, { method: 'PUT', body: PNG, headers: { 'content-type': 'image/png' } });
    expect(res.status).toBe(400);
    expect(codeOf(await res.text())).toBe('BadDigest');
  });

  it('uploads with a presigned PUT, and refuses it once expired', async () => {
    const presigner = new S3Client({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const url = await getSignedUrl(presigner, new PutObjectCommand({ Bucket: bucket, Key: 'media/put.png', ContentType: 'image/png' }), { expiresIn: 30 });
    const res = await fetch(url, { method: 'PUT', body: PNG, headers: { 'content-type': 'image/png' } });
    expect(res.status).toBe(200);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'media/put.png' }))).ContentType).toBe('image/png');
    emulator.store.clock.advance(31);
    const late = await fetch(url, { method: 'PUT', body: PNG, headers: { 'content-type': 'image/png' } });
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('Request has expired');
  });

  it('answers an allowed preflight with the rule, and a foreign origin with 403 AccessForbidden', async () => {
    const preflight = (origin: string) =>
      fetch(`${emulator.endpoint}/${bucket}/media/put.png`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight(APP);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('PUT');
    // A browser sends the preflight to the presigned URL itself; S3 does not check its signature.
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'media/put.png' }), { expiresIn: 30 });
    const tampered = url.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${'0'.repeat(64)}`);
    const signedPreflight = await fetch(tampered, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'PUT' } });
    expect(signedPreflight.status).toBe(200);
    expect(signedPreflight.headers.get('access-control-allow-origin')).toBe(APP);
    const foreign = await preflight('http://evil.example');
    expect(foreign.status).toBe(403);
    expect(codeOf(await foreign.text())).toBe('AccessForbidden');
  });
});
