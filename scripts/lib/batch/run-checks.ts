import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RESULTS_FILE_ENV, type CheckResult, type ReporterOutput } from '../../../checks/support/lab-reporter.ts';
import type { BoundedOutput } from './bounded-output.ts';
import type { ProgressLine } from './progress-hook.ts';
import { SANDBOX_ENV, type Sandbox } from './sandbox.ts';

export interface RunChecksOptions {
  /** The instructor's project root. */
  root: string;
  checkFiles: string[];
  /** The scrubbed environment with the LAB_* variables. */
  env: NodeJS.ProcessEnv;
  sandbox: Sandbox;
  /**
   * Hard limit per check, in seconds, for code that blocks the event loop (vitest's own
   * per-check timeout cannot fire then). Default: the check's own timeout + 2 s.
   */
  checkTimeoutSeconds?: number;
  /** vitest's and the student's console output (kept bounded). */
  output: BoundedOutput;
  /** Where vitest's reporter writes the results: outside the sandbox. */
  resultsFile: string;
}

export interface ChecksOutcome {
  checks: CheckResult[];
  /** Errors outside any check (an unhandled rejection in the student's code, a check file that does not load). */
  problems: string[];
}

const GRACE_MS = 2000;
const POLL_MS = 200;

/**
 * Runs a lab's checks on one submission in the sandbox (scripts/lib/batch/vitest.config.ts).
 * A check that blocks the event loop past its hard limit is stopped from outside: the
 * worker and vitest are killed, the check scores 0 ("did not finish"), and the checks
 * are run again without it, until a run finishes. Every run is bounded, so a submission
 * costs at most (checks + 1) runs; the batch's per-submission timeout bounds the total.
 */
export async function runChecksInSandbox(options: RunChecksOptions): Promise<ChecksOutcome> {
  const hung = new Map<string, string>();
  for (;;) {
    const run = await runOnce(options, [...hung.keys()]);
    if (run.hung) {
      hung.set(run.hung.name, run.hung.message);
      continue;
    }
    const checks = run.output.checks.map((check) => {
      const message = hung.get(`TODO ${check.todo}: ${check.name}`);
      return message === undefined ? check : { ...check, points: 0, status: 'failed' as const, message };
    });
    return { checks, problems: run.output.problems };
  }
}

interface OneRun {
  output: ReporterOutput;
  hung?: { name: string; message: string };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** vitest matches -t against "<file> <test name>": keep every check but the excluded ones. */
export function excludingPattern(names: string[]): string | undefined {
  if (names.length === 0) return undefined;
  return `^(?!.*(?:^| )(?:${names.map(escapeRegExp).join('|')})$)`;
}

function readProgress(file: string): ProgressLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ProgressLine);
}

/** The check started and not finished, if any. */
function runningCheck(lines: ProgressLine[]): ProgressLine | undefined {
  const last = lines[lines.length - 1];
  return last?.event === 'start' ? last : undefined;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function runOnce(options: RunChecksOptions, excluded: string[]): Promise<OneRun> {
  const { sandbox } = options;
  const vitestCli = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  // Outside the sandbox: the student's code cannot write its own results.
  const resultsFile = options.resultsFile;
  writeFileSync(sandbox.progressFile, '');
  writeFileSync(resultsFile, '');
  const pattern = excludingPattern(excluded);
  const args = [vitestCli, 'run', '--config', 'scripts/lib/batch/vitest.config.ts', '--configLoader', 'runner', ...(pattern ? ['--testNamePattern', pattern] : []), ...options.checkFiles];

  let hung: OneRun['hung'];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.root,
      env: {
        ...options.env,
        [SANDBOX_ENV]: JSON.stringify(sandbox),
        [RESULTS_FILE_ENV]: resultsFile,
        GRADING_ALLOWED_PORT: String(sandbox.emulatorPort),
        // vitest writes its compiled modules under TMPDIR, which the worker may read but not write.
        TMPDIR: sandbox.vitestTmpDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => options.output.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => options.output.write(chunk));
    const watchdog = setInterval(() => {
      const running = runningCheck(readProgress(sandbox.progressFile));
      if (!running || hung) return;
      const limitMs = options.checkTimeoutSeconds !== undefined ? options.checkTimeoutSeconds * 1000 : (running.timeout ?? 10_000) + GRACE_MS;
      if (Date.now() - running.at < limitMs) return;
      hung = {
        name: running.name,
        message: `Your code did not finish within ${Math.round(limitMs / 1000)} s and was stopped (it kept the process busy: an endless loop?).`,
      };
      killQuietly(running.pid);
      if (child.pid !== undefined) killQuietly(child.pid);
    }, POLL_MS);
    child.on('error', (error) => {
      clearInterval(watchdog);
      reject(error);
    });
    child.on('close', () => {
      clearInterval(watchdog);
      resolve();
    });
  });
  if (hung) return { output: { checks: [], problems: [] }, hung };

  const text = readFileSync(resultsFile, 'utf8');
  if (text.trim() === '') {
    return { output: { checks: [], problems: ['vitest stopped without reporting any check (see the grading log).'] } };
  }
  return { output: JSON.parse(text) as ReporterOutput };
}
