import { spawn, type SpawnOptions } from 'node:child_process';

/** What a finished child process printed, and how it ended. */
export interface Collected {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` to its end and answers its exit code and whole output (tests only). */
export function spawnCollecting(command: string, args: string[], options: SpawnOptions = {}): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
