/**
 * How long a server takes from spawn to its first answered request, and how much memory it
 * then holds idle (issue 16: the standalone emulator in 100 ms and 60 MiB). The server is
 * started on port 0 and the port read from what it prints; the first request is a signed STS
 * GetCallerIdentity, sent at once and again every millisecond while the port refuses it. Call
 * warmUp() first, so that the SDK's own first use is not counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { descendantsOf } from '../../grader/process-tree.ts';
import { startNullServer } from './null-server.ts';

export interface StartSample {
  readyMs: number;
  /** Resident memory of the process and its descendants, `idleMs` after the first answer. */
  idleRssBytes: number;
}

/** The endpoint a server prints when it listens: ours ("listening on http://..."), werkzeug's (moto: "Running on http://..."). */
export function printedEndpoint(output: string): string | undefined {
  return /(?:listening on|Running on) (https?:\/\/[\w.-]+:\d+)/.exec(output)?.[1];
}

/** Resident set size of `pid` and every process below it (Linux /proc), in bytes. */
export function treeRssBytes(pid: number): number {
  let total = 0;
  for (const member of [pid, ...descendantsOf(pid)]) {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${member}/status`, 'utf8'))?.[1];
      total += Number(rss ?? 0) * 1024;
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

/** One GetCallerIdentity against a null server, so that the SDK's first-use cost (loading, compiling) is not on a probe's clock. */
export async function warmUp(): Promise<void> {
  const server = await startNullServer({ objectBytes: 0, listedKeys: [], accountId: '000000000000' });
  const client = new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, endpoint: server.endpoint });
  try {
    await client.send(new GetCallerIdentityCommand({}));
  } finally {
    client.destroy();
    await server.stop();
  }
}

/**
 * Starts `command` (its own process group), times spawn to the first answered request, reads
 * its memory `idleMs` later, and stops it. Throws with the server's output if it exits first
 * or prints no endpoint within `timeoutMs`.
 */
export async function probeStart(command: string[], options: { cwd: string; idleMs?: number; timeoutMs?: number }): Promise<StartSample> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = process.hrtime.bigint();
  const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${command.join(' ')}: no endpoint printed in ${timeoutMs} ms. Its output:\n${output.slice(-2000)}`)), timeoutMs);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const found = printedEndpoint(output);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${command.join(' ')} exited with code ${code} before it answered. Its output:\n${output.slice(-2000)}`));
      });
    });
    const client = new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, endpoint });
    try {
      for (;;) {
        try {
          await client.send(new GetCallerIdentityCommand({}));
          break;
        } catch (error) {
          // Printed before it listens (werkzeug can): try again; any other failure is the answer we wanted not coming.
          if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw error;
          if (Number(process.hrtime.bigint() - started) / 1e6 > timeoutMs) throw error;
          await sleep(1);
        }
      }
    } finally {
      client.destroy();
    }
    const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
    await sleep(options.idleMs ?? 1000);
    return { readyMs, idleRssBytes: treeRssBytes(child.pid!) };
  } finally {
    await stopGroup(child);
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
