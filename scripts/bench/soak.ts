/**
 * `npm run bench -- --only soak`: 64 concurrent clients of mixed S3 and DynamoDB calls
 * against the standalone emulator (a process of its own, so its memory is its own) for a
 * fixed time. Reports throughput, latency p50/p99, errors, the emulator's RSS fresh,
 * after the load, and after a reset; then reads back every object and item written and
 * checks each byte-exact (a lost or mixed write is an error). Exits 1 on any error, any
 * lost or mixed write, or an RSS after reset above 1.5x the fresh process's.
 *
 *   tsx scripts/bench/soak.ts [--seconds 30] [--clients 64] [--stall 0] [--cycles 1]
 *
 * --cycles N repeats load, read-back and reset N times in the same emulator process and
 * reports its RSS after each reset: memory that comes back to the same level each time
 * is held by the allocator, memory that keeps growing is a leak.
 * --stall N stops the emulator's process (SIGSTOP) for N seconds halfway through, as a
 * machine loaded enough to starve it would: the clients keep sending meanwhile, and not
 * one of their calls may fail for it (server-limits.ts says why they once did).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DynamoDBClient, GetItemCommand, PutItemCommand, CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startChildEmulator, type ChildEmulator } from '../../emulator/fuzz/child-emulator.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '30' }, clients: { type: 'string', default: '64' }, stall: { type: 'string', default: '0' }, cycles: { type: 'string', default: '1' } },
});
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);
const STALL_SECONDS = Number(values.stall);
const CYCLES = Number(values.cycles);
const BUCKET = 'soak-bucket';
const TABLE = 'SoakTable';
/** Most bodies are small (memory); one in 20 is above body-storage's 1 MiB threshold (a temp file). */
const SMALL_MAX = 64 * 1024;
const LARGE = 1536 * 1024;
const RSS_AFTER_RESET_LIMIT = 1.5;

interface Written {
  key: string;
  sha256: string;
}

function rssBytes(emulator: ChildEmulator): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${emulator.pid}/status`, 'utf8'))?.[1];
  return Number(kib) * 1024;
}

/** SIGSTOP the emulator halfway through the run, SIGCONT it `stallSeconds` later. */
async function stallHalfway(emulator: ChildEmulator, seconds: number, stallSeconds: number): Promise<void> {
  await sleep((seconds * 1000) / 2);
  process.kill(emulator.pid, 'SIGSTOP');
  try {
    await sleep(stallSeconds * 1000);
  } finally {
    process.kill(emulator.pid, 'SIGCONT');
  }
}

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The SDK's service error code and HTTP status, or a Node system error's code (EPIPE, ECONNRESET). */
function errorCode(error: Error): string {
  const details = error as Error & { Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const parts = [details.code, details.Code, details.$metadata?.httpStatusCode].filter((part) => part !== undefined);
  return parts.length > 0 ? ` [${parts.join(', ')}]` : '';
}

async function main(): Promise<number> {
  const emulator = await startChildEmulator();
  await sleep(1_000);
  const freshRss = rssBytes(emulator);
  const endpoint = `http://127.0.0.1:${emulator.port}`;
  const common = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: CLIENTS }) },
  };
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  const dynamo = new DynamoDBClient(common);

  const latencies: number[] = [];
  /** Latencies per operation, to tell which call is slow. */
  const byOperation = new Map<string, number[]>();
  const errors: string[] = [];
  const cycles: Array<{ seconds: number; objects: number; items: number; lostOrMixed: number; loadedRss: number; resetRss: number }> = [];
  /** CPU seconds under load, the emulator's and this process's (the clients), to tell which one bounds the throughput. */
  const cpu = { emulator: 0, clients: 0 };

  for (let cycle = 1; cycle <= CYCLES; cycle += 1) {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await dynamo.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    while ((await dynamo.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.TableStatus !== 'ACTIVE') await sleep(50);

    // Warm-up outside the measured time: the SDK loads and resolves lazily on its first calls.
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'warm-up', Body: 'warm-up' }));
    await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'warm-up' }))).Body!.transformToByteArray();
    await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 1 }));
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: { k: { S: 'warm-up' } } }));
    await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { k: { S: 'warm-up' } } }));

    const objects: Written[] = [];
    const items: Written[] = [];
    const deadline = Date.now() + SECONDS * 1000;

    const timed = async <T>(operation: string, call: () => Promise<T>): Promise<T | undefined> => {
      const started = performance.now();
      try {
        return await call();
      } catch (error) {
        const took = (performance.now() - started).toFixed(0);
        errors.push(`${operation} (${took} ms): ${error instanceof Error ? `${error.name}: ${error.message}${errorCode(error)}` : String(error)}`);
        return undefined;
      } finally {
        const took = performance.now() - started;
        latencies.push(took);
        const mine = byOperation.get(operation) ?? [];
        mine.push(took);
        byOperation.set(operation, mine);
      }
    };

    const client = async (id: number) => {
      const mine: Written[] = [];
      for (let sequence = 0; Date.now() < deadline; sequence += 1) {
        const choice = sequence % 10;
        if (choice < 3) {
          const body = randomBytes(sequence % 20 === 0 ? LARGE : 1 + Math.floor(Math.random() * SMALL_MAX));
          const key = `client-${id}/object-${sequence}`;
          const done = await timed(body.length === LARGE ? 'PutObject 1.5 MiB' : 'PutObject small', () => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body })));
          if (done) mine.push({ key, sha256: sha(body) });
        } else if (choice < 6 && mine.length > 0) {
          const written = mine[Math.floor(Math.random() * mine.length)]!;
          const object = await timed('GetObject', async () => (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: written.key }))).Body!.transformToByteArray());
          if (object && sha(object) !== written.sha256) errors.push(`GetObject ${written.key}: bytes differ from what was written`);
        } else if (choice < 8) {
          const key = `client-${id}/item-${sequence}`;
          const value = randomBytes(64).toString('base64');
          const done = await timed('PutItem', () => dynamo.send(new PutItemCommand({ TableName: TABLE, Item: { k: { S: key }, v: { S: value } } })));
          if (done) items.push({ key, sha256: value });
        } else if (choice < 9) {
          await timed('ListObjectsV2', () => s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `client-${id}/`, MaxKeys: 50 })));
        } else {
          const item = items[Math.floor(Math.random() * items.length)];
          if (item) {
            const read = await timed('GetItem', () => dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { k: { S: item.key } }, ConsistentRead: true })));
            if (read && read.Item?.v?.S !== item.sha256) errors.push(`GetItem ${item.key}: value differs from what was written`);
          }
        }
      }
      objects.push(...mine);
    };

    const started = performance.now();
    const emulatorCpuAtStart = emulator.cpuSeconds();
    const clientsCpuAtStart = process.cpuUsage();
    const stall = STALL_SECONDS > 0 ? stallHalfway(emulator, SECONDS, STALL_SECONDS) : undefined;
    await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
    await stall;
    const elapsedSeconds = (performance.now() - started) / 1000;
    cpu.emulator += emulator.cpuSeconds() - emulatorCpuAtStart;
    const clientsCpu = process.cpuUsage(clientsCpuAtStart);
    cpu.clients += (clientsCpu.user + clientsCpu.system) / 1e6;
    const loadedRss = rssBytes(emulator);

    // Every write, read back: a lost or mixed write shows as a missing key or different bytes.
    let lostOrMixed = 0;
    for (const written of objects) {
      try {
        const bytes = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: written.key }))).Body!.transformToByteArray();
        if (sha(bytes) !== written.sha256) lostOrMixed += 1;
      } catch {
        lostOrMixed += 1;
      }
    }
    for (const item of items) {
      const read = await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { k: { S: item.key } }, ConsistentRead: true })).catch(() => undefined);
      if (read?.Item?.v?.S !== item.sha256) lostOrMixed += 1;
    }

    const reset = await fetch(`${endpoint}/_emulator/reset`, { method: 'POST' });
    if (!reset.ok) errors.push(`reset: HTTP ${reset.status}`);
    await sleep(3_000);
    cycles.push({ seconds: elapsedSeconds, objects: objects.length, items: items.length, lostOrMixed, loadedRss, resetRss: rssBytes(emulator) });
  }
  const alive = emulator.alive();
  await emulator.stop();
  s3.destroy();
  dynamo.destroy();

  const percentile = (p: number, values = latencies) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  };
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  const sum = (pick: (c: (typeof cycles)[number]) => number) => cycles.reduce((total, c) => total + pick(c), 0);
  const elapsedSeconds = sum((c) => c.seconds);
  const lostOrMixed = sum((c) => c.lostOrMixed);
  const last = cycles.at(-1)!;
  const resetRatio = last.resetRss / freshRss;
  console.log(`Soak: ${CLIENTS} clients, ${elapsedSeconds.toFixed(1)} s${CYCLES > 1 ? ` in ${CYCLES} cycles` : ''}${STALL_SECONDS > 0 ? ` (the emulator stopped for ${STALL_SECONDS} s halfway through each)` : ''} of mixed S3 (PutObject 1 B-64 KiB and 1.5 MiB, GetObject, ListObjectsV2) and DynamoDB (PutItem, GetItem) calls`);
  console.log(`  calls ${latencies.length}, ${(latencies.length / elapsedSeconds).toFixed(0)}/s; latency p50 ${percentile(50).toFixed(1)} ms, p99 ${percentile(99).toFixed(1)} ms`);
  for (const [operation, values] of [...byOperation].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`    ${operation}: ${values.length} calls, p50 ${percentile(50, values).toFixed(1)} ms, p99 ${percentile(99, values).toFixed(1)} ms`);
  }
  console.log(`  CPU under load: emulator ${cpu.emulator.toFixed(1)} s, clients ${cpu.clients.toFixed(1)} s (in ${elapsedSeconds.toFixed(1)} s; the machine's load average is in \`uptime\`)`);
  console.log(`  errors ${errors.length}`);
  for (const error of errors.slice(0, 20)) console.log(`    ${error}`);
  console.log(`  written and read back: ${sum((c) => c.objects)} objects, ${sum((c) => c.items)} items; lost or mixed ${lostOrMixed}`);
  console.log(
    `  emulator RSS fresh ${mib(freshRss)}, ${cycles.map((c, n) => `${CYCLES > 1 ? `cycle ${n + 1}: ` : ''}after load ${mib(c.loadedRss)}, after reset ${mib(c.resetRss)}`).join('; ')} (${resetRatio.toFixed(2)}x fresh; limit ${RSS_AFTER_RESET_LIMIT}x); alive ${alive}`,
  );
  console.log(
    JSON.stringify({
      clients: CLIENTS,
      seconds: elapsedSeconds,
      stallSeconds: STALL_SECONDS,
      calls: latencies.length,
      callsPerSecond: latencies.length / elapsedSeconds,
      p50Ms: percentile(50),
      p99Ms: percentile(99),
      emulatorCpuSeconds: cpu.emulator,
      clientsCpuSeconds: cpu.clients,
      errors: errors.length,
      objects: sum((c) => c.objects),
      items: sum((c) => c.items),
      lostOrMixed,
      freshRssBytes: freshRss,
      cycles: cycles.map((c) => ({ loadedRssBytes: c.loadedRss, resetRssBytes: c.resetRss })),
    }),
  );
  return errors.length === 0 && lostOrMixed === 0 && alive && resetRatio <= RSS_AFTER_RESET_LIMIT ? 0 : 1;
}

process.exitCode = await main();
