import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Runs a server command so that it can never outlive this process.
 *
 * A `process.on('exit')` hook is not enough: a parent killed by SIGKILL, or by a
 * signal it does not handle, runs no hooks. Instead the command runs under a tiny
 * shell that holds a pipe from us (the "lifeline", on fd 3 because a background
 * job's stdin is /dev/null in a non-interactive shell). When the pipe reaches EOF
 * (we stopped it, exited, crashed or were killed) the shell sends the server
 * SIGTERM. The shell leads its own process group, so a final SIGKILL to the group
 * leaves nothing behind.
 */
const SUPERVISOR = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'server=$!',
  '{ cat <&3 >/dev/null; kill -TERM "$server" 2>/dev/null; } &',
  'wait "$server"',
].join('\n');

export interface LifelineProcess {
  readonly pid: number;
  /** Resolves with the exit code (null when killed by a signal) once the server has exited. */
  readonly exited: Promise<number | null>;
  /** The last lines the server wrote to stderr and stdout, for error messages. */
  outputTail(): string;
  /** SIGTERM, then SIGKILL to the whole group after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_LINES = 20;

/** Spawns `command args...`; rejects with the spawn error when the shell itself cannot start. */
export function startLifelineProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): LifelineProcess {
  const child: ChildProcess = spawn('/bin/sh', ['-c', SUPERVISOR, 'lifeline', command, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env,
  });
  const tail: string[] = [];
  const remember = (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
  };
  // Always drain both streams: a server that logs every request would block on a full pipe.
  child.stdout!.on('data', remember);
  child.stderr!.on('data', remember);
  // The lifeline must not keep our event loop alive, nor crash us if the shell is gone.
  child.stdin!.on('error', () => undefined);
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();

  const pid = child.pid!;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      killGroup(pid, 'SIGKILL'); // the watcher subshell, if the server exited on its own
      resolve(code);
    });
  });
  let stopping: Promise<void> | undefined;

  return {
    pid,
    exited,
    outputTail: () => tail.join('\n'),
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.stdin!.end();
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
