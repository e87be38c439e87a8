import { writeFileSync } from 'node:fs';
import type { TestModule } from 'vitest/node';
import LabReporter from '../../checks/support/lab-reporter.ts';

/** Where the reporter below writes each check's time (batch grading sets it). */
export const CHECK_TIMES_FILE_ENV = 'LAB_CHECK_TIMES_FILE';

/** One check's time, as vitest measured it (the check's own run, not the file's set-up). */
export interface CheckTime {
  todo: number;
  name: string;
  seconds: number;
  /** Which submission of the run, when it grades several. */
  submission?: number;
}

/**
 * The lab reporter, plus each check's duration for batch reports (junit.xml's real times,
 * summary.md's medians). Batch grading names it with `--reporter`, which replaces the
 * config's reporters, so it IS the lab reporter (a subclass): the results file is the same.
 */
export default class TimedLabReporter extends LabReporter {
  override onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message?: string }>): void {
    super.onTestRunEnd(modules, errors);
    const file = process.env[CHECK_TIMES_FILE_ENV];
    if (!file) return;
    const times: CheckTime[] = [];
    for (const module of modules) {
      for (const testCase of module.children.allTests()) {
        const meta = testCase.meta().check;
        const submission = testCase.meta().submission;
        if (meta) times.push({ todo: meta.todo, name: meta.name, seconds: (testCase.diagnostic()?.duration ?? 0) / 1000, ...(submission !== undefined ? { submission } : {}) });
      }
    }
    writeFileSync(file, JSON.stringify(times), { mode: 0o600 });
  }
}
