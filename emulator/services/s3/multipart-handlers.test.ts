import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { MIN_PART_SIZE, multipartEtag } from './multipart-handlers.ts';
import { s3State } from './s3-state.ts';
import { failure, s3Client, startEmulator, uniqueBucketName } from './s3-test-support.ts';

let emulator: RunningEmulator;
let bucket: string;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.store.reset();
  bucket = uniqueBucketName('multipart');
  await s3Client(emulator).send(new CreateBucketCommand({ Bucket: bucket }));
});

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

function filePathOf(key: string): string {
  const body = s3State(emulator.store).buckets.get(bucket)!.objects.get(key)!.body;
  if (body.kind !== 'file') throw new Error(`expected ${key} to be stored in a file`);
  return body.path;
}

describe('lib-storage Upload', () => {
  it('uploads 12 MB in three parts, with the multipart ETag, and reads it back intact', async () => {
    const s3 = s3Client(emulator);
    const data = randomBytes(12 * 1024 * 1024);
    const upload = new Upload({ client: s3, params: { Bucket: bucket, Key: 'big.bin', Body: data, ContentType: 'application/x-test' }, partSize: MIN_PART_SIZE });
    const done = await upload.done();
    const parts = [data.subarray(0, MIN_PART_SIZE), data.subarray(MIN_PART_SIZE, 2 * MIN_PART_SIZE), data.subarray(2 * MIN_PART_SIZE)];
    expect(done.ETag).toBe(multipartEtag(parts.map((part) => ({ etag: `"${md5(part)}"` }))));
    expect(done.ETag).toMatch(/-3"$/);

    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    expect(got.ContentLength).toBe(data.length);
    expect(got.ContentType).toBe('application/x-test');
    expect(md5(Buffer.from(await got.Body!.transformToByteArray()))).toBe(md5(data));

    // Large bodies live in temp files, which go when the object goes.
    const path = filePathOf('big.bin');
    expect(existsSync(path)).toBe(true);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(path)).toBe(false);
    expect(s3State(emulator.store).buckets.get(bucket)!.uploads.size).toBe(0);
  });

  it('removes temp files on reset and when the emulator stops', async () => {
    const own = await startEmulator();
    const s3 = s3Client(own);
    await s3.send(new CreateBucketCommand({ Bucket: 'temp-files' }));
    await new Upload({ client: s3, params: { Bucket: 'temp-files', Key: 'a', Body: randomBytes(2 * 1024 * 1024) } }).done();
    const first = s3State(own.store).buckets.get('temp-files')!.objects.get('a')!.body;
    own.store.reset();
    expect(first.kind === 'file' && existsSync(first.path)).toBe(false);

    await s3.send(new CreateBucketCommand({ Bucket: 'temp-files' }));
    await new Upload({ client: s3, params: { Bucket: 'temp-files', Key: 'b', Body: randomBytes(2 * 1024 * 1024) } }).done();
    const second = s3State(own.store).buckets.get('temp-files')!.objects.get('b')!.body;
    expect(second.kind === 'file' && existsSync(second.path)).toBe(true);
    await own.stop();
    expect(second.kind === 'file' && existsSync(second.path)).toBe(false);
  });
});

describe('multipart errors and listings', () => {
  async function startUpload(key = 'obj') {
    const s3 = s3Client(emulator);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    return { s3, uploadId: UploadId! };
  }

  it('refuses parts under 5 MiB except the last (EntityTooSmall), unknown parts (InvalidPart), disorder (InvalidPartOrder)', async () => {
    const { s3, uploadId } = await startUpload();
    const one = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'obj', UploadId: uploadId, PartNumber: 1, Body: 'small' }));
    const two = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'obj', UploadId: uploadId, PartNumber: 2, Body: 'last' }));
    const complete = (parts: Array<{ PartNumber: number; ETag?: string }>) =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'obj', UploadId: uploadId, MultipartUpload: { Parts: parts } }));

    expect(await failure(complete([{ PartNumber: 1, ETag: one.ETag }, { PartNumber: 2, ETag: two.ETag }]))).toMatchObject({
      status: 400,
      name: 'EntityTooSmall',
    });
    expect(await failure(complete([{ PartNumber: 1, ETag: '"0000"' }]))).toMatchObject({ status: 400, name: 'InvalidPart' });
    expect(await failure(complete([{ PartNumber: 2, ETag: two.ETag }, { PartNumber: 1, ETag: one.ETag }]))).toMatchObject({
      status: 400,
      name: 'InvalidPartOrder',
    });
    // A single small part is fine: it is the last one.
    const done = await complete([{ PartNumber: 1, ETag: one.ETag }]);
    expect(done.ETag).toBe(multipartEtag([{ etag: one.ETag! }]));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj' }));
    expect(await got.Body!.transformToString()).toBe('small');
  });

  it('lists parts and uploads, aborts, and answers NoSuchUpload afterwards', async () => {
    const { s3, uploadId } = await startUpload('listed');
    await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'listed', UploadId: uploadId, PartNumber: 3, Body: 'ccc' }));
    await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'listed', UploadId: uploadId, PartNumber: 1, Body: 'a' }));
    const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'listed', UploadId: uploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 1],
      [3, 3],
    ]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['listed', uploadId]]);

    expect((await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'listed', UploadId: uploadId }))).$metadata.httpStatusCode).toBe(204);
    expect(await failure(s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'listed', UploadId: uploadId })))).toMatchObject({
      status: 404,
      name: 'NoSuchUpload',
    });
    expect(
      await failure(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'listed', UploadId: uploadId, PartNumber: 1, Body: 'x' }))),
    ).toMatchObject({ status: 404, name: 'NoSuchUpload' });
  });
});
