import { appendFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { SANDBOX_ENV, type Sandbox } from './sandbox.ts';

/**
 * A vitest setup file of the batch grading config. It appends one line per check
 * started and finished to the progress file, synchronously, BEFORE the student's code
 * runs: if that code blocks the event loop (`while (true) {}`), vitest's own timeout
 * can never fire, and the grading process reads here which check hung and for how long
 * (scripts/lib/batch/run-checks.ts).
 */
export interface ProgressLine {
  event: 'start' | 'end';
  name: string;
  /** The check's own timeout (ms), on 'start'. */
  timeout?: number;
  /** The worker's pid, to stop exactly that process. */
  pid: number;
  /** Date.now() when written. */
  at: number;
}

const sandbox = JSON.parse(process.env[SANDBOX_ENV] ?? '{}') as Partial<Sandbox>;

function write(line: Omit<ProgressLine, 'pid' | 'at'>): void {
  if (sandbox.progressFile) appendFileSync(sandbox.progressFile, `${JSON.stringify({ ...line, pid: process.pid, at: Date.now() })}\n`);
}

beforeEach(({ task }) => write({ event: 'start', name: task.name, timeout: task.timeout }));
afterEach(({ task }) => write({ event: 'end', name: task.name }));
