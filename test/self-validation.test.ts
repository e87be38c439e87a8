/**
 * The harness proves itself: lab 02's solution scores full marks (embedded, and on moto
 * for the checks moto can grade), the generated student edition scores 0 with every
 * TODO "not implemented", and each known-wrong submission under
 * fixtures/submissions/02-buckets loses exactly the checks its expected.json lists.
 *
 * The solution runs through the real CLI (`tsx scripts/lab.ts 2 --json`, the program
 * included); the other cases call the runner in-process (the same runLab() the CLI
 * calls, without a tsx start per case) on copies of the lab under .work/ (inside the
 * project, so the copies resolve node_modules).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFullMarks } from '../scripts/lib/lab-result.ts';
import { runLab } from '../scripts/lib/run-lab.ts';
import { planStudentEdition } from '../scripts/lib/student-edition.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const LAB = '02-buckets';
const fixturesDir = join(root, 'fixtures/submissions', LAB);
const workDir = join(root, '.work', `self-validation-${process.pid}`);
const seed = Math.floor(Math.random() * 1_000_000);

interface JsonResult {
  lab: string;
  score: number;
  max_score: number;
  backend: string;
  seed: number;
  checks: Array<{ todo: number; name: string; points: number; max_points: number; status: string; message: string }>;
}

interface CliRun {
  exitCode: number | null;
  result: JsonResult;
  stderr: string;
}

/** At most two lab runs at a time: each is a few processes, and CI has two cores. */
const queue: Array<() => void> = [];
let running = 0;
async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** A lab run in this process; `exitCode` is what the CLI would exit with. */
function runLabInProcess(options: { submission?: string; backend?: 'embedded' | 'moto' }): Promise<CliRun> {
  return limited(async () => {
    const { result } = await runLab({ root, lab: 2, backend: options.backend ?? 'embedded', submission: options.submission, seed, skipProgram: true, json: true });
    return { exitCode: isFullMarks(result) ? 0 : 1, result: JSON.parse(JSON.stringify(result)) as JsonResult, stderr: '' };
  });
}

function runLabCli(args: string[]): Promise<CliRun> {
  return limited(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lab.ts', '2', '--json', '--seed', String(seed), ...args], { cwd: root });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (exitCode) => {
          try {
            resolve({ exitCode, result: JSON.parse(stdout) as JsonResult, stderr });
          } catch {
            reject(new Error(`lab.ts printed no JSON result (exit ${exitCode}, seed ${seed}).\nstdout: ${stdout}\nstderr: ${stderr}`));
          }
        });
      }),
  );
}

/** A copy of the lab with some files replaced: the shape of a student's submission. */
function overlay(name: string, files: Array<{ path: string; text: string | Buffer }>): string {
  const dir = join(workDir, name, LAB);
  cpSync(join(root, 'labs', LAB), dir, { recursive: true });
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.text);
  }
  return dir;
}

const fixtures = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const runs = new Map<string, Promise<CliRun>>();

beforeAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  // The solution, with the lab's program run first, exactly as a student runs it.
  runs.set('solution', runLabCli([]));

  const starter = planStudentEdition(root)
    .filter((file) => file.path.startsWith(`labs/${LAB}/`))
    .map((file) => ({ path: file.path.slice(`labs/${LAB}/`.length), text: file.text }));
  runs.set('starter', runLabInProcess({ submission: overlay('starter', starter) }));

  for (const name of fixtures) {
    const files = readdirSync(join(fixturesDir, name))
      .filter((file) => file !== 'expected.json')
      .map((file) => ({ path: file, text: readFileSync(join(fixturesDir, name, file)) }));
    runs.set(name, runLabInProcess({ submission: overlay(name, files) }));
  }
  runs.set('moto', runLabInProcess({ backend: 'moto' }));
  // Unhandled-rejection guard: each test awaits its own run; failures surface there.
  for (const run of runs.values()) run.catch(() => undefined);
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

const TIMEOUT = 180_000;

describe(`lab ${LAB} self-validation (seed printed in failures)`, () => {
  it('the solution scores full marks on the embedded backend and exits 0', { timeout: TIMEOUT }, async () => {
    const { exitCode, result, stderr } = await runs.get('solution')!;
    expect(result.checks.filter((c) => c.status !== 'passed'), `seed ${seed}`).toEqual([]);
    expect(result.score).toBe(result.max_score);
    expect(result.max_score).toBe(13);
    expect(exitCode).toBe(0);
    // The program ran (its output goes to stderr under --json) and finished its script.
    expect(stderr).toContain('End of create bucket script');
  });

  it('the generated starter scores 0, every check failing as "TODO n is not implemented yet"', { timeout: TIMEOUT }, async () => {
    const { exitCode, result } = await runs.get('starter')!;
    expect(result.score).toBe(0);
    expect(exitCode).toBe(1);
    for (const check of result.checks) {
      expect(check.status, check.name).toBe('failed');
      expect(check.message, check.name).toMatch(new RegExp(`^TODO ${check.todo} is not implemented yet`));
    }
    expect(new Set(result.checks.map((c) => c.todo))).toEqual(new Set([1, 2, 3, 4]));
  });

  it.each(fixtures)('known-wrong submission %s loses exactly the checks it should', { timeout: TIMEOUT }, async (name) => {
    const expected = JSON.parse(readFileSync(join(fixturesDir, name, 'expected.json'), 'utf8')) as { failing: string[] };
    const { exitCode, result } = await runs.get(name)!;
    const failing = result.checks.filter((c) => c.status !== 'passed').map((c) => c.name);
    expect(failing.sort(), `seed ${seed}: ${JSON.stringify(result.checks.filter((c) => c.status !== 'passed'), null, 2)}`).toEqual(
      [...expected.failing].sort(),
    );
    expect(exitCode).toBe(1);
  });

  it('on moto, the solution passes every check moto can grade; the others are not gradable', { timeout: TIMEOUT }, async () => {
    const { exitCode, result } = await runs.get('moto')!;
    expect(result.backend).toBe('moto');
    expect(result.checks.filter((c) => c.status === 'failed'), `seed ${seed}`).toEqual([]);
    const notGradable = result.checks.filter((c) => c.status === 'not_gradable');
    expect(notGradable.map((c) => c.name).sort()).toEqual(
      [
        'tries each request maxAttempts times in all',
        "says 'owned-by-another-account' for a bucket someone else owns (HeadBucket 403)",
        'returns only once the new bucket is visible, polling about once a second',
      ].sort(),
    );
    for (const check of notGradable) expect(check.message).toMatch(/^not gradable on moto: /);
    expect(result.score).toBe(result.max_score);
    expect(exitCode).toBe(0);
  });

  it("lab.json's points per TODO are the sums of the checks' points", { timeout: TIMEOUT }, async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'labs', LAB, 'lab.json'), 'utf8')) as { todos: Array<{ todo: number; points: number }> };
    const { result } = await runs.get('solution')!;
    const sums = new Map<number, number>();
    for (const check of result.checks) sums.set(check.todo, (sums.get(check.todo) ?? 0) + check.max_points);
    expect(Object.fromEntries(sums)).toEqual(Object.fromEntries(manifest.todos.map((t) => [t.todo, t.points])));
  });

  it('every fixture lists only checks that exist', { timeout: TIMEOUT }, async () => {
    const names = new Set((await runs.get('solution')!).result.checks.map((c) => c.name));
    for (const name of fixtures) {
      const expected = JSON.parse(readFileSync(join(fixturesDir, name, 'expected.json'), 'utf8')) as { failing: string[] };
      expect(expected.failing.length, name).toBeGreaterThan(0);
      for (const check of expected.failing) expect(names.has(check), `${name}: ${check}`).toBe(true);
    }
    expect(existsSync(workDir)).toBe(true);
  });
});
