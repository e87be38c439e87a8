import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROL_TOKEN_HEADER } from '../emulator/control/control-protocol.ts';
import { ControlApiError, ControlClient } from './control-client.ts';

interface Seen {
  method: string;
  url: string;
  token: string | undefined;
  body: string;
  socketPort: number;
}

let server: Server | undefined;

/** A stand-in control API that records each request and answers with `answer`. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void, keepAliveTimeoutMs = 5_000): Promise<{ endpoint: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, token: req.headers[CONTROL_TOKEN_HEADER] as string | undefined, body, socketPort: req.socket.remotePort! });
      answer(req, res);
    });
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (status: number, value: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('ControlClient', () => {
  it('sends its token and a JSON body, and answers the JSON it gets back', async () => {
    const { endpoint, seen } = await serve(json(200, { now: '2026-01-02T03:04:05.000Z' }));
    const now = await new ControlClient(endpoint, 'secret-token').freezeClock(true);
    expect(now).toBe(Date.parse('2026-01-02T03:04:05.000Z'));
    expect(seen).toEqual([expect.objectContaining({ method: 'POST', url: '/_emulator/clock', token: 'secret-token', body: '{"freeze":true}' })]);
  });

  it('reuses one connection for calls in a row', async () => {
    const { endpoint, seen } = await serve(json(200, {}));
    const client = new ControlClient(endpoint);
    for (let i = 0; i < 5; i++) await client.advanceClock(1);
    expect(new Set(seen.map((s) => s.socketPort)).size).toBe(1);
  });

  it('turns a refusal into a ControlApiError with the status and the emulator\'s reason', async () => {
    const { endpoint } = await serve(json(403, { error: 'the control API of this emulator is locked' }));
    const error = await new ControlClient(endpoint).reset().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlApiError);
    expect((error as ControlApiError).status).toBe(403);
    expect((error as Error).message).toBe('emulator control API POST reset failed (403): the control API of this emulator is locked');
  });

  it('says so when the answer is not JSON (not an emulator at that endpoint)', async () => {
    const { endpoint } = await serve((_req, res) => res.end('<html>hello</html>'));
    await expect(new ControlClient(endpoint).state()).rejects.toThrow('emulator control API GET state answered 200 with no JSON: <html>hello</html>');
  });

  it('carries on after the server closed an idle kept connection', async () => {
    const { endpoint, seen } = await serve(json(200, {}), 50);
    const client = new ControlClient(endpoint);
    await client.clearFaults();
    await sleep(200);
    await client.clearFaults();
    expect(seen).toHaveLength(2);
    expect(seen[0]!.socketPort).not.toBe(seen[1]!.socketPort);
  });
});
