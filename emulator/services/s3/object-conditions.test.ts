import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { failure, s3Client, startEmulator, uniqueBucketName } from './s3-test-support.ts';

let emulator: RunningEmulator;
let bucket: string;
let etag: string;
const BODY = '0123456789abcdefghij';
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.store.reset();
  bucket = uniqueBucketName('reads');
  const s3 = s3Client(emulator);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  etag = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: BODY }))).ETag!;
});

describe('content headers and metadata limits', () => {
  it('stores and returns Content-Encoding, Cache-Control, Content-Disposition, Content-Language and Expires', async () => {
    const s3 = s3Client(emulator);
    const expires = new Date('2030-01-01T00:00:00Z');
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'page.html.gz',
        Body: 'x',
        ContentType: 'text/html',
        ContentEncoding: 'gzip',
        CacheControl: 'max-age=60',
        ContentDisposition: 'attachment; filename="page.html"',
        ContentLanguage: 'ko',
        Expires: expires,
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'page.html.gz' }));
    expect(head).toMatchObject({
      ContentType: 'text/html',
      ContentEncoding: 'gzip',
      CacheControl: 'max-age=60',
      ContentDisposition: 'attachment; filename="page.html"',
      ContentLanguage: 'ko',
    });
    expect(head.ExpiresString).toBe(expires.toUTCString());
  });

  it('refuses user metadata over 2 KB with MetadataTooLarge', async () => {
    const result = await failure(
      s3Client(emulator).send(new PutObjectCommand({ Bucket: bucket, Key: 'm', Body: 'x', Metadata: { big: 'v'.repeat(2048) } })),
    );
    expect(result).toMatchObject({ status: 400, name: 'MetadataTooLarge' });
  });
});

describe('Range GETs', () => {
  it.each([
    ['bytes=0-4', '01234', 'bytes 0-4/20'],
    ['bytes=15-', 'fghij', 'bytes 15-19/20'],
    ['bytes=-3', 'hij', 'bytes 17-19/20'],
    ['bytes=18-100', 'ij', 'bytes 18-19/20'],
  ])('%s answers 206 with the bytes and Content-Range', async (range, body, contentRange) => {
    const got = await s3Client(emulator).send(new GetObjectCommand({ Bucket: bucket, Key: 'k', Range: range }));
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(got.ContentRange).toBe(contentRange);
    expect(got.ContentLength).toBe(body.length);
    expect(await got.Body!.transformToString()).toBe(body);
  });

  it('answers 416 InvalidRange for a range past the end', async () => {
    const result = await failure(s3Client(emulator).send(new GetObjectCommand({ Bucket: bucket, Key: 'k', Range: 'bytes=20-30' })));
    expect(result).toMatchObject({ status: 416, name: 'InvalidRange' });
  });
});

describe('conditional GETs', () => {
  const past = new Date(Date.now() - 3_600_000);
  const future = new Date(Date.now() + 3_600_000);

  it('serves the object when If-Match matches and If-None-Match does not', async () => {
    const s3 = s3Client(emulator);
    expect((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfMatch: etag }))).$metadata.httpStatusCode).toBe(200);
    expect((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfNoneMatch: '"other"' }))).$metadata.httpStatusCode).toBe(200);
    expect((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfModifiedSince: past }))).$metadata.httpStatusCode).toBe(200);
  });

  it('answers 412 PreconditionFailed for a failed If-Match or If-Unmodified-Since', async () => {
    const s3 = s3Client(emulator);
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfMatch: '"nope"' })))).toMatchObject({
      status: 412,
      name: 'PreconditionFailed',
    });
    expect((await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfUnmodifiedSince: past })))).status).toBe(412);
  });

  it('answers 304 for a matching If-None-Match or an unmodified If-Modified-Since', async () => {
    const s3 = s3Client(emulator);
    expect((await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfNoneMatch: etag })))).status).toBe(304);
    expect((await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfModifiedSince: future })))).status).toBe(304);
  });

  it('orders them as S3 does: a true If-Match overrides a false If-Unmodified-Since; If-None-Match wins over If-Modified-Since', async () => {
    const s3 = s3Client(emulator);
    const both = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfMatch: etag, IfUnmodifiedSince: past }));
    expect(both.$metadata.httpStatusCode).toBe(200);
    const noneMatchFalse = await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfNoneMatch: etag, IfModifiedSince: past })));
    expect(noneMatchFalse.status).toBe(304);
    // If-Match fails first: 412 even though If-None-Match would give 304.
    expect((await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', IfMatch: '"x"', IfNoneMatch: etag })))).status).toBe(412);
  });

  it('refuses PutObject If-None-Match: * when the key exists', async () => {
    const s3 = s3Client(emulator);
    expect((await failure(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'y', IfNoneMatch: '*' })))).status).toBe(412);
    expect((await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'new', Body: 'y', IfNoneMatch: '*' }))).$metadata.httpStatusCode).toBe(200);
  });
});
