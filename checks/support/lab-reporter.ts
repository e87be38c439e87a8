import { writeFileSync, writeSync } from 'node:fs';
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
  /** The full recipe behind the hint, shown only on demand (`--hint`, or a second failure in a row). */
  recipe?: string;
  hidden: boolean;
  /** What the student's code printed during the check (bounded), when the check recorded it. */
  output?: string;
  /** Which submission of the run (0-based), when the run grades several (LAB_SUBMISSIONS). */
  submission?: number;
}

/** What the reporter writes to $LAB_RESULTS_FILE: the checks, or the problems that kept them from running. */
export interface ReporterOutput {
  checks: CheckResult[];
  /** Problems with the checks themselves (a check file that does not load, a plain test()): the run cannot be scored. */
  problems: string[];
}

export const RESULTS_FILE_ENV = 'LAB_RESULTS_FILE';

/**
 * A file descriptor the lab runner reads progress from, one JSON line per event
 * (ProgressEvent): which check started, and how it ended. The runner draws its live line
 * from them; nothing is written when the variable is unset.
 */
export const PROGRESS_FD_ENV = 'LAB_PROGRESS_FD';

/** `submission`: which submission of the run (0-based), when it grades several. */
export type ProgressEvent =
  | { event: 'start'; todo: number; name: string; submission?: number }
  | { event: 'end'; todo: number; name: string; status: CheckResult['status']; submission?: number };

/** The vitest reporter of checks/vitest.config.ts: turns each test's `meta.check` and result into a CheckResult. */
export default class LabReporter implements Reporter {
  private readonly progressFd = progressFd(process.env);

  onTestCaseReady(testCase: TestCase): void {
    const meta = testCase.meta().check;
    if (meta) this.progress({ event: 'start', todo: meta.todo, name: meta.name, ...submissionOf(testCase) });
  }

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta().check;
    if (meta) this.progress({ event: 'end', todo: meta.todo, name: meta.name, status: toResult(meta, testCase).status, ...submissionOf(testCase) });
  }

  private progress(event: ProgressEvent): void {
    if (this.progressFd === undefined) return;
    try {
      writeSync(this.progressFd, `${JSON.stringify(event)}\n`);
    } catch {
      // The runner stopped reading (it was interrupted): progress is only for show.
    }
  }

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
    // Only the grader reads it (0600): in a batch, it holds every member's results.
    if (file) writeFileSync(file, JSON.stringify(output), { mode: 0o600 });
    else process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  }
}

function submissionOf(testCase: Pick<TestCase, 'meta'>): { submission?: number } {
  const submission = testCase.meta().submission;
  return submission !== undefined ? { submission } : {};
}

function progressFd(env: NodeJS.ProcessEnv): number | undefined {
  const fd = Number(env[PROGRESS_FD_ENV]);
  return Number.isInteger(fd) && fd > 2 ? fd : undefined;
}

/** What the student's code printed during the check: `meta.studentOutput`, recorded by check(). */
function studentOutput(testCase: Pick<TestCase, 'meta'>): string | undefined {
  const output = (testCase.meta() as { studentOutput?: unknown }).studentOutput;
  return typeof output === 'string' && output.length > 0 ? output : undefined;
}

export function toResult(meta: CheckMeta, testCase: Pick<TestCase, 'result' | 'meta' | 'options'>): CheckResult {
  const output = studentOutput(testCase);
  const submission = testCase.meta().submission;
  const base = {
    todo: meta.todo,
    name: meta.name,
    max_points: meta.points,
    hint: meta.hint,
    ...(meta.recipe ? { recipe: meta.recipe } : {}),
    hidden: meta.hidden,
    ...(output !== undefined ? { output } : {}),
    ...(submission !== undefined ? { submission } : {}),
  };
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

function failureMessage(message: string | undefined, testCase: Pick<TestCase, 'options'>): string {
  if (message && /^Test timed out in \d+ms/.test(message)) {
    const seconds = (testCase.options.timeout ?? DEFAULT_CHECK_TIMEOUT_SECONDS * 1000) / 1000;
    return `Your code did not finish within ${seconds} s (is it waiting for something that never happens, or too long between polls?).`;
  }
  return message ?? 'failed';
}
