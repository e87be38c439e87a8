import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { RESULTS_FILE_ENV, type CheckResult, type ReporterOutput } from '../../checks/support/lab-reporter.ts';
import type { BoundedOutput } from './bounded-output.ts';
import { excludingPattern } from '../check-progress.ts';
import { rerunWithoutHungChecks, vitestCliPath, watchForHungCheck, type HungCheck } from '../hung-checks.ts';
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

/**
 * Runs a lab's checks on one submission in the sandbox (grader/batch/vitest.config.ts).
 * A check that blocks the event loop past its hard limit is stopped from outside: the
 * worker and vitest are killed, the check scores 0 ("did not finish"), and the checks
 * are run again without it, until a run finishes. Every run is bounded, so a submission
 * costs at most (checks + 1) runs; the batch's per-submission timeout bounds the total.
 */
export async function runChecksInSandbox(options: RunChecksOptions): Promise<ChecksOutcome> {
  const { checks, problems } = await rerunWithoutHungChecks((excluded) => runOnce(options, excluded));
  return { checks, problems };
}

interface OneRun extends ReporterOutput {
  hung?: HungCheck;
}

async function runOnce(options: RunChecksOptions, excluded: string[]): Promise<OneRun> {
  const { sandbox } = options;
  const vitestCli = vitestCliPath();
  // Outside the sandbox: the student's code cannot write its own results.
  const resultsFile = options.resultsFile;
  writeFileSync(sandbox.progressFile, '');
  writeFileSync(resultsFile, '');
  const pattern = excludingPattern(excluded);
  const args = [vitestCli, 'run', '--config', 'grader/batch/vitest.config.ts', '--configLoader', 'runner', ...(pattern ? ['--testNamePattern', pattern] : []), ...options.checkFiles];

  let hung: HungCheck | undefined;
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
    const watchdog = watchForHungCheck(sandbox.progressFile, child.pid, options.checkTimeoutSeconds);
    child.on('error', (error) => {
      watchdog.stop();
      reject(error);
    });
    child.on('close', () => {
      watchdog.stop();
      hung = watchdog.hung();
      resolve();
    });
  });
  if (hung) return { checks: [], problems: [], hung };

  const text = readFileSync(resultsFile, 'utf8');
  if (text.trim() === '') {
    return { checks: [], problems: ['vitest stopped without reporting any check (see the grading log).'] };
  }
  return JSON.parse(text) as ReporterOutput;
}
