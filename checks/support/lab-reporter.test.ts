import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestCase } from 'vitest/node';
import type { CheckMeta } from './check-meta.ts';
import LabReporter, { PROGRESS_FD_ENV, toResult } from './lab-reporter.ts';

const dir = mkdtempSync(join(tmpdir(), 'lab-reporter-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta: CheckMeta = { todo: 2, name: "says 'available'", points: 1, hint: 'Look at the status.', recipe: 'Compare with 404.', needs: [], hidden: false };

/** A vitest TestCase as far as the reporter reads it. */
function testCase(state: 'passed' | 'failed', studentOutput?: string): TestCase {
  return {
    meta: () => ({ check: meta, ...(studentOutput === undefined ? {} : { studentOutput }) }),
    result: () => (state === 'passed' ? { state } : { state, errors: [{ message: 'expected: "available"' }] }),
    options: { timeout: 15_000 },
  } as unknown as TestCase;
}

describe('lab reporter', () => {
  it("carries the recipe and the student's captured output of the check into its result", () => {
    expect(toResult(meta, testCase('failed', 'checking the name\n'))).toEqual({
      todo: 2,
      name: "says 'available'",
      points: 0,
      max_points: 1,
      status: 'failed',
      message: 'expected: "available"',
      hint: 'Look at the status.',
      recipe: 'Compare with 404.',
      hidden: false,
      output: 'checking the name\n',
    });
    expect(toResult(meta, testCase('passed'))).not.toHaveProperty('output');
  });

  it('writes a progress line as each check starts and ends, on the descriptor the runner gave', () => {
    const file = join(dir, 'progress');
    const fd = openSync(file, 'w');
    const before = process.env[PROGRESS_FD_ENV];
    process.env[PROGRESS_FD_ENV] = String(fd);
    try {
      const reporter = new LabReporter();
      reporter.onTestCaseReady(testCase('passed'));
      reporter.onTestCaseResult(testCase('failed'));
    } finally {
      if (before === undefined) delete process.env[PROGRESS_FD_ENV];
      else process.env[PROGRESS_FD_ENV] = before;
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      { event: 'start', todo: 2, name: "says 'available'" },
      { event: 'end', todo: 2, name: "says 'available'", status: 'failed' },
    ]);
  });
});
