import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startEmulator } from '../../emulator/server.ts';
import { s3State } from '../../emulator/services/s3/s3-state.ts';
import { startNullServer } from './null-server.ts';

export interface LargeUploadOptions {
  /** Default 200 MB. */
  sizeBytes?: number;
  /** lib-storage part size; default 8 MiB. */
  partSize?: number;
  /** lib-storage parallel parts; default 4. */
  queueSize?: number;
}

export interface LargeUploadResult {
  sizeBytes: number;
  parts: number;
  uploadMs: number;
  downloadMs: number;
  /** Highest resident set size seen while uploading and downloading (client and emulator share this process). */
  peakRssBytes: number;
  peakHeapUsedBytes: number;
  /** RSS before the upload started, to read the peak against. */
  baselineRssBytes: number;
  /** The downloaded bytes hashed to the same MD5 as the uploaded ones. */
  intact: boolean;
  /** The object's body was kept in a temp file, and that file was gone after stop(). */
  storedInFile: boolean;
  tempFileRemovedOnStop: boolean;
}

/**
 * Streams a generated object through `@aws-sdk/lib-storage` Upload into a fresh embedded
 * emulator, reads it back as a stream, and reports time and peak memory: the measurement
 * behind "memory stays bounded for a 200 MB upload" (scripts/bench.ts calls this).
 */
export async function measureLargeUpload(options: LargeUploadOptions = {}): Promise<LargeUploadResult> {
  const sizeBytes = options.sizeBytes ?? 200 * 1024 * 1024;
  const partSize = options.partSize ?? 8 * 1024 * 1024;
  const emulator = await startEmulator();
  const client = new S3Client({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
  });
  const bucket = 'benchmark-uploads';
  const key = 'large.bin';
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const baselineRss = process.memoryUsage().rss;
  const sampler = setInterval(sample, 25);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const sent = createHash('md5');
    const uploadMs = await timedUpload(client, bucket, key, generatedBody(sizeBytes, sent), partSize, options.queueSize ?? 4);

    const object = s3State(emulator.store).buckets.get(bucket)!.objects.get(key)!;
    const received = createHash('md5');
    const downloadStarted = Date.now();
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    for await (const chunk of got.Body as Readable) received.update(chunk as Buffer);
    const downloadMs = Date.now() - downloadStarted;
    sample();

    await emulator.stop();
    return {
      sizeBytes,
      parts: Math.ceil(sizeBytes / partSize),
      uploadMs,
      downloadMs,
      peakRssBytes: peakRss,
      peakHeapUsedBytes: peakHeap,
      baselineRssBytes: baselineRss,
      intact: sent.digest('hex') === received.digest('hex'),
      storedInFile: object.body.kind === 'file',
      tempFileRemovedOnStop: object.body.kind === 'file' && !existsSync(object.body.path),
    };
  } finally {
    clearInterval(sampler);
    client.destroy();
    await emulator.stop().catch(() => undefined);
  }
}

/**
 * The same upload into a null sink (null-server.ts: parts read and dropped, nothing stored):
 * the limit the emulator's upload is compared with. Returns the upload's milliseconds.
 */
export async function measureNullSinkUpload(options: LargeUploadOptions = {}): Promise<number> {
  const sizeBytes = options.sizeBytes ?? 200 * 1024 * 1024;
  const sink = await startNullServer({ objectBytes: 0, listedKeys: [], accountId: '000000000000' });
  const client = new S3Client({ endpoint: sink.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });
  try {
    const uploadMs = await timedUpload(client, 'benchmark-uploads', 'large.bin', generatedBody(sizeBytes, createHash('md5')), options.partSize ?? 8 * 1024 * 1024, options.queueSize ?? 4);
    if (sink.bytesReceived < sizeBytes) throw new Error(`the null sink received ${sink.bytesReceived} bytes of ${sizeBytes}`);
    return uploadMs;
  } finally {
    client.destroy();
    await sink.stop();
  }
}

async function timedUpload(client: S3Client, bucket: string, key: string, body: Readable, partSize: number, queueSize: number): Promise<number> {
  const started = Date.now();
  await new Upload({ client, params: { Bucket: bucket, Key: key, Body: body }, partSize, queueSize }).done();
  return Date.now() - started;
}

/** `size` bytes, produced a MiB at a time (never held whole), hashed as they go out. */
function generatedBody(size: number, hash: ReturnType<typeof createHash>): Readable {
  const block = randomBytes(1024 * 1024);
  let produced = 0;
  return new Readable({
    read() {
      if (produced >= size) return void this.push(null);
      const chunk = Buffer.from(block.subarray(0, Math.min(block.length, size - produced)));
      // Vary each chunk so parts differ (identical parts would hide ordering bugs).
      chunk.writeUInt32BE(Math.floor(produced / block.length), 0);
      produced += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
}
