import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CheckResult } from '../checks/support/lab-reporter.ts';
import { hardLimitMs, hungMessage, killQuietly, readProgress, runningCheck } from './check-progress.ts';

/**
 * The grading side of hung-check handling, shared by the lab runner (grade.ts) and batch
 * grading (batch/run-checks.ts). Kept apart from check-progress.ts, which the batch
 * sandbox lets the student's worker read: nothing here needs to be readable there.
 */

/** A check the watchdog stopped, by its vitest name ("TODO n: name"). */
export interface HungCheck {
  name: string;
  message: string;
}

/** vitest's CLI, run with plain node (see grade.ts for why not in-process). */
export function vitestCliPath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
}

export interface Watchdog {
  /** The check stopped, once the watchdog has stopped one. */
  hung(): HungCheck | undefined;
  stop(): void;
}

const POLL_MS = 200;

/**
 * Watches the progress file of a vitest run: a check running past its hard limit has
 * blocked the event loop (vitest's own timeout cannot fire), so its worker and vitest
 * (`vitestPid`) are killed and the check is recorded.
 */
export function watchForHungCheck(progressFile: string, vitestPid: number | undefined, overrideSeconds?: number): Watchdog {
  let hung: HungCheck | undefined;
  const timer = setInterval(() => {
    const running = runningCheck(readProgress(progressFile));
    if (!running || hung) return;
    const limitMs = hardLimitMs(running, overrideSeconds);
    if (Date.now() - running.at < limitMs) return;
    hung = { name: running.name, message: hungMessage(limitMs) };
    killQuietly(running.pid);
    killQuietly(vitestPid);
  }, POLL_MS);
  return { hung: () => hung, stop: () => clearInterval(timer) };
}

/**
 * Runs the checks until a run finishes: after a run stopped by a hung check, the checks
 * run again without it (and without those stopped before). Every run is bounded, so at
 * most (checks + 1) runs. The hung checks score 0 with the watchdog's message.
 */
export async function rerunWithoutHungChecks<R extends { checks: CheckResult[]; hung?: HungCheck }>(
  runOnce: (excluded: string[]) => Promise<R>,
): Promise<R> {
  const hung = new Map<string, string>();
  for (;;) {
    const run = await runOnce([...hung.keys()]);
    if (run.hung) {
      hung.set(run.hung.name, run.hung.message);
      continue;
    }
    const checks = run.checks.map((check) => {
      const message = hung.get(`TODO ${check.todo}: ${check.name}`);
      return message === undefined ? check : { ...check, points: 0, status: 'failed' as const, message };
    });
    return { ...run, checks };
  }
}
