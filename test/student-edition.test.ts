/**
 * `npm run release -- --out DIR` on the real course: the edition a student clones.
 *
 * What is proved, honestly: the edition's own files (scripts, harness, checks, labs)
 * run `npm run lab:N` and score 0 on every TODO, with node_modules linked to this
 * project's (the same package.json and package-lock.json, asserted identical, so `npm ci`
 * in the edition installs the tree this project is tested with; the install itself is
 * not repeated here, it needs the registry). No solution region's text appears in any
 * file of the edition (whitespace-normalised), and what must stay with the instructor
 * is absent.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLabs } from '../grader/labs.ts';
import { root } from '../grader/batch/fixture-class.ts';

const workDir = join(root, '.work', `student-edition-${process.pid}`);
const edition = join(workDir, 'repo');

interface LabJson {
  lab: string;
  score: number;
  max_score: number;
  checks: Array<{ todo: number; name: string; status: string; message: string }>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const full = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Every solution region of the instructor's labs: its file and its text (the lines between the markers). */
function solutionRegions(): Array<{ file: string; text: string }> {
  const regions: Array<{ file: string; text: string }> = [];
  for (const file of filesUnder(join(root, 'labs')).filter((f) => /\.(ts|js|mjs|cjs)$/.test(f))) {
    let open: string[] | undefined;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/^\s*\/\/\s*BEGIN SOLUTION\b/.test(line)) open = [];
      else if (/^\s*\/\/\s*END SOLUTION\b/.test(line)) {
        if (open && normalise(open.join('\n'))) regions.push({ file: relative(root, file), text: normalise(open.join('\n')) });
        open = undefined;
      } else open?.push(line);
    }
  }
  return regions;
}

function runLab(args: string[], viaNpm = false): Promise<{ code: number | null; result: LabJson; stderr: string }> {
  const [command, argv] = viaNpm ? ['npm', ['run', '--silent', `lab:${args[0]}`, '--', ...args.slice(1)]] : [process.execPath, ['--import', 'tsx', 'scripts/lab.ts', ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv as string[], { cwd: edition });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, result: JSON.parse(stdout) as LabJson, stderr });
      } catch {
        reject(new Error(`lab ${args[0]} in the edition printed no JSON (exit ${code})\n${stderr.slice(-3000)}`));
      }
    });
  });
}

const labs = listLabs(root);
const runs = new Map<number, Promise<{ code: number | null; result: LabJson; stderr: string }>>();

beforeAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  const release = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/release.ts', '--out', edition], { cwd: root, encoding: 'utf8' });
  if (release.status !== 0) throw new Error(`release failed: ${release.stderr}`);
  symlinkSync(join(root, 'node_modules'), join(edition, 'node_modules'), 'dir');
  // Two at a time (CI has two cores). Lab 2 through npm and with its program, as a student types it.
  let chain: Promise<unknown> = Promise.resolve();
  let other: Promise<unknown> = Promise.resolve();
  labs.forEach((lab, index) => {
    const start = () => (lab.number === 2 ? runLab(['2', '--json'], true) : runLab([String(lab.number), '--json', '--skip-program']));
    const run = (index % 2 === 0 ? chain : other).then(start, start);
    if (index % 2 === 0) chain = run;
    else other = run;
    run.catch(() => undefined);
    runs.set(lab.number, run);
  });
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the student edition (npm run release -- --out DIR)', () => {
  it('has the student README, the self-check workflow, and the same dependencies', () => {
    expect(readFileSync(join(edition, 'README.md'), 'utf8')).toBe(readFileSync(join(root, 'templates/student/README.md'), 'utf8'));
    expect(readFileSync(join(edition, '.github/workflows/classroom.yml'), 'utf8')).toContain('name: Autograding Tests');
    for (const file of ['package.json', 'package-lock.json']) expect(readFileSync(join(edition, file), 'utf8'), file).toBe(readFileSync(join(root, file), 'utf8'));
  });

  it('leaves out hidden checks, known-wrong submissions, the fixture class, instructor templates and solution self-tests', () => {
    const files = filesUnder(edition).map((f) => relative(edition, f));
    expect(files.filter((f) => /\.hidden\.check\.ts$/.test(f))).toEqual([]);
    expect(files.filter((f) => /^(fixtures\/(submissions|class)|templates)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /^test\/(self-validation|release|batch-grading|student-edition|reports)/.test(f))).toEqual([]);
    expect(files.filter((f) => /^labs\/.*\.solution\./.test(f))).toEqual([]);
    // The instructor's side has hidden checks to leave out (else the first assertion proves nothing).
    expect(readdirSync(join(root, 'checks')).some((f) => f.endsWith('.hidden.check.ts'))).toBe(true);
  });

  it('contains no solution region, anywhere, whitespace-normalised', () => {
    const regions = solutionRegions();
    expect(regions.length).toBeGreaterThanOrEqual(labs.length);
    // The search finds a region where it is (its own solution file), so an empty result means absent.
    for (const region of regions) expect(normalise(readFileSync(join(root, region.file), 'utf8')).includes(region.text), region.file).toBe(true);
    const texts = filesUnder(edition)
      .map((file) => ({ file: relative(edition, file), text: readFileSync(file) }))
      .filter(({ text }) => !text.includes(0))
      .map(({ file, text }) => ({ file, text: normalise(text.toString('utf8')) }));
    const leaks = regions.flatMap((region) => texts.filter((t) => t.text.includes(region.text)).map((t) => `${region.file} -> ${t.file}: ${region.text.slice(0, 80)}`));
    expect(leaks).toEqual([]);
  });

  it.each(labs.map((lab) => [lab.number, lab.id] as const))('npm run lab:%i (%s) runs in the edition and scores 0 on every TODO', { timeout: 240_000 }, async (number) => {
    const { code, result, stderr } = await runs.get(number)!;
    const lab = labs.find((l) => l.number === number)!;
    expect(result.score, stderr.slice(-2000)).toBe(0);
    expect(result.max_score).toBeGreaterThan(0);
    expect(code).toBe(1);
    for (const todo of lab.manifest.todos) {
      const checks = result.checks.filter((c) => c.todo === todo.todo);
      expect(checks.length, `TODO ${todo.todo}`).toBeGreaterThan(0);
      for (const check of checks) expect(check.status, check.name).toBe('failed');
    }
    // The per-lab self-validation suites leave the starter to this test: the real edition.
    for (const check of result.checks) expect(check.message, check.name).toMatch(new RegExp(`^TODO ${check.todo} is not implemented yet`));
    if (number === 2) {
      // The program ran, and stopped at the first stub.
      expect(stderr).toContain('Start of create bucket script');
      expect(stderr).toContain('TODO 1 is not implemented yet');
    }
  });
});
