import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { importGuard } from './import-guard.ts';
import { PROGRESS_HOOK, SANDBOX_ENV, workerExecArgv, type Sandbox } from './sandbox.ts';

/**
 * Batch grading's vitest config (instructor side; students' runs use
 * checks/vitest.config.ts). Differences, all for running untrusted code:
 * - pool 'forks': the checks and the student's code run in ONE child process that
 *   vitest starts with Node's permission model (reads/writes limited to the sandbox,
 *   no child processes, no worker threads, no addons) and the network guard preloaded;
 * - the import guard stops vitest's main process from compiling files outside the
 *   sandbox for that worker;
 * - the progress hook records each check's start, so a check that blocks the event loop
 *   can be stopped from outside;
 * - snapshots live in the temp folder (the worker may not read checks/).
 */
const sandbox = JSON.parse(process.env[SANDBOX_ENV] ?? 'null') as Sandbox | null;
if (!sandbox) throw new Error(`${SANDBOX_ENV} is not set: this config is run by grader/batch/run-checks.ts.`);

export default defineConfig({
  plugins: [importGuard(sandbox.moduleRoots)],
  test: {
    include: ['checks/*.check.ts'],
    root: new URL('../..', import.meta.url).pathname,
    reporters: ['./checks/support/lab-reporter.ts'],
    setupFiles: [PROGRESS_HOOK],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    execArgv: workerExecArgv(sandbox),
    // The worker's own temp folder (os.tmpdir() reads TMPDIR at each call).
    env: { TMPDIR: sandbox.tmpDir },
    resolveSnapshotPath: (testPath, extension) => join(sandbox.tmpDir, `${testPath.split('/').pop()}${extension}`),
    retry: 0,
    silent: true,
    watch: false,
  },
});
