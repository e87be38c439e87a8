import type { Writable } from 'node:stream';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { CheckMeta } from '../../checks/support/check.ts';
import { DEFAULT_CHECK_TIMEOUT_SECONDS } from '../../checks/support/check.ts';
import type { CheckResult } from './lab-result.ts';

export interface GradeOptions {
  /** Project root (where checks/ lives). */
  root: string;
  /** Check files relative to root, e.g. ["checks/02-buckets.check.ts"]. */
  checkFiles: string[];
  /** Where vitest's own output goes (stderr under --json, so stdout stays JSON). */
  output: Writable;
}

/** A problem with the lab's checks themselves (not the student's code): the run cannot be scored. */
export class HarnessError extends Error {
  override name = 'HarnessError';
}

export interface Grader {
  /** Runs the checks; the environment (LAB_* and the scrubbed AWS_*) must be set on process.env first. */
  run(): Promise<CheckResult[]>;
  close(): Promise<void>;
}

/**
 * Prepares vitest to run a lab's checks with our own reporter. Split from `run()` so
 * the lab runner can prepare it while the student's program is still running.
 */
export async function createGrader(options: GradeOptions): Promise<Grader> {
  const { createVitest } = await import('vitest/node');
  const collector = new CheckCollector();
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root: options.root,
      include: options.checkFiles,
      watch: false,
      reporters: [collector],
      // One file, checks in order in one worker: the backend is shared and reset per check.
      fileParallelism: false,
      pool: 'threads',
      // The student's console output during checks is noise on the scorecard.
      silent: true,
    },
    { logLevel: 'error' },
    { stdout: options.output, stderr: options.output },
  );
  return {
    async run() {
      await vitest.start();
      return collector.results();
    },
    close: () => vitest.close(),
  };
}

class CheckCollector implements Reporter {
  private modules: ReadonlyArray<TestModule> = [];
  private unhandled: string[] = [];

  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message?: string }>): void {
    this.modules = modules;
    this.unhandled = errors.map((e) => e.message ?? String(e));
  }

  results(): CheckResult[] {
    const problems: string[] = [...this.unhandled];
    const results: CheckResult[] = [];
    for (const module of this.modules) {
      for (const error of module.errors()) problems.push(`${module.moduleId}: ${error.message}`);
      for (const testCase of module.children.allTests()) {
        const meta = testCase.meta().check;
        if (!meta) {
          problems.push(`${module.moduleId}: "${testCase.name}" is a plain test; lab checks are declared with check()`);
          continue;
        }
        if (meta.hidden !== module.moduleId.endsWith('.hidden.check.ts')) {
          problems.push(`${module.moduleId}: "${meta.name}" ${meta.hidden ? 'is hidden but not in' : 'is not hidden but is in'} a .hidden.check.ts file`);
        }
        results.push(toResult(meta, testCase));
      }
    }
    if (problems.length > 0) throw new HarnessError(`The lab's checks could not run:\n${problems.join('\n')}`);
    if (results.length === 0) throw new HarnessError('The lab has no checks.');
    return results;
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
    return `Your code did not finish within ${seconds} s (is it waiting for something that never happens, or waiting too long between polls?).`;
  }
  return message ?? 'failed';
}
