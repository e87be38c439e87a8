import { writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { DEFAULT_CHECK_TIMEOUT_SECONDS, type CheckMeta } from './check-meta.ts';

/** One graded check as the lab runner reports it. */
export interface CheckResult {
  todo: number;
  name: string;
  /** Points earned. */
  points: number;
  max_points: number;
  status: 'passed' | 'failed' | 'not_gradable';
  /** Why it failed or could not be graded; empty when passed. */
  message: string;
  hint: string;
  hidden: boolean;
}

/** What the reporter writes to $LAB_RESULTS_FILE: the checks, or the problems that kept them from running. */
export interface ReporterOutput {
  checks: CheckResult[];
  /** Problems with the checks themselves (a check file that does not load, a plain test()): the run cannot be scored. */
  problems: string[];
}

export const RESULTS_FILE_ENV = 'LAB_RESULTS_FILE';

/** The vitest reporter of checks/vitest.config.ts: turns each test's `meta.check` and result into a CheckResult. */
export default class LabReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message?: string }>): void {
    const output: ReporterOutput = { checks: [], problems: errors.map((e) => e.message ?? String(e)) };
    for (const module of modules) {
      for (const error of module.errors()) output.problems.push(`${module.moduleId}: ${error.message}`);
      for (const testCase of module.children.allTests()) {
        const meta = testCase.meta().check;
        if (!meta) {
          output.problems.push(`${module.moduleId}: "${testCase.name}" is a plain test; lab checks are declared with check()`);
          continue;
        }
        if (meta.hidden !== module.moduleId.endsWith('.hidden.check.ts')) {
          output.problems.push(`${module.moduleId}: "${meta.name}" ${meta.hidden ? 'is hidden but not in' : 'is not hidden but is in'} a .hidden.check.ts file`);
        }
        output.checks.push(toResult(meta, testCase));
      }
    }
    const file = process.env[RESULTS_FILE_ENV];
    if (file) writeFileSync(file, JSON.stringify(output));
    else process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  }
}

function toResult(meta: CheckMeta, testCase: TestCase): CheckResult {
  const base = { todo: meta.todo, name: meta.name, max_points: meta.points, hint: meta.hint, hidden: meta.hidden };
  const result = testCase.result();
  switch (result.state) {
    case 'passed':
      return { ...base, points: meta.points, status: 'passed', message: '' };
    case 'skipped':
      return { ...base, points: 0, status: 'not_gradable', message: result.note ?? 'not gradable on this backend' };
    case 'failed':
      return { ...base, points: 0, status: 'failed', message: failureMessage(result.errors[0]?.message, testCase) };
    default:
      return { ...base, points: 0, status: 'failed', message: 'the check did not run' };
  }
}

function failureMessage(message: string | undefined, testCase: TestCase): string {
  if (message && /^Test timed out in \d+ms/.test(message)) {
    const seconds = (testCase.options.timeout ?? DEFAULT_CHECK_TIMEOUT_SECONDS * 1000) / 1000;
    return `Your code did not finish within ${seconds} s (is it waiting for something that never happens, or too long between polls?).`;
  }
  return message ?? 'failed';
}
