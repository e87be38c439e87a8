/**
 * Lab 08 proves itself: the solution scores full marks (embedded; on moto every check
 * it can grade passes), the generated starter scores 0 with every TODO "not
 * implemented", and each known-wrong submission under fixtures/submissions/08-roles-and-sessions
 * loses exactly the checks its expected.json lists. Runs the real CLI (see the runner).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtures, root, startRuns, type CliRun } from './self-validation-runner.ts';

const LAB = 8;
const LAB_ID = '08-roles-and-sessions';
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

const TIMEOUT = 300_000;

describe(`lab ${LAB_ID} self-validation (seed printed in failures)`, () => {
  it('the solution scores full marks on the embedded backend and exits 0', { timeout: TIMEOUT }, async () => {
    const { exitCode, result, stderr } = await runs.get('solution')!;
    expect(result.checks.filter((c) => c.status !== 'passed'), `seed ${seed}`).toEqual([]);
    expect(result.score).toBe(result.max_score);
    expect(result.max_score).toBe(17);
    expect(exitCode).toBe(0);
    // The program ran (its output goes to stderr under --json): the role read but could not write.
    expect(stderr).toMatch(/read notes\/notes.json: allowed\n {2}write \S+: denied/);
    expect(stderr).toContain('End of roles and sessions script');
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

  it.each(fixtures.map((f) => f.name))('known-wrong submission %s loses exactly the checks it should', { timeout: TIMEOUT }, async (name) => {
    const expected = fixtures.find((f) => f.name === name)!.failing;
    const { exitCode, result } = await runs.get(name)!;
    const failing = result.checks.filter((c) => c.status !== 'passed');
    expect(failing.map((c) => c.name).sort(), `seed ${seed}: ${JSON.stringify(failing, null, 2)}`).toEqual([...expected].sort());
    expect(exitCode).toBe(1);
  });

  it('on moto, the solution passes every check moto can grade; the others are not gradable', { timeout: TIMEOUT }, async () => {
    const { exitCode, result } = await runs.get('moto')!;
    expect(result.backend).toBe('moto');
    expect(result.checks.filter((c) => c.status === 'failed'), `seed ${seed}`).toEqual([]);
    const notGradable = result.checks.filter((c) => c.status === 'not_gradable');
    expect(notGradable.map((c) => c.name).sort()).toEqual(
      [
        'builds an S3 client that signs with the session credentials, token included',
        'reports the read allowed and the write denied, after really trying the write with the session',
        'assumes the role again once the clock passes Expiration (the old session is refused with ExpiredToken)',
        'gets an MFA session with SerialNumber and the current code (an MFA-only permission then works)',
        'lets the AccessDenied of a wrong code through (no fallback without MFA)',
        'decodes the encoded message of a denial into its verdict, action, resource and principal',
      ].sort(),
    );
    for (const check of notGradable) expect(check.message).toMatch(/^not gradable on moto: /);
    expect(exitCode).toBe(0);
  });

  it('every fixture lists only checks that exist', { timeout: TIMEOUT }, async () => {
    const names = new Set((await runs.get('solution')!).result.checks.map((c) => c.name));
    expect(fixtures.length).toBeGreaterThanOrEqual(3);
    for (const fixture of fixtures) {
      expect(fixture.failing.length, fixture.name).toBeGreaterThan(0);
      for (const check of fixture.failing) expect(names.has(check), `${fixture.name}: ${check}`).toBe(true);
    }
  });
});
