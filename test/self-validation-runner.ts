/**
 * Shared by the per-lab self-validation suites (test/self-validation*.test.ts). Per lab,
 * three runs: the solution and each known-wrong submission under
 * fixtures/submissions/<lab> (a copy of the lab with the fixture's files laid over it)
 * graded together in one run of the checks, as batch grading does; the solution's
 * program through the real CLI (`tsx scripts/lab.ts N --program-only`); and the
 * solution on moto with the runner's own `runLab()`. A suite only states what each run
 * must score. (The CLI's grading path is proved on the student edition,
 * test/student-edition.test.ts, and by test/lab-cli.test.ts.) A suite may ask for the
 * known-wrong submissions at more seeds (`fixtureSeeds`): one more run of the checks per seed.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../backends/backend.ts';
import { isFullMarks, toJson } from '../grader/lab-result.ts';
import { gradeLabSubmissions, runLab } from '../grader/run-lab.ts';

export const root = fileURLToPath(new URL('..', import.meta.url));

export interface JsonResult {
  lab: string;
  score: number;
  max_score: number;
  backend: string;
  seed: number;
  checks: Array<{ todo: number; name: string; points: number; max_points: number; status: string; message: string }>;
}

export interface CliRun {
  exitCode: number | null;
  result: JsonResult;
  stderr: string;
}

export interface Fixture {
  name: string;
  failing: string[];
  files: Array<{ path: string; text: Buffer }>;
}

/**
 * At most two lab runs at a time per suite: each is a few processes, and CI has two
 * cores. (Lab 05 raises it: its runs mostly wait for tables to change state.)
 */
let concurrency = 2;
const queue: Array<() => void> = [];
let running = 0;
async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** `lab.ts N --program-only --json`: the lab's program alone, through the real CLI (its output on stderr). */
function runProgramOnly(lab: number, seed: number): Promise<CliRun> {
  return limited(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lab.ts', String(lab), '--program-only', '--json', '--seed', String(seed)], { cwd: root });
        let stderr = '';
        child.stdout.resume();
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (exitCode) => resolve({ exitCode, result: undefined as unknown as JsonResult, stderr }));
      }),
  );
}

/** Grades in this process, as `--skip-program --json` would, and answers in the CLI's JSON shape. */
export function runLabInProcess(lab: number, seed: number, options: { submission?: string; backend?: BackendName }): Promise<CliRun> {
  return limited(async () => {
    const { result } = await runLab({ root, lab, backend: options.backend ?? 'embedded', submission: options.submission, seed, skipProgram: true, json: true });
    return { exitCode: isFullMarks(result) ? 0 : 1, result: JSON.parse(toJson(result)) as JsonResult, stderr: '' };
  });
}

/**
 * Grades several submissions in one run of the checks (as batch grading does), each
 * answered in the CLI's JSON shape. One run, not one per submission: vitest and the SDK
 * start once for all the known-wrong submissions of a lab.
 */
export function gradeTogether(lab: number, seed: number, submissions: string[]): Array<Promise<CliRun>> {
  const all = limited(() => gradeLabSubmissions({ root, lab, seed, submissions, json: true }));
  return submissions.map((_, index) =>
    all.then((results) => {
      const result = results[index]!;
      return { exitCode: isFullMarks(result) ? 0 : 1, result: JSON.parse(toJson(result)) as JsonResult, stderr: '' };
    }),
  );
}

export function readFixtures(labId: string): Fixture[] {
  const dir = join(root, 'fixtures/submissions', labId);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const files = readdirSync(join(dir, name)).filter((file) => file !== 'expected.json');
      const { failing } = JSON.parse(readFileSync(join(dir, name, 'expected.json'), 'utf8')) as { failing: string[] };
      return { name, failing, files: files.map((file) => ({ path: file, text: readFileSync(join(dir, name, file)) })) };
    });
}

/** A copy of the lab under `workDir` with some files replaced: the shape of a student's submission. */
export function overlay(workDir: string, labId: string, name: string, files: Array<{ path: string; text: string | Buffer }>): string {
  const dir = join(workDir, name, labId);
  cpSync(join(root, 'labs', labId), dir, { recursive: true });
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.text);
  }
  return dir;
}


/** The key of a known-wrong submission's run at one of the extra seeds. */
export const atSeed = (name: string, seed: number) => `${name} @ seed ${seed}`;

/**
 * Starts every run of a lab at once (the queue keeps `parallel` going); each test awaits its own.
 * `extraSeeds`: the known-wrong submissions are graded again at each (one run of the checks per seed).
 */
export function startRuns(lab: number, labId: string, workDir: string, seed: number, parallel = 2, extraSeeds: number[] = []): Map<string, Promise<CliRun>> {
  concurrency = parallel;
  rmSync(workDir, { recursive: true, force: true });
  const runs = new Map<string, Promise<CliRun>>();
  runs.set('program', runProgramOnly(lab, seed));
  // The solution and every known-wrong submission in one run of the checks.
  const fixtures = readFixtures(labId);
  const dirs = fixtures.map((fixture) => overlay(workDir, labId, fixture.name, fixture.files));
  const graded = gradeTogether(lab, seed, [join(root, 'labs', labId), ...dirs]);
  runs.set('solution', graded[0]!);
  fixtures.forEach((fixture, index) => runs.set(fixture.name, graded[index + 1]!));
  for (const extra of extraSeeds) {
    const again = gradeTogether(lab, extra, dirs);
    fixtures.forEach((fixture, index) => runs.set(atSeed(fixture.name, extra), again[index]!));
  }
  runs.set('moto', runLabInProcess(lab, seed, { backend: 'moto' }));
  // Unhandled-rejection guard: each test awaits its own run; failures surface there.
  for (const run of runs.values()) run.catch(() => undefined);
  return runs;
}

export interface SelfValidationSpec {
  lab: number;
  labId: string;
  maxScore: number;
  /** Lines the lab's program prints when it runs to the end (on stderr under --json). */
  programPrints: string[];
  /** The checks moto cannot grade: reported "not gradable on moto", never passed or failed. */
  notGradableOnMoto: string[];
  /** Lab runs at once (default 2). */
  parallel?: number;
  /** Grade the known-wrong submissions at this many seeds in all (default 1: the run's seed only). */
  fixtureSeeds?: number;
  timeoutMs?: number;
}

/**
 * The suite every lab proves itself with: the solution scores full marks (the program
 * included), each known-wrong submission loses exactly the checks its expected.json
 * lists, on moto every gradable check passes and exactly the expected ones are not
 * gradable, lab.json's points match the checks, and fixtures name only real checks.
 * The starter (score 0, every TODO "not implemented yet") is proved on the real student
 * edition by test/student-edition.test.ts.
 */
export function defineSelfValidation(spec: SelfValidationSpec): void {
  const workDir = join(root, '.work', `self-validation-${spec.labId}-${process.pid}`);
  const seed = Math.floor(Math.random() * 1_000_000);
  // Further seeds for the known-wrong submissions: distinct from the run's and from each other.
  const extraSeeds = Array.from({ length: (spec.fixtureSeeds ?? 1) - 1 }, (_, i) => (seed + (i + 1) * 333_331) % 1_000_000);
  const fixtures = readFixtures(spec.labId);
  const timeout = spec.timeoutMs ?? 300_000;
  let runs: Map<string, Promise<CliRun>>;

  beforeAll(() => {
    runs = startRuns(spec.lab, spec.labId, workDir, seed, spec.parallel, extraSeeds);
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  describe(`lab ${spec.labId} self-validation (seed ${seed})`, () => {
    it('the solution scores full marks on the embedded backend', { timeout }, async () => {
      const { exitCode, result } = await runs.get('solution')!;
      expect(result.checks.filter((c) => c.status !== 'passed'), `seed ${seed}`).toEqual([]);
      expect(result.score).toBe(spec.maxScore);
      expect(result.max_score).toBe(spec.maxScore);
      expect(exitCode).toBe(0);
    });

    it("the solution's program runs to the end through the CLI (--program-only) and exits 0", { timeout }, async () => {
      const { exitCode, stderr } = await runs.get('program')!;
      for (const line of spec.programPrints) expect(stderr).toContain(line);
      expect(exitCode, stderr).toBe(0);
    });

    it.each(fixtures.map((f) => [f.name, f] as const))('known-wrong submission %s loses exactly the checks it should', { timeout }, async (name, fixture) => {
      const { exitCode, result } = await runs.get(name)!;
      const failing = result.checks.filter((c) => c.status !== 'passed');
      expect(failing.map((c) => c.name).sort(), `seed ${seed}: ${JSON.stringify(failing, null, 2)}`).toEqual([...fixture.failing].sort());
      expect(exitCode).toBe(1);
    });

    if (extraSeeds.length > 0) {
      it.each(fixtures.map((f) => [f.name, f] as const))(`known-wrong submission %s loses exactly the same checks at seeds ${extraSeeds.join(' and ')} too`, { timeout }, async (name, fixture) => {
        for (const extra of extraSeeds) {
          const { exitCode, result } = await runs.get(atSeed(name, extra))!;
          const failing = result.checks.filter((c) => c.status !== 'passed');
          expect(failing.map((c) => c.name).sort(), `seed ${extra}: ${JSON.stringify(failing, null, 2)}`).toEqual([...fixture.failing].sort());
          expect(result.seed).toBe(extra);
          expect(exitCode).toBe(1);
        }
      });
    }

    it('on moto, every check moto can grade passes; the others are reported not gradable', { timeout }, async () => {
      const { exitCode, result } = await runs.get('moto')!;
      expect(result.backend).toBe('moto');
      expect(result.checks.filter((c) => c.status === 'failed'), `seed ${seed}`).toEqual([]);
      const notGradable = result.checks.filter((c) => c.status === 'not_gradable');
      expect(notGradable.map((c) => c.name).sort()).toEqual([...spec.notGradableOnMoto].sort());
      for (const check of notGradable) expect(check.message).toMatch(/^not gradable on moto: /);
      expect(result.score).toBe(result.max_score);
      expect(exitCode).toBe(0);
    });

    it("lab.json's points per TODO are the sums of the checks' points", { timeout }, async () => {
      const manifest = JSON.parse(readFileSync(join(root, 'labs', spec.labId, 'lab.json'), 'utf8')) as { todos: Array<{ todo: number; points: number }> };
      const { result } = await runs.get('solution')!;
      const sums = new Map<number, number>();
      for (const check of result.checks) sums.set(check.todo, (sums.get(check.todo) ?? 0) + check.max_points);
      expect(Object.fromEntries(sums)).toEqual(Object.fromEntries(manifest.todos.map((t) => [t.todo, t.points])));
    });

    it('every fixture lists only checks that exist', { timeout }, async () => {
      const names = new Set((await runs.get('solution')!).result.checks.map((c) => c.name));
      for (const fixture of fixtures) {
        expect(fixture.failing.length, fixture.name).toBeGreaterThan(0);
        for (const check of fixture.failing) expect(names.has(check), `${fixture.name}: ${check}`).toBe(true);
      }
    });
  });
}
