import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, signed } from '../fuzz/wire.ts';
import { startEmulator, type RunningEmulator } from '../server.ts';

/** Bad input to the control API is refused whole, and leaves the emulator serving AWS requests. */
describe('control API input', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  async function control(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await send(emulator.port, {
      method,
      path: `/_emulator/${path}`,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, json: JSON.parse(response.body || '{}') as Record<string, unknown> };
  }

  /** A signed ListBuckets: the emulator still works. */
  async function listBucketsStatus(): Promise<number> {
    return (await send(emulator.port, await signed('s3', { method: 'GET', path: '/' }, emulator.port))).status;
  }

  it.each([
    ['advanceSeconds 1e300', { advanceSeconds: 1e300 }],
    ['advanceSeconds -1e15', { advanceSeconds: -1e15 }],
    ['set year 275760', { set: '+275760-09-13T00:00:00.000Z' }],
    ['an array', [1]],
  ])('refuses a clock move to an impossible time (%s) and keeps the clock', async (_name, body) => {
    const before = (await control('GET', 'clock')).json.now as string;
    const moved = await control('POST', 'clock', body);
    expect(moved.status).toBe(400);
    expect(moved.json.error).toEqual(expect.any(String));
    const after = (await control('GET', 'clock')).json.now as string;
    expect(Math.abs(Date.parse(after) - Date.parse(before))).toBeLessThan(60_000);
    expect(await listBucketsStatus()).toBe(200);
  });

  it.each([
    ['a rule that is not an object', { rules: [null] }],
    ['a service that is not a string', { rules: [{ kind: 'throttle', service: 5 }] }],
    ['a count that is not a number', { rules: [{ kind: 'throttle', count: 'x' }] }],
    ['a delay of a day', { rules: [{ kind: 'delay', delayMs: 86_400_000 }] }],
    ['a negative delay', { rules: [{ kind: 'delay', delayMs: -1 }] }],
    ['an unknown field', { rules: [{ kind: 'throttle', servise: 's3' }] }],
    ['an unknown kind', { rules: [{ kind: 'explode' }] }],
  ])('refuses a malformed fault rule (%s) and injects nothing', async (_name, body) => {
    const answer = await control('PUT', 'faults', body);
    expect(answer.status).toBe(400);
    expect((await control('GET', 'faults')).json.rules).toEqual([]);
    expect(await listBucketsStatus()).toBe(200);
  });

  it.each([
    ['negative maxBodyBytes', { maxBodyBytes: -1 }],
    ['fractional maxBodyBytes', { maxBodyBytes: 1.5e6 + 0.5 }],
    ['negative maxClockSkewSeconds', { maxClockSkewSeconds: -5 }],
    ['infinite-like table delay', { tableCreateDelayMs: 1e20 }],
    ['a good setting with a bad one', { enforceIam: false, maxBodyBytes: -1 }],
  ])('refuses a bad setting (%s) and changes none', async (_name, body) => {
    const before = (await control('GET', 'settings')).json;
    const answer = await control('PATCH', 'settings', body);
    expect(answer.status).toBe(400);
    expect((await control('GET', 'settings')).json).toEqual(before);
  });

  it('refuses a cross-site text/plain POST from a web page, and one through DNS rebinding', async () => {
    const before = (await control('GET', 'settings')).json;
    const crossSite = await control('POST', 'settings', '{"enforceIam": false}', { 'content-type': 'text/plain', origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const rebound = await control('POST', 'settings', '{"enforceIam": false}', { 'content-type': 'text/plain', host: `attacker.example:${emulator.port}` });
    expect(rebound.status).toBe(403);
    const otherLocalPage = await control('POST', 'settings', '{"enforceIam": false}', { origin: 'http://localhost:3000' });
    expect(otherLocalPage.status).toBe(403);
    expect((await control('GET', 'settings')).json).toEqual(before);
  });

  it('still answers a local caller without an Origin, and one from its own origin', async () => {
    expect((await control('GET', 'settings')).status).toBe(200);
    expect((await control('GET', 'settings', undefined, { host: `localhost:${emulator.port}` })).status).toBe(200);
    expect((await control('GET', 'settings', undefined, { origin: `http://127.0.0.1:${emulator.port}` })).status).toBe(200);
  });
});
