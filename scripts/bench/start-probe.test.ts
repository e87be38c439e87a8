import { describe, expect, it } from 'vitest';
import { printedEndpoint, probeStart, treeRssBytes, warmUp } from './start-probe.ts';

const MiB = 1024 * 1024;

/** A stand-in server: answers GetCallerIdentity after printing werkzeug's line; with a child process holding memory. */
const SERVER = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'globalThis.held = Buffer.alloc(64 * 1024 * 1024, 1); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
const server = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('<GetCallerIdentityResponse><GetCallerIdentityResult><Account>000000000000</Account><Arn>arn:aws:iam::000000000000:root</Arn><UserId>x</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>'));
});
server.listen(0, '127.0.0.1', () => setTimeout(() => console.error(' * Running on http://127.0.0.1:' + server.address().port), 200));
process.on('SIGTERM', () => { child.kill(); process.exit(0); });
`;

describe('start probe', () => {
  it('reads the endpoint our emulator and werkzeug (moto) print', () => {
    expect(printedEndpoint('AWS emulator listening on http://127.0.0.1:4566\nCredentials: ...')).toBe('http://127.0.0.1:4566');
    expect(printedEndpoint(' * Running on http://127.0.0.1:38211\nPress CTRL+C to quit')).toBe('http://127.0.0.1:38211');
    expect(printedEndpoint('AWS emulator listening on http://127.0.0.1:')).toBeUndefined();
  });

  it('counts the memory of a process and its children', () => {
    expect(treeRssBytes(process.pid)).toBeGreaterThan(10 * MiB);
    expect(treeRssBytes(2 ** 22 + 1)).toBe(0);
  });

  it('times a server from spawn to its first answer, after its printed delay, and sums its process tree', async () => {
    await warmUp();
    const sample = await probeStart([process.execPath, '-e', SERVER], { cwd: process.cwd(), idleMs: 500 });
    expect(sample.readyMs).toBeGreaterThanOrEqual(200);
    // The child holds 64 MiB; the parent is a plain node process.
    expect(sample.idleRssBytes).toBeGreaterThan(64 * MiB);
  }, 60_000);

  it('says so with the output when the server exits before answering', async () => {
    await expect(probeStart([process.execPath, '-e', 'console.error("port taken"); process.exit(3)'], { cwd: process.cwd() })).rejects.toThrow(/exited with code 3 before it answered.*\n.*port taken/s);
  }, 60_000);
});
