import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A `npm run emulator` process, run without npm in between (npm does not forward SIGTERM). */
export interface StandaloneEmulator {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  exit: Promise<number | null>;
}

export function runEmulatorScript(args: string[]): StandaloneEmulator {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/emulator.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => text, exit };
}

/** Waits until the output matches, failing with the output if the process ends or time runs out. */
export async function waitForOutput(run: StandaloneEmulator, pattern: RegExp, timeoutMs = 45_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = run.output().match(pattern);
    if (match) return match;
    if (run.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} in the emulator's output:\n${run.output()}`);
}

/** Starts the standalone emulator on a free port and returns its endpoint once it says so. */
export async function startStandaloneEmulator(): Promise<{ run: StandaloneEmulator; endpoint: string }> {
  const run = runEmulatorScript(['--port', '0']);
  const [, endpoint] = await waitForOutput(run, /listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
  return { run, endpoint: endpoint! };
}
