import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildEmulator, type ChildEmulator } from './child-emulator.ts';
import { rawRequest, send, signed, type WireRequest } from './wire.ts';

/**
 * Faults a student's bug can cause (an aborted download in a loop, a retry storm, a
 * race), against the emulator in a process of its own: it must stay up, leak nothing,
 * lose no write, and keep answering others.
 */
const HAS_PROC = existsSync('/proc/self/fd');

describe('emulator under faults', () => {
  let emulator: ChildEmulator;
  const bucket = 'fault-bucket';
  /** Above body-storage's 1 MiB threshold: stored in a file, streamed from it. */
  const large = randomBytes(3 * 1024 * 1024);

  const s3 = async (request: WireRequest) => send(emulator.port, await signed('s3', request, emulator.port));

  beforeAll(async () => {
    emulator = await startChildEmulator();
    expect((await s3({ method: 'PUT', path: `/${bucket}` })).status).toBe(200);
    expect((await s3({ method: 'PUT', path: `/${bucket}/large`, body: large })).status).toBe(200);
  }, 60_000);
  afterAll(() => emulator.stop());

  /** Open descriptors settle once the sockets of finished requests are closed. */
  async function settledFds(atMost: number): Promise<number> {
    let count = emulator.openFds();
    for (let i = 0; i < 100 && count > atMost; i += 1) {
      await sleep(100);
      count = emulator.openFds();
    }
    return count;
  }

  it.runIf(HAS_PROC)('closes the file of every aborted download: 2,000 aborts leave the open file count at baseline', async () => {
    const baseline = await settledFds(Number.POSITIVE_INFINITY);
    // One signature serves every attempt (valid for 15 minutes), so the loop is all I/O.
    const download = rawRequest(await signed('s3', { method: 'GET', path: `/${bucket}/large` }, emulator.port));
    const badContentType = rawRequest(await signed('s3', { method: 'GET', path: `/${bucket}/large?response-content-type=a%0D%0Ab` }, emulator.port));
    let started = 0;
    let cutShort = 0;
    let refused = 0;
    const abortOne = (bytes: Buffer) =>
      new Promise<void>((resolve) => {
        const socket = connect(emulator.port, '127.0.0.1', () => socket.write(bytes));
        socket.once('data', (chunk: Buffer) => {
          if (chunk.toString('latin1').startsWith('HTTP/1.1 200')) cutShort += 1;
          if (chunk.toString('latin1').startsWith('HTTP/1.1 400')) refused += 1;
          // The client goes away mid-body, as a student's aborted download does.
          socket.destroy();
        });
        socket.on('close', () => resolve());
        socket.on('error', () => undefined);
      });
    const workers = Array.from({ length: 32 }, async () => {
      while (started < 2_000) {
        started += 1;
        await abortOne(started % 10 === 0 ? badContentType : download);
      }
    });
    await Promise.all(workers);
    expect(emulator.alive()).toBe(true);
    expect(cutShort).toBe(1_800);
    // CR/LF in response-content-type: 400 InvalidArgument, and the file it would have streamed is not left open.
    expect(refused).toBe(200);
    expect(await settledFds(baseline)).toBeLessThanOrEqual(baseline);
    const whole = await s3({ method: 'GET', path: `/${bucket}/large` });
    expect(whole.status).toBe(200);
    expect(whole.body.length).toBeGreaterThan(0);
  }, 120_000);

  it('serves a GET and a DELETE of the same large object written together on one keep-alive connection', async () => {
    for (let round = 0; round < 20; round += 1) {
      const key = `pipelined-${round}`;
      const body = randomBytes(2 * 1024 * 1024);
      expect((await s3({ method: 'PUT', path: `/${bucket}/${key}`, body })).status).toBe(200);
      const get = rawRequest(await signed('s3', { method: 'GET', path: `/${bucket}/${key}` }, emulator.port));
      const del = rawRequest(await signed('s3', { method: 'DELETE', path: `/${bucket}/${key}`, headers: { connection: 'close' } }, emulator.port));
      const answer = await new Promise<Buffer>((resolve) => {
        const chunks: Buffer[] = [];
        const socket = connect(emulator.port, '127.0.0.1', () => socket.write(Buffer.concat([get, del])));
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('close', () => resolve(Buffer.concat(chunks)));
        socket.on('error', () => undefined);
      });
      // The GET reads the bytes it found, to the end; the DELETE then succeeds.
      const text = answer.toString('latin1');
      expect(text.startsWith('HTTP/1.1 200')).toBe(true);
      const headEnd = answer.indexOf('\r\n\r\n') + 4;
      expect(answer.subarray(headEnd, headEnd + body.length).equals(body)).toBe(true);
      expect(answer.subarray(headEnd + body.length).toString('latin1')).toMatch(/^HTTP\/1\.1 204/);
    }
    expect(emulator.alive()).toBe(true);
    expect((await s3({ method: 'GET', path: `/${bucket}/pipelined-0` })).status).toBe(404);
  }, 120_000);

  it.each([
    ['small bodies (in memory)', 1024],
    ['large bodies (in files)', 2 * 1024 * 1024],
  ])('lets exactly one of 16 concurrent If-None-Match: * writes win, with %s', async (_name, size) => {
    const key = `conditional-${size}`;
    const bodies = Array.from({ length: 16 }, () => randomBytes(size));
    const requests = await Promise.all(
      bodies.map((body) => signed('s3', { method: 'PUT', path: `/${bucket}/${key}`, headers: { 'if-none-match': '*' }, body }, emulator.port)),
    );
    const answers = await Promise.all(requests.map((request) => send(emulator.port, request)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(15);
    for (const refused of answers.filter((answer) => answer.status === 412)) expect(refused.body).toContain('<Code>PreconditionFailed</Code>');
    // The stored object is the winner's body, whole.
    const winner = bodies[statuses.indexOf(200)]!;
    const stored = await send(emulator.port, await signed('s3', { method: 'GET', path: `/${bucket}/${key}` }, emulator.port));
    expect(stored.status).toBe(200);
    expect(Buffer.from(stored.body, 'utf8').length).toBeGreaterThan(0);
    const raw = await rawGet(`/${bucket}/${key}`);
    expect(raw.equals(winner)).toBe(true);
  }, 120_000);

  /** The body of a GET as bytes (send() decodes to text). */
  async function rawGet(path: string): Promise<Buffer> {
    const request = rawRequest(await signed('s3', { method: 'GET', path, headers: { connection: 'close' } }, emulator.port));
    const answer = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      const socket = connect(emulator.port, '127.0.0.1', () => socket.write(request));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(chunks)));
    });
    return answer.subarray(answer.indexOf('\r\n\r\n') + 4);
  }

  /**
   * The bound: every small request sent while a 60 MB body arrives is answered within
   * 5 s. Before the fix a 60 MB XML document blocked every client for ~10 s on an idle
   * machine (it was buffered, validated and parsed whole). Now an XML body over 4 MiB is
   * refused before it is read, and reading any body is I/O that interleaves with other
   * requests; what is left on the event loop for a 60 MB object is hashing it twice (the
   * SHA-256 it was signed with, the MD5 of its ETag): about 0.3 s on an idle core. 5 s
   * leaves room for this test's own process, which signs and writes those 60 MB on the
   * same CPU, and for a shared machine, while still failing on the old stall.
   */
  const STALL_BOUND_MS = 5_000;

  it.each([
    ['a 60 MB XML document (PutBucketTagging)', `/${bucket}?tagging`],
    ['a 60 MB object (PutObject)', `/${bucket}/sixty`],
  ])('answers other clients within the bound while %s arrives', async (_name, path) => {
    const big = Buffer.alloc(60 * 1024 * 1024, '<Tag>');
    const bigRequest = await signed('s3', { method: 'PUT', path, body: big }, emulator.port);
    const probe = await signed('s3', { method: 'HEAD', path: `/${bucket}` }, emulator.port);
    const inFlight = send(emulator.port, bigRequest, 60_000);
    const latencies: number[] = [];
    let done = false;
    void inFlight.then(() => (done = true));
    while (!done) {
      const started = performance.now();
      const answer = await send(emulator.port, probe);
      latencies.push(performance.now() - started);
      expect(answer.status).toBe(200);
      await sleep(20);
    }
    const big60 = await inFlight;
    expect(big60.status).toBeLessThan(500);
    if (path.includes('tagging')) expect(big60.body).toContain('<Code>MaxMessageLengthExceeded</Code>');
    else expect(big60.status).toBe(200);
    expect(latencies.length).toBeGreaterThan(0);
    expect(Math.max(...latencies)).toBeLessThan(STALL_BOUND_MS);
    expect(emulator.alive()).toBe(true);
  }, 120_000);
});
