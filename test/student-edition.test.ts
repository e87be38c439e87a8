/**
 * `npm run release -- --out DIR` on the real course: the edition a student clones.
 *
 * What is proved, honestly:
 * - The edition's own files (the bundled runtime and checks, the stubbed labs) run
 *   `npm run lab:N` and score 0 on every TODO; and the instructor's solutions of labs 02
 *   and 06, copied into the edition's labs, score full marks there: the bundled checks,
 *   the bundled emulator and the bundled lab 06 reference grade as the sources do.
 *   node_modules is this project's, as a copy of hard links (a real folder, as `npm ci`
 *   makes, not a symbolic link: the student process may read only the real paths of the SDK
 *   packages); package.json's dependencies and package-lock.json are asserted identical, so
 *   `npm ci` in the edition installs this tree (the install itself needs the registry and is
 *   not repeated here).
 * - No solution region's text appears in any file of the edition (whitespace-normalised).
 * - No readable reference: no file of the emulator's source or of the lab 06 reference; every
 *   code file outside labs/ is a stub that re-exports a bundle, a bundle, or the visible case
 *   table. "Not readable" is checked as: none of their comments appears anywhere in the
 *   edition, nor any of the policy engine's or the reference's function names (minification
 *   renames them) other than those the lab's own API shares. What a bundle keeps, by
 *   nature, is its behaviour, its string literals (AWS error codes and messages, condition
 *   operator names) and property names; it is minified JavaScript, not a reference to read.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRuntimeStub } from '../grader/edition-bundles.ts';
import { listLabs } from '../grader/labs.ts';
import { writeStudentEdition, type StudentEdition } from '../grader/student-edition.ts';
import { spawnCollecting } from './spawn-collecting.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const workDir = join(root, '.work', `student-edition-${process.pid}`);
const edition = join(workDir, 'repo');
/** The labs whose solutions are graded in the edition too. */
const SOLVED_LABS = [2, 6];

interface LabJson {
  lab: string;
  score: number;
  max_score: number;
  checks: Array<{ todo: number; name: string; status: string; message: string }>;
}
interface LabRun {
  code: number | null;
  result: LabJson;
  stderr: string;
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

/** The instructor-only sources whose text must not be readable in the edition. */
const REFERENCE_SOURCES = () => [
  ...filesUnder(join(root, 'emulator')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')),
  join(root, 'fixtures/policy/lab-06-reference.ts'),
];

/** Comment lines of at least 30 characters, whitespace-normalised. */
function commentsOf(source: string): string[] {
  const lines = [...source.matchAll(/\/\/(.*)$/gm)].map((m) => m[1]!);
  for (const block of source.matchAll(/\/\*([\s\S]*?)\*\//g)) lines.push(...block[1]!.split('\n').map((line) => line.replace(/^\s*\*/, '')));
  return lines.map(normalise).filter((line) => line.length >= 30);
}

/** Names of top-level functions and classes. */
function declaredNames(source: string): string[] {
  return [...source.matchAll(/^(?:export\s+)?(?:async\s+)?(?:function\*?|class)\s+(\w+)/gm)].map((m) => m[1]!);
}

async function runLab(args: string[], viaNpm = false): Promise<LabRun> {
  const [command, argv] = viaNpm ? ['npm', ['run', '--silent', `lab:${args[0]}`, '--', ...args.slice(1)]] : [process.execPath, ['runtime/scripts/lab.js', ...args]];
  const { code, stdout, stderr } = await spawnCollecting(command as string, argv as string[], { cwd: edition });
  try {
    return { code, result: JSON.parse(stdout) as LabJson, stderr };
  } catch {
    throw new Error(`lab ${args[0]} in the edition printed no JSON (exit ${code})\n${stderr.slice(-3000)}`);
  }
}

const labs = listLabs(root);
const starterRuns = new Map<number, Promise<LabRun>>();
const solutionRuns = new Map<number, Promise<LabRun>>();
let built: StudentEdition;
/** The edition as written, read before any lab runs (the solutions are copied in later). */
let snapshot: Array<{ file: string; raw: Buffer }>;

beforeAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  built = await writeStudentEdition(root, edition);
  snapshot = filesUnder(edition).map((file) => ({ file: relative(edition, file).split('\\').join('/'), raw: readFileSync(file) }));
  const copy = spawnSync('cp', ['-al', join(root, 'node_modules'), join(edition, 'node_modules')]);
  if (copy.status !== 0) symlinkSync(join(root, 'node_modules'), join(edition, 'node_modules'), 'dir');
  // Two at a time (CI has two cores). Lab 2 through npm and with its program, as a student types it.
  let chain: Promise<unknown> = Promise.resolve();
  let other: Promise<unknown> = Promise.resolve();
  labs.forEach((lab, index) => {
    const start = () => (lab.number === 2 ? runLab(['2', '--json'], true) : runLab([String(lab.number), '--json', '--skip-program']));
    const run = (index % 2 === 0 ? chain : other).then(start, start);
    if (index % 2 === 0) chain = run;
    else other = run;
    run.catch(() => undefined);
    starterRuns.set(lab.number, run);
  });
  // Then the solutions, copied over the starters as a student would fill them in.
  const starters = Promise.allSettled(starterRuns.values());
  for (const number of SOLVED_LABS) {
    const lab = labs.find((l) => l.number === number)!;
    const run = starters.then(() => {
      cpSync(lab.dir, join(edition, 'labs', lab.id), { recursive: true });
      return runLab([String(number), '--json', '--skip-program']);
    });
    run.catch(() => undefined);
    solutionRuns.set(number, run);
  }
}, 120_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the student edition (npm run release -- --out DIR)', () => {
  const editionFiles = () => snapshot.map((s) => s.file);
  const text = (path: string) => snapshot.find((s) => s.file === path)!.raw.toString('utf8');
  const texts = () =>
    snapshot.filter(({ raw }) => !raw.includes(0)).map(({ file, raw }) => ({ file, raw: raw.toString('utf8'), text: normalise(raw.toString('utf8')) }));

  it('has the student README, the self-check workflow, and the same dependencies', () => {
    expect(text('README.md')).toBe(readFileSync(join(root, 'templates/student/README.md'), 'utf8'));
    expect(text('.github/workflows/classroom.yml')).toContain('name: Autograding Tests');
    expect(text('package-lock.json')).toBe(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const mine = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    const theirs = JSON.parse(text('package.json')) as Record<string, Record<string, string>>;
    expect(theirs.dependencies).toEqual(mine.dependencies);
    expect(theirs.devDependencies).toEqual(mine.devDependencies);
    // The scripts a student runs stay; the instructor's (release, grade, ...) go with their files.
    // Each runs its runtime bundle with plain node (no tsx hooks: the bundle is JavaScript).
    for (const lab of labs) expect(theirs.scripts![`lab:${lab.number}`]).toBe(`node runtime/scripts/lab.js ${lab.number}`);
    expect(mine.scripts!['lab:3']).toBe('tsx scripts/lab.ts 3');
    expect(theirs.scripts!.emulator).toBe('node runtime/scripts/emulator.js');
    expect(theirs.scripts!.release).toBeUndefined();
    expect(theirs.scripts!.grade).toBeUndefined();
    const files = new Set(editionFiles());
    for (const command of Object.values(theirs.scripts!)) for (const file of command.match(/[\w./-]+\.(ts|mjs|js)\b/g) ?? []) expect(files.has(file), command).toBe(true);
  });

  it('leaves out hidden checks and the vectors only they read, known-wrong submissions, the fixture class, instructor templates and docs, and the tests', () => {
    const files = editionFiles();
    expect(files.filter((f) => /\.hidden\.check\.ts$/.test(f))).toEqual([]);
    expect(files.filter((f) => /^(fixtures\/(submissions|class|sigv4\/hidden)|templates|docs|test|\.ci)\//.test(f))).toEqual([]);
    // Lab 10's visible SigV4 vectors ship (its checks read them; its README points at them).
    expect(files).toContain('fixtures/sigv4/aws-sig-v4-test-suite/get-vanilla/header-canonical-request.txt');
    expect(files.filter((f) => /^labs\/.*\.solution\./.test(f))).toEqual([]);
    // The instructor's side has hidden checks to leave out (else the first assertion proves nothing).
    expect(readdirSync(join(root, 'checks')).some((f) => f.endsWith('.hidden.check.ts'))).toBe(true);
  });

  it('holds no source of the emulator or of the lab 06 reference: every code file outside labs/ is a stub, a bundle or the case table', () => {
    const files = editionFiles();
    expect(files.filter((f) => f.startsWith('emulator/') || f.includes('lab-06-reference'))).toEqual([]);
    // They were compiled into the bundles (else their absence would prove nothing).
    expect(built.bundles.sources).toEqual(expect.arrayContaining(['emulator/policy/evaluate.ts', 'fixtures/policy/lab-06-reference.ts', 'emulator/server.ts']));
    const inPlaceBundles = built.bundles.entries.filter((entry) => !/\.(ts|mts|cts)$/.test(entry));
    const code = files.filter((f) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(f) && !f.startsWith('labs/') && !f.startsWith('runtime/') && !f.startsWith('fixtures/website/'));
    const readable = code.filter((f) => !isRuntimeStub(text(f)) && !inPlaceBundles.includes(f));
    expect(readable).toEqual(['fixtures/policy/lab-06-cases.ts']);
    expect(code.filter((f) => isRuntimeStub(text(f)))).toEqual(expect.arrayContaining(['scripts/lab.ts', 'checks/02-buckets.check.ts', 'checks/06-policy-evaluation.check.ts', 'checks/vitest.config.ts']));
  });

  it('holds no readable text of the emulator or the lab 06 reference: none of their comments, none of the engine\'s function names', () => {
    const sources = REFERENCE_SOURCES().map((file) => ({ file: relative(root, file), text: readFileSync(file, 'utf8') }));
    const all = texts();
    const comments = [...new Set(sources.flatMap((s) => commentsOf(s.text)))];
    expect(comments.length).toBeGreaterThan(300);
    const leaked = comments.flatMap((comment) => all.filter((t) => t.text.includes(comment)).map((t) => `${t.file}: ${comment}`));
    expect(leaked).toEqual([]);

    // Function and class names of the engine and the reference, those that say what they do
    // (compound words: statementApplies, not date). Not counted: the lab's own API, which the
    // checks call by name (evaluate, wildcardMatch, ...), and names the code itself writes
    // out as text (an error's name).
    const labApi = all.filter((t) => t.file.startsWith('labs/06-policy-evaluation/')).map((t) => t.raw).join('\n');
    const engine = sources.filter((s) => s.file.startsWith('emulator/policy/') || s.file.includes('lab-06-reference'));
    const engineText = engine.map((s) => s.text).join('\n');
    const names = [...new Set(engine.flatMap((s) => declaredNames(s.text)))]
      .filter((name) => /[a-z][A-Z]/.test(name))
      .filter((name) => !new RegExp(`\\b${name}\\b`).test(labApi) && !new RegExp(`['"\`]${name}['"\`]`).test(engineText));
    expect(names.length).toBeGreaterThan(20);
    const runtime = all.filter((t) => t.file.startsWith('runtime/') || isRuntimeStub(t.raw) || built.bundles.entries.includes(t.file));
    const named = names.flatMap((name) => runtime.filter((t) => new RegExp(`\\b${name}\\b`).test(t.raw)).map((t) => `${t.file}: ${name}`));
    expect(named).toEqual([]);

    // Nothing a student reads points at the emulator's source.
    const pointers = all.filter((t) => t.file.endsWith('.md') && /\bemulator\/[\w-]+|lab-06-reference/.test(t.raw)).map((t) => t.file);
    expect(pointers).toEqual([]);
  });

  it('contains no solution region, anywhere, whitespace-normalised', () => {
    const regions = solutionRegions();
    expect(regions.length).toBeGreaterThanOrEqual(labs.length);
    // The search finds a region where it is (its own solution file), so an empty result means absent.
    for (const region of regions) expect(normalise(readFileSync(join(root, region.file), 'utf8')).includes(region.text), region.file).toBe(true);
    const leaks = regions.flatMap((region) => texts().filter((t) => t.text.includes(region.text)).map((t) => `${region.file} -> ${t.file}: ${region.text.slice(0, 80)}`));
    expect(leaks).toEqual([]);
  });

  it.each(labs.map((lab) => [lab.number, lab.id] as const))('npm run lab:%i (%s) runs in the edition and scores 0 on every TODO', { timeout: 300_000 }, async (number) => {
    const { code, result, stderr } = await starterRuns.get(number)!;
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

  it.each(SOLVED_LABS)('lab %i: the solution, copied into the edition, scores full marks with the bundled checks and emulator', { timeout: 400_000 }, async (number) => {
    const { code, result, stderr } = await solutionRuns.get(number)!;
    const failed = result.checks.filter((c) => c.status !== 'passed').map((c) => `TODO ${c.todo} ${c.name}: ${c.status} ${c.message}`);
    expect(failed, stderr.slice(-2000)).toEqual([]);
    // (The maximum is the visible checks': the hidden ones are the instructor's.)
    expect(result.score).toBe(result.max_score);
    expect(result.max_score).toBeGreaterThan(0);
    for (const todo of labs.find((l) => l.number === number)!.manifest.todos) expect(result.checks.some((c) => c.todo === todo.todo), `TODO ${todo.todo}`).toBe(true);
    expect(code).toBe(0);
  });
});
