import { createHash, randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, send, signed, type WireRequest } from './fuzz/wire.ts';
import { startEmulator, type RunningEmulator } from './server.ts';
import { serverLimits } from './server-limits.ts';

/**
 * The server's timeouts, with bounds shortened to about a second so the tests run in
 * seconds. Every time is asserted with a generous upper bound (the machine may be
 * loaded); the only waits are the pacing of a slow client.
 */

const BUCKET = 'limits-bucket';
/** Slack on every upper bound: a loaded machine delays timers, never fires them early. */
const SLACK_MS = 5_000;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw HTTP/1.1 connection: bytes written when the test says, responses read one by one. */
class RawConnection {
  private buffered = Buffer.alloc(0);
  private waiting?: () => void;
  readonly closed: Promise<number>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiting?.();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => {
      resolve(performance.now());
      this.waiting?.();
    }));
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** The next whole response (every answer of the emulator has a Content-Length), or undefined if the connection closed first. */
  async nextResponse(): Promise<RawResponse | undefined> {
    for (;;) {
      const response = this.take();
      if (response) return response;
      if (this.socket.destroyed) return undefined;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  private take(): RawResponse | undefined {
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (headEnd === -1) return undefined;
    const [statusLine = '', ...lines] = this.buffered.subarray(0, headEnd).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (this.buffered.length < headEnd + 4 + length) return undefined;
    const body = this.buffered.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8');
    this.buffered = this.buffered.subarray(headEnd + 4 + length);
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body };
  }
}

/** The whole process does nothing for `ms`, as a process starved of CPU on a loaded machine: no timer, no socket read. */
function stallEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: the point is that nothing else runs
  }
}

/** Resolves when the in-process server has handed the next request to its handler (which starts reading the body at once). */
function nextRequestStarted(): Promise<void> {
  return new Promise((resolve) => {
    const onStart = () => {
      unsubscribe('http.server.request.start', onStart);
      // Two turns of the event loop: the handler has run up to its first real wait (the body).
      setImmediate(() => setImmediate(resolve));
    };
    subscribe('http.server.request.start', onStart);
  });
}

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function signedBytes(port: number, request: WireRequest): Promise<Buffer> {
  return rawRequest(await signed('s3', request, port));
}

async function createBucket(emulator: RunningEmulator): Promise<void> {
  const created = await send(emulator.port, await signed('s3', { method: 'PUT', path: `/${BUCKET}` }, emulator.port));
  expect(created.status).toBe(200);
}

async function getObject(emulator: RunningEmulator, key: string): Promise<{ status: number; body: Buffer }> {
  const request = await signed('s3', { method: 'GET', path: `/${BUCKET}/${key}` }, emulator.port);
  return new Promise((resolve, reject) => {
    const connection = connect(emulator.port, '127.0.0.1', () => connection.write(rawRequest({ ...request, headers: { ...request.headers, connection: 'close' } })));
    const chunks: Buffer[] = [];
    connection.on('data', (chunk: Buffer) => chunks.push(chunk));
    connection.on('error', reject);
    connection.on('close', () => {
      const raw = Buffer.concat(chunks);
      const headEnd = raw.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw.toString('latin1'))?.[1] ?? 0), body: raw.subarray(headEnd + 4) });
    });
  });
}

describe('server limits: timeouts with bounds of about a second', () => {
  const HEADERS_MS = 1_000;
  const KEEP_ALIVE_MS = 1_000;
  const WINDOW_MS = 1_000;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({
      limits: { headersTimeoutMs: HEADERS_MS, keepAliveTimeoutMs: KEEP_ALIVE_MS, body: { windowMs: WINDOW_MS, minBytes: 1024 } },
    });
    await createBucket(emulator);
  });
  afterAll(() => emulator?.stop());

  it('closes a connection whose headers come too slowly, with S3 RequestTimeout, within the headers bound', async () => {
    const connection = await RawConnection.open(emulator.port);
    const started = performance.now();
    connection.write(`PUT /${BUCKET}/slow-headers HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    // One more header line every 200 ms, never the blank line that ends them.
    const drip = setInterval(() => !connection.isClosed && connection.write(`X-Drip-${Math.floor(performance.now())}: a\r\n`), 200);
    try {
      const response = await connection.nextResponse();
      const closedAt = await connection.closed;
      expect(response?.status).toBe(400);
      expect(response?.body).toContain('<Code>RequestTimeout</Code>');
      expect(response?.body).toContain('Your socket connection to the server was not read from or written to within the timeout period.');
      expect(closedAt - started).toBeGreaterThanOrEqual(HEADERS_MS - 50);
      expect(closedAt - started).toBeLessThan(HEADERS_MS + SLACK_MS);
    } finally {
      clearInterval(drip);
      connection.destroy();
    }
  }, 30_000);

  it('answers a trickled body (a byte every 300 ms) with 400 RequestTimeout within two windows, and closes', async () => {
    const body = 'x'.repeat(100);
    const bytes = await signedBytes(emulator.port, { method: 'PUT', path: `/${BUCKET}/trickled`, body });
    const headEnd = bytes.indexOf('\r\n\r\n') + 4;
    const connection = await RawConnection.open(emulator.port);
    const started = performance.now();
    connection.write(bytes.subarray(0, headEnd + 1));
    let sent = headEnd + 1;
    const drip = setInterval(() => {
      if (!connection.isClosed && sent < bytes.length) connection.write(bytes.subarray(sent, (sent += 1)));
    }, 300);
    try {
      const response = await connection.nextResponse();
      const answeredAt = performance.now();
      expect(response?.status).toBe(400);
      expect(response?.body).toContain('<Code>RequestTimeout</Code>');
      expect(response?.headers.connection).toBe('close');
      expect(answeredAt - started).toBeGreaterThanOrEqual(WINDOW_MS - 50);
      expect(answeredAt - started).toBeLessThan(2 * WINDOW_MS + SLACK_MS);
      await connection.closed;
      expect(sent).toBeLessThan(bytes.length); // it was cut while still trickling, not after the body ended
      expect((await getObject(emulator, 'trickled')).status).toBe(404);
    } finally {
      clearInterval(drip);
      connection.destroy();
    }
  }, 30_000);

  it('closes a keep-alive connection left idle after the keep-alive bound (Node adds 1 s to what it announces)', async () => {
    const connection = await RawConnection.open(emulator.port);
    connection.write(await signedBytes(emulator.port, { method: 'GET', path: '/' }));
    const response = await connection.nextResponse();
    const answeredAt = performance.now();
    expect(response?.status).toBe(200);
    expect(response?.headers['keep-alive']).toBe(`timeout=${KEEP_ALIVE_MS / 1000}`);
    const closedAt = await connection.closed;
    expect(closedAt - answeredAt).toBeGreaterThanOrEqual(KEEP_ALIVE_MS - 50);
    expect(closedAt - answeredAt).toBeLessThan(KEEP_ALIVE_MS + 1_000 + SLACK_MS);
  }, 30_000);

  it('does not cut a slow but steady upload of 4 MiB that lasts several body windows', async () => {
    const body = randomBytes(4 * 1024 * 1024);
    const bytes = await signedBytes(emulator.port, { method: 'PUT', path: `/${BUCKET}/steady`, body });
    const connection = await RawConnection.open(emulator.port);
    const started = performance.now();
    const PIECE = 32 * 1024;
    // 32 KiB every 25 ms (about 1.3 MiB/s): 128 pieces, at least 3.2 s, three windows and more.
    for (let offset = 0; offset < bytes.length; offset += PIECE) {
      connection.write(bytes.subarray(offset, offset + PIECE));
      await sleep(25);
    }
    const response = await connection.nextResponse();
    const elapsed = performance.now() - started;
    connection.destroy();
    expect(response?.status, response?.body).toBe(200);
    expect(elapsed).toBeGreaterThan(3 * WINDOW_MS);
    const stored = await getObject(emulator, 'steady');
    expect(stored.status).toBe(200);
    expect(sha(stored.body)).toBe(sha(body));
  }, 60_000);
});

/**
 * The soak's errors on a loaded machine (IncompleteBody and EPIPE on 1.5 MiB uploads,
 * ECONNRESET on others), reproduced: the emulator's process does not run for longer than
 * a bound while a client sends. Node runs due timers before it reads sockets, so each
 * idle verdict must wait until the bytes sent meanwhile have been read.
 */
describe('server limits: a stalled event loop does not cut a client that kept sending', () => {
  const KEEP_ALIVE_MS = 300;
  const WINDOW_MS = 300;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ limits: { keepAliveTimeoutMs: KEEP_ALIVE_MS, body: { windowMs: WINDOW_MS, minBytes: 16 * 1024 } } });
    await createBucket(emulator);
  });
  afterAll(() => emulator?.stop());

  it('takes an upload whose rest arrived while the process stood still past the body window', async () => {
    const body = randomBytes(100 * 1024);
    const bytes = await signedBytes(emulator.port, { method: 'PUT', path: `/${BUCKET}/across-a-stall`, body });
    const headEnd = bytes.indexOf('\r\n\r\n') + 4;
    const connection = await RawConnection.open(emulator.port);
    const reading = nextRequestStarted();
    connection.write(bytes.subarray(0, headEnd + 1024));
    await reading;
    // The rest goes out now; then the process stands still for five windows before it reads it.
    connection.write(bytes.subarray(headEnd + 1024));
    stallEventLoop(5 * WINDOW_MS);
    const response = await connection.nextResponse();
    connection.destroy();
    expect(response?.status, response?.body).toBe(200);
    const stored = await getObject(emulator, 'across-a-stall');
    expect(sha(stored.body)).toBe(sha(body));
  }, 30_000);

  it('answers a request sent on a keep-alive connection while the process stood still past the keep-alive bound', async () => {
    const connection = await RawConnection.open(emulator.port);
    connection.write(await signedBytes(emulator.port, { method: 'GET', path: '/' }));
    expect((await connection.nextResponse())?.status).toBe(200);
    // A 1.5 MiB upload on the idle connection, then a stall beyond keep-alive + Node's 1 s.
    const body = randomBytes(1536 * 1024);
    connection.write(await signedBytes(emulator.port, { method: 'PUT', path: `/${BUCKET}/kept-alive`, body }));
    stallEventLoop(KEEP_ALIVE_MS + 1_000 + 1_000);
    const response = await connection.nextResponse();
    connection.destroy();
    expect(response?.status, response?.body).toBe(200);
    const stored = await getObject(emulator, 'kept-alive');
    expect(sha(stored.body)).toBe(sha(body));
  }, 30_000);

  it('still closes a keep-alive connection that stayed idle through the stall', async () => {
    const connection = await RawConnection.open(emulator.port);
    connection.write(await signedBytes(emulator.port, { method: 'GET', path: '/' }));
    expect((await connection.nextResponse())?.status).toBe(200);
    const stalledAt = performance.now();
    stallEventLoop(KEEP_ALIVE_MS + 1_000 + 500);
    const closedAt = await connection.closed;
    expect(closedAt - stalledAt).toBeLessThan(KEEP_ALIVE_MS + 1_000 + 500 + SLACK_MS);
  }, 30_000);
});

describe('serverLimits', () => {
  it('fills in the defaults and refuses a bound that is not a positive whole number', () => {
    expect(serverLimits({ keepAliveTimeoutMs: 250, body: { windowMs: 500 } })).toMatchObject({
      keepAliveTimeoutMs: 250,
      headersTimeoutMs: 10_000,
      body: { windowMs: 500, minBytes: 16 * 1024 },
    });
    expect(() => serverLimits({ headersTimeoutMs: 0 })).toThrow(/headersTimeoutMs/);
    expect(() => serverLimits({ body: { minBytes: 1.5 } })).toThrow(/body.minBytes/);
    expect(() => serverLimits({ headersTimeoutMs: 20_000, requestTimeoutMs: 10_000 })).toThrow(/must not exceed/);
  });
});
