import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checksum } from '../../core/checksums.ts';
import type { RunningEmulator } from '../../server.ts';
import { failure, s3Client, startEmulator, uniqueBucketName } from './s3-test-support.ts';

let emulator: RunningEmulator;
let bucket: string;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.store.reset();
  bucket = uniqueBucketName('objects');
  await s3Client(emulator).send(new CreateBucketCommand({ Bucket: bucket }));
});

describe('PutObject / GetObject / HeadObject', () => {
  it('stores bytes, content type and lower-cased user metadata; ETag is the quoted MD5', async () => {
    const s3 = s3Client(emulator);
    const put = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'notes/a.csv', Body: 'year,title\n', ContentType: 'text/csv', Metadata: { Author: 'Kim' } }),
    );
    const md5 = createHash('md5').update('year,title\n').digest('hex');
    expect(put.ETag).toBe(`"${md5}"`);

    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'notes/a.csv' }));
    expect(await got.Body!.transformToString()).toBe('year,title\n');
    expect(got.ContentType).toBe('text/csv');
    expect(got.ContentLength).toBe(11);
    expect(got.ETag).toBe(`"${md5}"`);
    expect(got.Metadata).toEqual({ author: 'Kim' });
    expect(got.LastModified).toBeInstanceOf(Date);

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'notes/a.csv' }));
    expect(head).toMatchObject({ ContentType: 'text/csv', ContentLength: 11, ETag: `"${md5}"`, Metadata: { author: 'Kim' } });
  });

  it('sends Last-Modified as an RFC 1123 date and defaults the content type to binary/octet-stream', async () => {
    const s3 = s3Client(emulator);
    // The SDK names a content type itself; without the header S3 uses its own default.
    s3.middlewareStack.add(
      (next) => async (args) => {
        delete (args.request as { headers: Record<string, string> }).headers['content-type'];
        return next(args);
      },
      { step: 'build', priority: 'low', name: 'dropContentType' },
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw', Body: Buffer.from([1, 2, 3]) }));
    const response = await fetch(`${emulator.endpoint}/${bucket}/raw`, { method: 'HEAD' });
    // Anonymous and refused (no bucket policy), but a signed HEAD through the SDK shows the headers:
    expect(response.status).toBe(403);
    let lastModified: string | undefined;
    const head = s3Client(emulator);
    head.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        lastModified = (out.response as { headers: Record<string, string> }).headers['last-modified'];
        return out;
      },
      { step: 'deserialize', name: 'captureLastModified' },
    );
    const described = await head.send(new HeadObjectCommand({ Bucket: bucket, Key: 'raw' }));
    expect(described.ContentType).toBe('binary/octet-stream');
    expect(lastModified).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });

  it('stores the verified checksum and returns it when checksum mode is enabled', async () => {
    const s3 = s3Client(emulator);
    const body = Buffer.from('checksummed body');
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c', Body: body, ChecksumAlgorithm: 'SHA256' }));
    expect(put.ChecksumSHA256).toBe(checksum('SHA256', body));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumSHA256).toBe(checksum('SHA256', body));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
  });

  it('answers NoSuchKey with the key, NoSuchBucket with the bucket name, and HEAD 404 without a body', async () => {
    const s3 = s3Client(emulator);
    const missingKey = await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'nope' })));
    expect(missingKey).toMatchObject({ status: 404, name: 'NoSuchKey', message: 'The specified key does not exist.' });
    expect((missingKey.error as S3ServiceException & { Key?: string }).Key).toBe('nope');

    const missingBucket = await failure(s3.send(new GetObjectCommand({ Bucket: uniqueBucketName(), Key: 'k' })));
    expect(missingBucket).toMatchObject({ status: 404, name: 'NoSuchBucket' });
    expect((missingBucket.error as S3ServiceException & { BucketName?: string }).BucketName).toMatch(/^bucket-/);

    const head = await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'nope' })));
    expect(head).toMatchObject({ status: 404, name: 'NotFound' });
  });

  it("refuses another account's objects when the bucket has no policy", async () => {
    const other = s3Client(emulator, { accessKeyId: '111122223333' });
    const result = await failure(other.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' })));
    expect(result).toMatchObject({ status: 403, name: 'AccessDenied' });
  });
});

describe('DeleteObject', () => {
  it('deletes with 204, and answers 204 again for a key that is gone', async () => {
    const s3 = s3Client(emulator);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    expect((await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }))).$metadata.httpStatusCode).toBe(204);
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' })))).status).toBe(404);
  });
});

describe('ListObjectsV2', () => {
  it('lists keys in order with sizes and ETags, and KeyCount', async () => {
    const s3 = s3Client(emulator);
    for (const key of ['b.txt', 'a.txt', 'dir/c.txt']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(out.Contents?.map((o) => o.Key)).toEqual(['a.txt', 'b.txt', 'dir/c.txt']);
    expect(out.Contents?.[0]).toMatchObject({ Size: 5, StorageClass: 'STANDARD' });
    expect(out.KeyCount).toBe(3);
    expect(out.IsTruncated).toBe(false);
  });
});
