import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A running emulator child process (see emulator-child.ts). Tests only. */
export interface ChildEmulator {
  readonly port: number;
  readonly pid: number;
  /** Still running (no crash, no exit)? */
  alive(): boolean;
  /** Its open file descriptors (Linux: /proc/<pid>/fd). */
  openFds(): number;
  /** CPU time it has used (user + system, Linux /proc/<pid>/stat), in seconds. */
  cpuSeconds(): number;
  /** What it wrote to stderr so far (an unhandled error shows here). */
  stderr(): string;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./emulator-child.ts', import.meta.url));

export async function startChildEmulator(): Promise<ChildEmulator> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  let exited = false;
  child.once('exit', () => (exited = true));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`the emulator child exited (${code}) before listening: ${errors}`)));
  });
  return {
    port,
    pid: child.pid!,
    alive: () => !exited && child.exitCode === null && child.signalCode === null,
    openFds: () => readdirSync(`/proc/${child.pid}/fd`).length,
    cpuSeconds: () => {
      // Fields 14 and 15 after the command name: utime and stime in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stderr: () => errors,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
