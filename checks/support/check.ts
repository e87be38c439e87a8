import { test } from 'vitest';
import type { Capability } from '../../backends/backend.ts';
import { CheckContext } from './check-context.ts';
import { explainFailure } from './failures.ts';
import { labRunFromEnv } from './lab-environment.ts';
import { resetBackend } from './reset-backend.ts';

/** What a check declares; it travels to the lab runner's reporter as `task.meta.check`. */
export interface CheckOptions {
  /** The TODO this check grades (the number in the lab's `// TODO n` comments). */
  todo: number;
  /** What the check proves, as a student reads it on the scorecard: "creates the bucket in us-east-1". */
  name: string;
  points: number;
  /** Shown when the check fails: what to do, not the answer. */
  hint: string;
  /** Backend capabilities the check relies on; without one the check is "not gradable", never passed or failed. */
  needs?: Capability[];
  /** Hidden checks live in `checks/NN-name.hidden.check.ts`, left out of the student edition. */
  hidden?: boolean;
  /** Default 10. Checks are never retried. */
  timeoutSeconds?: number;
}

export type CheckMeta = Required<Omit<CheckOptions, 'timeoutSeconds'>>;

declare module 'vitest' {
  interface TaskMeta {
    check?: CheckMeta;
  }
}

export const DEFAULT_CHECK_TIMEOUT_SECONDS = 10;

/**
 * Declares one graded check (a vitest test). Before the body runs: the check is
 * reported not gradable if the backend lacks a capability it needs, then the backend
 * is reset. Whatever the body throws is turned into a failure a student can act on.
 */
export function check(options: CheckOptions, body: (ctx: CheckContext) => Promise<void>): void {
  const meta: CheckMeta = {
    todo: options.todo,
    name: options.name,
    points: options.points,
    hint: options.hint,
    needs: options.needs ?? [],
    hidden: options.hidden ?? false,
  };
  const timeout = (options.timeoutSeconds ?? DEFAULT_CHECK_TIMEOUT_SECONDS) * 1000;

  test(`TODO ${meta.todo}: ${meta.name}`, { meta: { check: meta }, timeout, retry: 0 }, async (testContext) => {
    const run = labRunFromEnv();
    for (const capability of meta.needs) {
      const reason = run.backend.missing[capability];
      if (reason !== undefined) testContext.skip(`not gradable on ${run.backend.name}: ${reason}`);
    }
    await resetBackend(run.backend);
    const ctx = new CheckContext(run, meta.name, meta.needs);
    try {
      await body(ctx);
    } catch (error) {
      throw explainFailure(error, run.submissionDir);
    } finally {
      ctx.dispose();
    }
  });
}
