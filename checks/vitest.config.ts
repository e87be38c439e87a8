import { defineConfig } from 'vitest/config';

/**
 * How the lab runner runs a lab's checks (grader/grade.ts starts
 * `vitest run --config checks/vitest.config.ts checks/NN-name`): our reporter
 * only, one worker, checks in order (they share the backend and reset it each time),
 * and no retries. The runner passes the backend, seed and submission as LAB_* env.
 */
export default defineConfig({
  test: {
    include: ['checks/*.check.ts'],
    root: new URL('..', import.meta.url).pathname,
    reporters: ['./checks/support/lab-reporter.ts'],
    pool: 'threads',
    fileParallelism: false,
    retry: 0,
    // Only the checks run here; the student's code runs in processes of its own
    // (checks/support/student-code.ts), whose output the scorecard does not show.
    silent: true,
    watch: false,
    // Every lab run is a fresh vitest process that transforms the same checks and support
    // files: kept on disk (node_modules/.experimental-vitest-cache, keyed by each file's
    // content and the config), a warm start saves about 0.3 s of each run's start on 2 cores.
    // Only trusted files go through it: student code is compiled apart and runs elsewhere.
    experimental: { fsModuleCache: true },
  },
});
