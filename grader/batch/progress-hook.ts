import { appendFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { PROGRESS_FILE_ENV, type ProgressLine } from '../check-progress.ts';
import { SANDBOX_ENV, type Sandbox } from './sandbox.ts';

/**
 * A vitest setup file (batch grading's config and the lab runner's): one line per check
 * started and finished, written synchronously BEFORE the student's code runs, so that a
 * check blocking the event loop can be found and stopped from outside (check-progress.ts).
 */
const sandbox = JSON.parse(process.env[SANDBOX_ENV] ?? '{}') as Partial<Sandbox>;

const progressFile = sandbox.progressFile ?? process.env[PROGRESS_FILE_ENV];

function write(line: Omit<ProgressLine, 'pid' | 'at'>): void {
  if (progressFile) appendFileSync(progressFile, `${JSON.stringify({ ...line, pid: process.pid, at: Date.now() })}\n`);
}

beforeEach(({ task }) => write({ event: 'start', name: task.name, timeout: task.timeout }));
afterEach(({ task }) => write({ event: 'end', name: task.name }));
