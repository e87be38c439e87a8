import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChainCase, ChainResult } from './real-credential-chain.ts';

export type { ChainCase, ChainResult };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./real-credential-chain.ts', import.meta.url));

/**
 * The real default chain of the AWS SDK for JavaScript v3, asked from the trusted side:
 * one child process (real-credential-chain.ts) for the check file's run, started on
 * first use, with an environment of its own (no variable of this process reaches it).
 */
let child: { process: ChildProcessWithoutNullStreams; lines: Interface; pending: Array<(line: string) => void>; stderr: string } | undefined;

function start(): NonNullable<typeof child> {
  const process_ = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const started = { process: process_, lines: createInterface({ input: process_.stdout }), pending: [] as Array<(line: string) => void>, stderr: '' };
  started.lines.on('line', (line) => started.pending.shift()?.(line));
  process_.stderr.on('data', (chunk: Buffer) => (started.stderr = (started.stderr + chunk.toString()).slice(-4000)));
  process_.on('exit', () => {
    if (child === started) child = undefined;
    for (const waiting of started.pending.splice(0)) waiting('');
  });
  // It must not keep the checks' process alive; it ends when its stdin closes.
  process_.unref();
  for (const stream of [process_.stdin, process_.stdout, process_.stderr] as unknown as Array<{ unref?: () => void }>) stream.unref?.();
  return started;
}

/** What the real chain answers for each case, in order. */
export async function realChain(cases: ChainCase[]): Promise<ChainResult[]> {
  const running = (child ??= start());
  const line = await new Promise<string>((resolve) => {
    running.pending.push(resolve);
    running.process.stdin.write(`${JSON.stringify(cases)}\n`);
  });
  if (!line) throw new Error(`harness: the reference credential chain stopped: ${running.stderr}`);
  return JSON.parse(line) as ChainResult[];
}
