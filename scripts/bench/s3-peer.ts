/**
 * `npm run bench -- --only peer`: one fixed SDK workload against the embedded emulator and
 * against moto_server (the peer), measured in the same run so the ratio means something on
 * whatever machine runs it. Rounds alternate which backend goes first, so warm-up, CPU
 * frequency and background load fall on both. Requests are sent one at a time: this measures
 * the per-request cost a lab check pays, not how far a server scales under concurrency.
 * The embedded emulator shares this process with the SDK client; moto runs in its own.
 */
import { parseArgs } from 'node:util';
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
import type { Backend } from '../../backends/backend.ts';
import { startBackend } from '../../backends/index.ts';

const OBJECTS = 300;
const OBJECT_BYTES = 1024;
const IDENTITY_CALLS = 100;
/** CreateBucket, Put+Get+Head per object, ListObjectsV2, DeleteObjects, DeleteBucket, GetCallerIdentity. */
const REQUESTS_PER_ROUND = 1 + OBJECTS * 3 + 1 + 1 + 1 + IDENTITY_CALLS;

interface Tally {
  backend: Backend;
  seconds: number;
  requests: number;
}

async function runWorkload(backend: Backend, round: number): Promise<number> {
  const common = { endpoint: backend.endpoint, region: 'us-east-1', credentials: backend.credentials };
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  const sts = new STSClient(common);
  const bucket = `peer-bench-${round}-${process.pid}`;
  const body = Buffer.alloc(OBJECT_BYTES, 'x');
  const keys = Array.from({ length: OBJECTS }, (_, i) => `objects/${String(i).padStart(4, '0')}.txt`);
  const started = process.hrtime.bigint();
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = await got.Body!.transformToByteArray();
      if (bytes.length !== OBJECT_BYTES) throw new Error(`${backend.name}: ${key} came back with ${bytes.length} bytes`);
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    if (listed.KeyCount !== OBJECTS) throw new Error(`${backend.name}: ListObjectsV2 counted ${listed.KeyCount}, expected ${OBJECTS}`);
    // DeleteObjects takes at most 1000 keys, so 300 fit in one request.
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
    if (deleted.Errors?.length) throw new Error(`${backend.name}: DeleteObjects failed for ${deleted.Errors.length} keys`);
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    for (let i = 0; i < IDENTITY_CALLS; i++) {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      if (identity.Account !== backend.accountId) throw new Error(`${backend.name}: caller account ${identity.Account}, expected ${backend.accountId}`);
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    s3.destroy();
    sts.destroy();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' } } });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a positive integer');

  const embedded = await startBackend('embedded');
  let moto: Backend | undefined;
  try {
    moto = await startBackend('moto');
    const tallies: Tally[] = [embedded, moto].map((backend) => ({ backend, seconds: 0, requests: 0 }));
    // One untimed round each: moto's first requests import its S3/STS modules, ours JIT-compile.
    for (const tally of tallies) await runWorkload(tally.backend, -1);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? tallies : [...tallies].reverse();
      for (const tally of order) {
        tally.seconds += await runWorkload(tally.backend, round);
        tally.requests += REQUESTS_PER_ROUND;
      }
    }

    const rate = (t: Tally) => t.requests / t.seconds;
    const [ours, peer] = tallies as [Tally, Tally];
    const ratio = rate(ours) / rate(peer);
    const rows = tallies.map((t) => [t.backend.name, String(t.requests), `${t.seconds.toFixed(2)} s`, `${rate(t).toFixed(0)} req/s`]);
    const header = ['backend', 'requests', 'time', 'rate'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    console.log(`S3 + STS workload (${REQUESTS_PER_ROUND} sequential requests a round, ${rounds} rounds each, alternating order):`);
    for (const row of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(line(row));
    console.log(`embedded/moto requests per second: ${ratio.toFixed(2)}x`);
    console.log(
      JSON.stringify({
        benchmark: 's3-peer',
        requests: ours.requests,
        embeddedRequestsPerSecond: Math.round(rate(ours)),
        motoRequestsPerSecond: Math.round(rate(peer)),
        ratio: Number(ratio.toFixed(2)),
      }),
    );
  } finally {
    await moto?.stop();
    await embedded.stop();
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
