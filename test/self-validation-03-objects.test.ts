/**
 * Lab 03 (objects) proves itself: the solution scores full marks (embedded, and on moto,
 * which can grade every check of this lab), the generated starter scores 0 with every
 * TODO "not implemented", and each known-wrong submission under
 * fixtures/submissions/03-objects loses exactly the checks its expected.json lists.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { readFixtures, root, startRuns, type CliRun } from './self-validation-runner.ts';

const LAB = 3;
const LAB_ID = '03-objects';
const workDir = join(root, '.work', `self-validation-${LAB_ID}-${process.pid}`);
const seed = Math.floor(Math.random() * 1_000_000);
const fixtures = readFixtures(LAB_ID);
let runs: Map<string, Promise<CliRun>>;

beforeAll(() => {
  runs = startRuns(LAB, LAB_ID, workDir, seed);
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

const TIMEOUT = 180_000;

describe(`lab ${LAB_ID} self-validation (seed printed in failures)`, () => {
  it('the solution scores full marks on the embedded backend and exits 0', { timeout: TIMEOUT }, async () => {
    const { exitCode, result, stderr } = await runs.get('solution')!;
    expect(result.checks.filter((c) => c.status !== 'passed'), `seed ${seed}`).toEqual([]);
    expect(result.score).toBe(result.max_score);
    expect(result.max_score).toBe(20);
    expect(exitCode).toBe(0);
    // The program ran both course scripts to the end (its output goes to stderr under --json).
    expect(stderr).toContain('End of create object script');
    expect(stderr).toContain('End of convert object script');
  });

  it('the generated starter scores 0, every check failing as "TODO n is not implemented yet"', { timeout: TIMEOUT }, async () => {
    const { exitCode, result } = await runs.get('starter')!;
    expect(result.score).toBe(0);
    expect(exitCode).toBe(1);
    for (const check of result.checks) {
      expect(check.status, check.name).toBe('failed');
      expect(check.message, check.name).toMatch(new RegExp(`^TODO ${check.todo} is not implemented yet`));
    }
    expect(new Set(result.checks.map((c) => c.todo))).toEqual(new Set([5, 6, 7, 8]));
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('known-wrong submission %s loses exactly the checks it should', { timeout: TIMEOUT }, async (name, fixture) => {
    const { exitCode, result } = await runs.get(name)!;
    const failing = result.checks.filter((c) => c.status !== 'passed').map((c) => c.name);
    expect(failing.sort(), `seed ${seed}: ${JSON.stringify(result.checks.filter((c) => c.status !== 'passed'), null, 2)}`).toEqual([...fixture.failing].sort());
    expect(exitCode).toBe(1);
  });

  it('on moto, the solution passes every check (this lab needs nothing moto lacks)', { timeout: TIMEOUT }, async () => {
    const { exitCode, result } = await runs.get('moto')!;
    expect(result.backend).toBe('moto');
    expect(result.checks.filter((c) => c.status !== 'passed'), `seed ${seed}`).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('every fixture lists only checks that exist', { timeout: TIMEOUT }, async () => {
    const names = new Set((await runs.get('solution')!).result.checks.map((c) => c.name));
    for (const fixture of fixtures) {
      expect(fixture.failing.length, fixture.name).toBeGreaterThan(0);
      for (const check of fixture.failing) expect(names.has(check), `${fixture.name}: ${check}`).toBe(true);
    }
  });
});
