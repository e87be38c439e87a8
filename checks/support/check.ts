import { beforeAll, test } from 'vitest';
import { CheckContext } from './check-context.ts';
import { DEFAULT_CHECK_TIMEOUT_SECONDS, type CheckMeta, type CheckOptions } from './check-meta.ts';
import { explainFailure } from './failures.ts';
import { HANDOFF_WAIT_MS, labRun } from './lab-environment.ts';
import { resetBackend } from './reset-backend.ts';

/**
 * Declares one graded check (a vitest test). Before the body runs: the check is
 * reported not gradable if the backend lacks a capability it needs, then the backend
 * is reset. Whatever the body throws is turned into a failure a student can act on.
 */
export function check(options: CheckOptions, body: (ctx: CheckContext) => Promise<void>): void {
  waitForBackendOnce();
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
    const run = await labRun();
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

let waitRegistered = false;

/**
 * The backend may still be starting (LocalStack, or after the program on a shared
 * backend) when the first check is due: wait for it in a hook with its own timeout, so
 * the wait never counts against a check's. Module state is per check file (vitest
 * isolates files), so this registers once per file.
 */
function waitForBackendOnce(): void {
  if (waitRegistered) return;
  waitRegistered = true;
  beforeAll(async () => {
    await labRun();
  }, HANDOFF_WAIT_MS + 5_000);
}
