import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
  bucket = uniqueBucketName('copies');
  const s3 = s3Client(emulator);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src.txt', Body: 'source', ContentType: 'text/plain', Metadata: { a: '1' } }));
});

describe('CopyObject', () => {
  it('copies bytes and metadata by default, and answers CopyObjectResult', async () => {
    const s3 = s3Client(emulator);
    const copied = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst.txt', CopySource: `${bucket}/src.txt` }));
    const source = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'src.txt' }));
    expect(copied.CopyObjectResult?.ETag).toBe(source.ETag);
    expect(copied.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dst.txt' }));
    expect(await got.Body!.transformToString()).toBe('source');
    expect(got).toMatchObject({ ContentType: 'text/plain', Metadata: { a: '1' } });
  });

  it('takes the new metadata with REPLACE, which also allows copying onto itself', async () => {
    const s3 = s3Client(emulator);
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'src.txt',
        CopySource: `${bucket}/src.txt`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/csv',
        Metadata: { b: '2' },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'src.txt' }));
    expect(head).toMatchObject({ ContentType: 'text/csv', Metadata: { b: '2' } });
  });

  it('refuses copying onto itself without REPLACE (400 InvalidRequest), a missing source (404)', async () => {
    const s3 = s3Client(emulator);
    expect(await failure(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'src.txt', CopySource: `${bucket}/src.txt` })))).toMatchObject({
      status: 400,
      name: 'InvalidRequest',
    });
    expect(await failure(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/missing` })))).toMatchObject({
      status: 404,
      name: 'NoSuchKey',
    });
  });

  it('honours x-amz-copy-source-if-match', async () => {
    const s3 = s3Client(emulator);
    const result = await failure(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x', CopySource: `${bucket}/src.txt`, CopySourceIfMatch: '"not-it"' })),
    );
    expect(result).toMatchObject({ status: 412, name: 'PreconditionFailed' });
  });
});

describe('DeleteObjects', () => {
  it('deletes many keys, reporting each (absent keys too), and only errors when Quiet', async () => {
    const s3 = s3Client(emulator);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b', Body: 'b' }));
    const out = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'src.txt' }, { Key: 'b' }, { Key: 'never-existed' }] } }),
    );
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual(['b', 'never-existed', 'src.txt']);
    expect(out.Errors).toBeUndefined();
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c', Body: 'c' }));
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'c' }], Quiet: true } }));
    expect(quiet.Deleted).toBeUndefined();
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
  });

  it('requires Content-MD5 or a checksum header', async () => {
    const s3 = s3Client(emulator);
    s3.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        for (const name of Object.keys(headers)) if (/^(content-md5|x-amz-checksum-|x-amz-sdk-checksum)/i.test(name)) delete headers[name];
        return next(args);
      },
      { step: 'build', priority: 'low', name: 'dropIntegrityHeaders' },
    );
    const result = await failure(s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'src.txt' }] } })));
    expect(result).toMatchObject({ status: 400, name: 'InvalidRequest' });
  });
});
