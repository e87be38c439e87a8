import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../server.ts';
import { CONTROL_TOKEN_HEADER } from './control-protocol.ts';

const TOKEN = 'right-token-0123456789abcdefghijklmn';
/** Same length as TOKEN, so the comparison itself (not the length check) refuses it. */
const WRONG_SAME_LENGTH = 'wrong-token-0123456789abcdefghijklmn';

interface Reply {
  status: number;
  json: Record<string, unknown>;
}

async function call(emulator: RunningEmulator, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers[CONTROL_TOKEN_HEADER] = options.token;
  const response = await fetch(`${emulator.endpoint}/_emulator/${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function bucketNames(state: Reply): string[] {
  return (state.json.s3 as { buckets: Array<{ name: string }> }).buckets.map((b) => b.name);
}

describe('control API locked with a token', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ controlToken: TOKEN });
  });
  afterAll(() => emulator.stop());

  it.each([
    ['no header', undefined],
    ['a wrong token of the same length', WRONG_SAME_LENGTH],
    ['a wrong token of another length', 'short'],
    ['an empty header', ''],
  ])('refuses %s with 403 and a JSON error', async (_label, token) => {
    for (const [method, path] of [['GET', 'state'], ['GET', 'requests'], ['POST', 'reset'], ['GET', 'settings'], ['GET', 'no-such-route']]) {
      const reply = await call(emulator, method!, path!, { token });
      expect(reply.status, `${method} ${path}`).toBe(403);
      expect(reply.json.error).toMatch(/locked.*x-emulator-control-token/);
    }
  });

  it('changes nothing on a refused call', async () => {
    await call(emulator, 'POST', 'reset', { token: TOKEN });
    await call(emulator, 'POST', 'seed', { token: TOKEN, body: { s3: { buckets: [{ name: 'kept-bucket' }] } } });
    await fetch(`${emulator.endpoint}/`); // one AWS request, for the log
    const before = await call(emulator, 'GET', 'clock', { token: TOKEN });

    for (const token of [undefined, WRONG_SAME_LENGTH]) {
      expect((await call(emulator, 'POST', 'seed', { token, body: { s3: { buckets: [{ name: 'planted-bucket' }] } } })).status).toBe(403);
      expect((await call(emulator, 'POST', 'reset', { token })).status).toBe(403);
      expect((await call(emulator, 'DELETE', 'requests', { token })).status).toBe(403);
      expect((await call(emulator, 'PUT', 'faults', { token, body: { newBucketInvisibleReads: 3 } })).status).toBe(403);
      expect((await call(emulator, 'POST', 'clock', { token, body: { advanceSeconds: 3600 } })).status).toBe(403);
      expect((await call(emulator, 'PATCH', 'settings', { token, body: { enforceIam: false } })).status).toBe(403);
    }

    const names = bucketNames(await call(emulator, 'GET', 'state', { token: TOKEN }));
    expect(names).toContain('kept-bucket');
    expect(names).not.toContain('planted-bucket');
    expect((await call(emulator, 'GET', 'requests', { token: TOKEN })).json).toHaveLength(1);
    expect((await call(emulator, 'GET', 'faults', { token: TOKEN })).json).toEqual({ rules: [], newBucketInvisibleReads: 0, seed: 0 });
    const after = await call(emulator, 'GET', 'clock', { token: TOKEN });
    expect(Date.parse(after.json.now as string) - Date.parse(before.json.now as string)).toBeLessThan(60_000); // not the refused hour
    expect((await call(emulator, 'GET', 'settings', { token: TOKEN })).json.enforceIam).toBe(true);
  });

  it('does everything with the right token', async () => {
    expect((await call(emulator, 'POST', 'reset', { token: TOKEN })).status).toBe(200);
    expect((await call(emulator, 'POST', 'seed', { token: TOKEN, body: { s3: { buckets: [{ name: 'seeded-bucket' }] } } })).status).toBe(200);
    expect(bucketNames(await call(emulator, 'GET', 'state', { token: TOKEN }))).toContain('seeded-bucket');
    expect((await call(emulator, 'PUT', 'faults', { token: TOKEN, body: { newBucketInvisibleReads: 2 } })).json).toMatchObject({ newBucketInvisibleReads: 2 });
    expect((await call(emulator, 'DELETE', 'faults', { token: TOKEN })).status).toBe(200);
    expect((await call(emulator, 'DELETE', 'requests', { token: TOKEN })).status).toBe(200);
    expect((await call(emulator, 'GET', 'requests', { token: TOKEN })).json).toEqual([]);
  });

  it('leaves GET health open: it tells only that this is our emulator', async () => {
    const health = await call(emulator, 'GET', 'health');
    expect(health.status).toBe(200);
    expect(health.json.status).toBe('ok');
  });
});

describe('control API without a token', () => {
  it('is open, as for the standalone emulator driven by hand', async () => {
    const emulator = await startEmulator();
    try {
      expect((await call(emulator, 'POST', 'seed', { body: { s3: { buckets: [{ name: 'open-bucket' }] } } })).status).toBe(200);
      expect(bucketNames(await call(emulator, 'GET', 'state'))).toContain('open-bucket');
    } finally {
      await emulator.stop();
    }
  });
});

describe('startEmulator controlToken', () => {
  it.each(['', 'has space', 'naïve'])('refuses %j: a header cannot carry it, or it would read as no lock', async (token) => {
    await expect(startEmulator({ controlToken: token })).rejects.toThrow(/control token must be a non-empty string of printable ASCII/);
  });
});
