import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { freePort, isPortTaken } from '../backends/free-port.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** `npm run emulator -- args`, without npm in between (npm does not forward SIGTERM to its child). */
function runEmulator(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/emulator.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => text, exit };
}

async function waitFor(run: Run, pattern: RegExp, timeoutMs = 45_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = run.output().match(pattern);
    if (match) return match;
    if (run.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} in the emulator's output:\n${run.output()}`);
}

describe('npm run emulator', { timeout: 60_000 }, () => {
  it('prints its endpoint, credentials and env lines, answers the SDK, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const run = runEmulator(['--port', String(port)]);
    try {
      const [, endpoint] = await waitFor(run, /listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      expect(endpoint).toBe(`http://127.0.0.1:${port}`);
      await waitFor(run, /Press Ctrl-C to stop/);
      const output = run.output();
      expect(output).toContain('access key test, secret key test, region us-east-1');
      for (const line of [`export AWS_ENDPOINT_URL=${endpoint}`, 'export AWS_ACCESS_KEY_ID=test', 'export AWS_SECRET_ACCESS_KEY=test', 'export AWS_DEFAULT_REGION=us-east-1']) {
        expect(output).toContain(line);
      }

      const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
      sts.destroy();

      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      expect(run.output()).toContain(`SIGTERM: emulator stopped, port ${port} freed.`);
      expect(await isPortTaken(port)).toBe(false);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('stops on Ctrl-C (SIGINT) with exit code 0', async () => {
    const run = runEmulator(['--port', '0']);
    try {
      const [, port] = await waitFor(run, /listening on http:\/\/127\.0\.0\.1:(\d+)\n/);
      run.child.kill('SIGINT');
      expect(await run.exit).toBe(0);
      expect(await isPortTaken(Number(port))).toBe(false);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('says the port is taken, and exits 1', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      const run = runEmulator(['--port', String(port)]);
      expect(await run.exit).toBe(1);
      expect(run.output()).toContain(`emulator: port ${port} on 127.0.0.1 is already in use`);
      expect(run.output()).toContain('--port N');
    } finally {
      holder.close();
    }
  });

  it('explains itself with --help', async () => {
    const run = runEmulator(['--help']);
    expect(await run.exit).toBe(0);
    expect(run.output()).toMatch(/^Usage: npm run emulator/);
    expect(run.output()).toContain('--host ADDR');
  });

  it('refuses a port that is not a number', async () => {
    const run = runEmulator(['--port', 'http']);
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain('--port takes a port number (0-65535), got http');
  });
});
