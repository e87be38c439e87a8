/**
 * Shared by the per-lab self-validation suites (test/self-validation-NN-name.test.ts):
 * runs the real lab CLI (`tsx scripts/lab.ts N --json`) on the solution, on the
 * generated starter, on each known-wrong submission under fixtures/submissions/<lab>
 * (a copy of the lab with the fixture's files laid over it) and on moto, so a suite
 * only states what each run must score.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planStudentEdition } from '../scripts/lib/student-edition.ts';

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

export function runLabCli(lab: number, seed: number, args: string[]): Promise<CliRun> {
  return limited(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lab.ts', String(lab), '--json', '--seed', String(seed), ...args], { cwd: root });
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

/** The lab's files as the student edition has them (solutions replaced by stubs). */
export function starterFiles(labId: string): Array<{ path: string; text: string | Buffer }> {
  return planStudentEdition(root)
    .filter((file) => file.path.startsWith(`labs/${labId}/`))
    .map((file) => ({ path: file.path.slice(`labs/${labId}/`.length), text: file.text }));
}

/** Starts every run of a lab at once (the queue keeps two going); each test awaits its own. */
export function startRuns(lab: number, labId: string, workDir: string, seed: number): Map<string, Promise<CliRun>> {
  rmSync(workDir, { recursive: true, force: true });
  const runs = new Map<string, Promise<CliRun>>();
  runs.set('solution', runLabCli(lab, seed, []));
  runs.set('starter', runLabCli(lab, seed, ['--skip-program', '--submission', overlay(workDir, labId, 'starter', starterFiles(labId))]));
  for (const fixture of readFixtures(labId)) {
    runs.set(fixture.name, runLabCli(lab, seed, ['--skip-program', '--submission', overlay(workDir, labId, fixture.name, fixture.files)]));
  }
  runs.set('moto', runLabCli(lab, seed, ['--skip-program', '--backend', 'moto']));
  // Unhandled-rejection guard: each test awaits its own run; failures surface there.
  for (const run of runs.values()) run.catch(() => undefined);
  return runs;
}
