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
    // Records each check's start before the student's code runs, so that code blocking the
    // event loop can be stopped from outside (grader/check-progress.ts).
    setupFiles: ['./grader/batch/progress-hook.ts'],
    pool: 'threads',
    fileParallelism: false,
    retry: 0,
    // The student's console output during checks would only clutter the scorecard.
    silent: true,
    watch: false,
  },
});
