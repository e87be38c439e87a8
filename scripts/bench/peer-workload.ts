/**
 * The SDK workload of the peer benchmark (s3-peer.ts), sent to any server: CreateBucket;
 * PutObject, GetObject and HeadObject for each object; ListObjectsV2; DeleteObjects;
 * DeleteBucket; then GetCallerIdentity calls. Requests go one after another; the concurrent
 * figures run several of these at once, each with its own clients and bucket.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

export interface WorkloadTarget {
  name: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  accountId: string;
}

export interface WorkloadShape {
  objects: number;
  objectBytes: number;
  identityCalls: number;
}

/** The keys the workload writes (the null server lists exactly these). */
export function workloadKeys(shape: WorkloadShape): string[] {
  return Array.from({ length: shape.objects }, (_, i) => `objects/${String(i).padStart(4, '0')}.txt`);
}

export function requestsOf(shape: WorkloadShape): number {
  return 1 + shape.objects * 3 + 1 + 1 + 1 + shape.identityCalls;
}

/** Runs the workload once in `bucket`; returns its seconds. Throws if any answer is not what was sent. */
export async function runWorkload(target: WorkloadTarget, shape: WorkloadShape, bucket: string): Promise<number> {
  const common = { endpoint: target.endpoint, region: 'us-east-1', credentials: target.credentials };
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  const sts = new STSClient(common);
  const body = Buffer.alloc(shape.objectBytes, 'x');
  const keys = workloadKeys(shape);
  const started = process.hrtime.bigint();
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = await got.Body!.transformToByteArray();
      if (bytes.length !== shape.objectBytes) throw new Error(`${target.name}: ${key} came back with ${bytes.length} bytes`);
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    if (listed.KeyCount !== shape.objects) throw new Error(`${target.name}: ListObjectsV2 counted ${listed.KeyCount}, expected ${shape.objects}`);
    // DeleteObjects takes at most 1000 keys.
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
    if (deleted.Errors?.length) throw new Error(`${target.name}: DeleteObjects failed for ${deleted.Errors.length} keys`);
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    for (let i = 0; i < shape.identityCalls; i++) {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      if (identity.Account !== target.accountId) throw new Error(`${target.name}: caller account ${identity.Account}, expected ${target.accountId}`);
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    s3.destroy();
    sts.destroy();
  }
}

/** `clients` workloads at once, each with its own clients and bucket; returns the wall seconds for all. */
export async function runConcurrently(target: WorkloadTarget, shape: WorkloadShape, clients: number, bucketPrefix: string): Promise<number> {
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: clients }, (_, i) => runWorkload(target, shape, `${bucketPrefix}-${i}`)));
  return Number(process.hrtime.bigint() - started) / 1e9;
}
