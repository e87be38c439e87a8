/**
 * Lab 06 (policy evaluation) proves itself: the solution scores full marks (embedded; on
 * moto the live checks are not gradable, since moto does not enforce IAM, and every other
 * check passes), the generated starter scores 0 with every TODO "not implemented", and each
 * known-wrong submission under fixtures/submissions/06-policy-evaluation loses exactly the
 * checks its expected.json lists, whatever the seed (the random checks draw 1000 cases).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtures, root, startRuns, type CliRun } from './self-validation-runner.ts';

const LAB = 6;
const LAB_ID = '06-policy-evaluation';
const workDir = join(root, '.work', `self-validation-${LAB_ID}-${process.pid}`);
const seed = Math.floor(Math.random() * 1_000_000);
const fixtures = readFixtures(LAB_ID);
let runs: Map<string, Promise<CliRun>>;

const LIVE_CHECKS = [
  "live: predicts the emulator's answers for the course's office-only notes bucket",
  "live: predicts the emulator's answers for users of the bucket's account and of another account",
];

beforeAll(() => {
  runs = startRuns(LAB, LAB_ID, workDir, seed);
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

const TIMEOUT = 240_000;

describe(`lab ${LAB_ID} self-validation (seed printed in failures)`, () => {
  it('the solution scores full marks on the embedded backend and exits 0', { timeout: TIMEOUT }, async () => {
    const { exitCode, result, stderr } = await runs.get('solution')!;
    expect(result.checks.filter((c) => c.status !== 'passed'), `seed ${seed}`).toEqual([]);
    expect(result.score).toBe(result.max_score);
    expect(result.max_score).toBe(30);
    expect(exitCode).toBe(0);
    // The program ran the course's scenario to the end (its output goes to stderr under --json).
    expect(stderr).toContain('alice lists the bucket from home                           ExplicitDeny');
    expect(stderr).toContain('End of the policy evaluation script');
  });

  it('the generated starter scores 0, every check failing as "TODO n is not implemented yet"', { timeout: TIMEOUT }, async () => {
    const { exitCode, result } = await runs.get('starter')!;
    expect(result.score).toBe(0);
    expect(exitCode).toBe(1);
    for (const check of result.checks) {
      expect(check.status, check.name).toBe('failed');
      expect(check.message, check.name).toMatch(new RegExp(`^TODO ${check.todo} is not implemented yet`));
    }
    expect(new Set(result.checks.map((c) => c.todo))).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('known-wrong submission %s loses exactly the checks it should', { timeout: TIMEOUT }, async (name, fixture) => {
    const { exitCode, result } = await runs.get(name)!;
    const failing = result.checks.filter((c) => c.status !== 'passed').map((c) => c.name);
    expect(failing.sort(), `seed ${seed}: ${JSON.stringify(result.checks.filter((c) => c.status !== 'passed'), null, 2)}`).toEqual([...fixture.failing].sort());
    expect(exitCode).toBe(1);
  });

  it('on moto, the live checks are not gradable and every other check passes', { timeout: TIMEOUT }, async () => {
    const { exitCode, result } = await runs.get('moto')!;
    expect(result.backend).toBe('moto');
    expect(result.checks.filter((c) => c.status === 'failed'), `seed ${seed}`).toEqual([]);
    const notGradable = result.checks.filter((c) => c.status === 'not_gradable');
    expect(notGradable.map((c) => c.name).sort()).toEqual([...LIVE_CHECKS].sort());
    for (const check of notGradable) expect(check.message).toMatch(/^not gradable on moto: /);
    expect(result.score).toBe(result.max_score);
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
