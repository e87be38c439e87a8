/**
 * Lab 04 (website) proves itself: the solution scores full marks (embedded, and on moto
 * for the checks moto can grade: it has no website endpoint and no request log), the
 * generated starter scores 0 with every TODO "not implemented", and each known-wrong
 * submission under fixtures/submissions/04-website loses exactly the checks its
 * expected.json lists.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtures, root, startRuns, type CliRun } from './self-validation-runner.ts';

const LAB = 4;
const LAB_ID = '04-website';
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
    expect(result.max_score).toBe(25);
    expect(exitCode).toBe(0);
    // The program ran to the end and its own visit of the site worked (its output goes to stderr under --json).
    expect(stderr).toContain('End of static website script');
    expect(stderr).toMatch(/GET http:\/\/\S+\.s3-website\.[a-z0-9-]+\.localhost:\d+\/ -> 200 text\/html/);
    expect(stderr).toMatch(/no-such-page\.html -> 404 text\/html/);
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

  it('on moto, the solution passes every check moto can grade; the website and request-log checks are not gradable', { timeout: TIMEOUT }, async () => {
    const { exitCode, result } = await runs.get('moto')!;
    expect(result.backend).toBe('moto');
    expect(result.checks.filter((c) => c.status === 'failed'), `seed ${seed}`).toEqual([]);
    const notGradable = result.checks.filter((c) => c.status === 'not_gradable');
    expect(notGradable.map((c) => c.name).sort()).toEqual(
      [
        'a second run uploads nothing that did not change',
        'the site root serves the index document, as text/html',
        "a folder URL (/notes/) serves that folder's index document",
        'a missing page gets the error document with status 404',
        'anonymous visitors can read the pages',
        'a missing page answers 404 with the error document, not 403',
        "gives the emulator's website URL, and it serves the site",
      ].sort(),
    );
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
