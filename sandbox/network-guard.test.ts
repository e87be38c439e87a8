import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';

const NETWORK_GUARD = fileURLToPath(new URL('./network-guard.mjs', import.meta.url));

/**
 * The network guard in a real Node process. Every target here is on loopback except
 * 10.255.255.1, which the guard refuses inside the process before the operating system
 * is asked: the loopback cases prove it is active first (a connection that WOULD
 * succeed, to a server of this test, is refused).
 */
let allowed: ReturnType<typeof createServer>;
let other: ReturnType<typeof createServer>;
const portOf = (server: ReturnType<typeof createServer>) => (server.address() as { port: number }).port;

beforeAll(async () => {
  allowed = createServer((socket) => socket.end('hi'));
  other = createServer((socket) => socket.end('hi'));
  await Promise.all([allowed, other].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
});
afterAll(() => {
  allowed.close();
  other.close();
});

function probe(script: string): string[] {
  const run = spawnSync(process.execPath, ['--import', NETWORK_GUARD, '--input-type=module', '-e', script], {
    env: { ...process.env, GRADING_ALLOWED_PORT: String(portOf(allowed)) },
    encoding: 'utf8',
    timeout: 15_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split('\n');
}

const CONNECT = `
import net from 'node:net';
const attempt = (...args) => new Promise((resolve) => {
  const socket = net.connect(...args);
  socket.on('connect', () => { socket.destroy(); resolve('connected'); });
  socket.on('error', (error) => resolve(error.code));
});`;

describe('network guard', () => {
  it('lets the process reach the emulator port on loopback, and nothing else', () => {
    const lines = probe(`${CONNECT}
console.log(await attempt(${portOf(allowed)}, '127.0.0.1'));
console.log(await attempt(${portOf(other)}, '127.0.0.1'));
console.log(await attempt({ port: ${portOf(allowed)}, host: '10.255.255.1' }));
console.log(await attempt('/var/run/docker.sock'));`);
    expect(lines).toEqual(['connected', 'ERR_GRADING_NETWORK_BLOCKED', 'ERR_GRADING_NETWORK_BLOCKED', 'ERR_GRADING_NETWORK_BLOCKED']);
  });

  it('refuses fetch, DNS and UDP with its own error', () => {
    const lines = probe(`
import dgram from 'node:dgram';
import dns from 'node:dns';
try { await fetch('http://127.0.0.1:${portOf(other)}/'); } catch (error) { console.log(error.cause?.code); }
try { await dns.promises.resolve4('example.com'); } catch (error) { console.log(error.code); }
await new Promise((resolve) => dns.lookup('example.com', (error) => { console.log(error.code); resolve(); }));
try { dgram.createSocket('udp4').send('x', 53, '127.0.0.1'); } catch (error) { console.log(error.code); }
console.log((await dns.promises.lookup('127.0.0.1')).address);`);
    expect(lines).toEqual(['ERR_GRADING_NETWORK_BLOCKED', 'ERR_GRADING_NETWORK_BLOCKED', 'ERR_GRADING_NETWORK_BLOCKED', 'ERR_GRADING_NETWORK_BLOCKED', '127.0.0.1']);
  });
});
