/**
 * The student edition (`npm run release -- --out DIR`), on small project trees built for
 * the test and on the real course. What the real edition holds and how it grades is
 * test/student-edition.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isRuntimeStub } from '../grader/edition-bundles.ts';
import { planStudentEdition, writeStudentEdition } from '../grader/student-edition.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const workDir = join(root, '.work', `release-test-${process.pid}`);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = join(workDir, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const list = (dir: string, prefix = ''): string[] =>
  readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(dir, join(prefix, e.name)) : [join(prefix, e.name)]));

const SOLVED = ['export function answer(): number {', '  // TODO 1: the answer', '  // BEGIN SOLUTION', '  return 42;', '  // END SOLUTION', '}', ''].join('\n');

describe('student edition', () => {
  it('stubs solutions in labs/, compiles the checks, and leaves out every other source, hidden checks and submissions', { timeout: 60_000 }, async () => {
    const project = tree('project', {
      'package.json': '{}',
      'labs/01-x/answer.ts': SOLVED,
      'labs/01-x/config.ini': '[S3]\n',
      'checks/01-x.check.ts': "import { secret } from '../emulator/secret.ts';\nexport const visible = secret();\n",
      'checks/01-x.hidden.check.ts': '// hidden checks\n',
      'emulator/secret.ts': '// HOW THE ENGINE DECIDES, IN WORDS\nexport function secretEngineDecision(): number {\n  return 7;\n}\nexport const secret = secretEngineDecision;\n',
      'fixtures/submissions/01-x/wrong/answer.ts': 'export const wrong = 1;\n',
      'fixtures/notes.csv': 'a,b\n',
      'test/self-validation.test.ts': '// needs solutions\n',
      'test/conformance.test.ts': '// instructor-side source\n',
      'grader/notes.ts': '  // BEGIN SOLUTION\n', // outside labs/: not a lab file, not an entry: left out
      'docs/instructors.md': '# for instructors\n',
      'node_modules/x/index.js': '',
      '.work/tmp.txt': '',
    });
    const out = join(workDir, 'edition');
    const { files, bundles } = await writeStudentEdition(project, out);

    expect(list(out).sort()).toEqual(
      [
        'checks/01-x.check.ts',
        'fixtures/notes.csv',
        'labs/01-x/answer.ts',
        'labs/01-x/config.ini',
        'package.json',
        'runtime/README.md',
        'runtime/checks/01-x.check.js',
      ].sort(),
    );
    expect(readFileSync(join(out, 'labs/01-x/answer.ts'), 'utf8')).toBe(
      ['export function answer(): number {', '  // TODO 1: the answer', "  throw new Error('TODO 1 is not implemented yet');", '}', ''].join('\n'),
    );
    expect(files.find((f) => f.path === 'labs/01-x/answer.ts')?.todos).toEqual([1]);
    // The check is a stub; its bundle holds the engine's behaviour, not its comments or names.
    const stub = readFileSync(join(out, 'checks/01-x.check.ts'), 'utf8');
    expect(isRuntimeStub(stub), stub).toBe(true);
    expect(stub).toContain('export * from "../runtime/checks/01-x.check.js";');
    const bundle = readFileSync(join(out, 'runtime/checks/01-x.check.js'), 'utf8');
    expect(bundle).not.toContain('HOW THE ENGINE DECIDES');
    expect(bundle).not.toContain('secretEngineDecision');
    expect(bundles.entries).toEqual(['checks/01-x.check.ts']);
    expect(bundles.sources).toEqual(['checks/01-x.check.ts', 'emulator/secret.ts']);
  });

  it('keeps what the bundled code finds through import.meta where the sources had it, and bundles what it loads by path', { timeout: 60_000 }, async () => {
    const project = tree('meta', {
      'package.json': JSON.stringify({ type: 'module', scripts: { lab: 'tsx scripts/lab.ts', grade: 'tsx scripts/grade.ts', test: 'vitest run' } }, null, 2),
      'scripts/lab.ts': "import { where } from '../grader/where.ts';\nconsole.log(JSON.stringify(where()));\n",
      'scripts/grade.ts': 'console.log("instructors only");\n',
      'grader/where.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { fileURLToPath } from 'node:url';",
        'export function where() {',
        '  return {',
        "    root: fileURLToPath(new URL('..', import.meta.url)),",
        "    data: readFileSync(new URL('../fixtures/data.txt', import.meta.url), 'utf8'),",
        '    dirname: import.meta.dirname,',
        "    guard: readFileSync(new URL('../sandbox/guard.mjs', import.meta.url), 'utf8').length > 0,",
        "    config: 'tools/run.config.ts',",
        '  };',
        '}',
        '',
      ].join('\n'),
      'tools/run.config.ts': "export default { reporter: './tools/reporter.ts' };\n",
      'tools/reporter.ts': 'export default class Reporter {}\n',
      'sandbox/guard.mjs': "import { helper } from './helper.mjs';\nhelper();\n",
      'sandbox/helper.mjs': 'export function helper() {\n  globalThis.guarded = true;\n}\n',
      'fixtures/data.txt': 'data the code reads',
    });
    const out = join(workDir, 'meta-edition');
    const { bundles } = await writeStudentEdition(project, out);
    // Found by path: the config (a literal relative to the root), its reporter, the guard (a new URL).
    expect(bundles.entries).toEqual(['sandbox/guard.mjs', 'scripts/lab.ts', 'tools/reporter.ts', 'tools/run.config.ts']);
    expect(bundles.assets).toEqual([{ path: 'fixtures/data.txt', readBy: 'grader/where.ts' }]);
    expect(existsSync(join(out, 'grader/where.ts'))).toBe(false);
    expect(existsSync(join(out, 'sandbox/helper.mjs'))).toBe(false);
    // A JavaScript entry is replaced in place, self-contained (it may be copied elsewhere and run).
    expect(readFileSync(join(out, 'sandbox/guard.mjs'), 'utf8')).not.toMatch(/import/);
    expect(readFileSync(join(out, 'tools/reporter.ts'), 'utf8')).toContain('export { default } from "../runtime/tools/reporter.js";');
    // Scripts whose file the edition does not have are dropped; an entry run through tsx runs its bundle with plain node.
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')).scripts).toEqual({ lab: 'node runtime/scripts/lab.js', test: 'vitest run' });

    // The same answers through the script's bundle and through the stub at the entry's path.
    for (const command of [['runtime/scripts/lab.js'], ['--import', 'tsx', 'scripts/lab.ts']]) {
      const run = spawnSync(process.execPath, command, { cwd: out, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout), command.join(' ')).toEqual({ root: `${out}/`, data: 'data the code reads', dirname: join(out, 'grader'), guard: true, config: 'tools/run.config.ts' });
    }
  });

  it('fails when the bundled code loads emulator source by path, or reads a file the edition leaves out', { timeout: 60_000 }, async () => {
    const byPath = tree('by-path', { 'scripts/lab.ts': "console.log(new URL('../emulator/engine.ts', import.meta.url).href);\n", 'emulator/engine.ts': 'export {};\n' });
    await expect(writeStudentEdition(byPath, join(workDir, 'by-path-edition'))).rejects.toThrow('scripts/lab.ts load(s) emulator/engine.ts by path at run time');
    const missing = tree('missing', { 'scripts/lab.ts': "import { readFileSync } from 'node:fs';\nreadFileSync(new URL('../docs/guide.md', import.meta.url));\n", 'docs/guide.md': '# guide\n' });
    await expect(writeStudentEdition(missing, join(workDir, 'missing-edition'))).rejects.toThrow('docs/guide.md (read by scripts/lab.ts)');
    expect(existsSync(join(workDir, 'missing-edition'))).toBe(false);
  });

  it('fails with file:line on unbalanced markers and writes nothing', async () => {
    const project = tree('broken', { 'labs/01-x/answer.ts': 'x();\n// TODO 2\n// BEGIN SOLUTION\ny();\n' });
    const out = join(workDir, 'broken-edition');
    await expect(writeStudentEdition(project, out)).rejects.toThrow('labs/01-x/answer.ts:3: BEGIN SOLUTION is never closed');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to write into a folder that is not empty', async () => {
    const out = tree('full', { 'keep.txt': 'mine' });
    await expect(writeStudentEdition(tree('p2', { 'a.txt': '' }), out)).rejects.toThrow('is not empty');
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('on the real course: no solution is left in any lab code, and every lab 02 TODO has a stub', () => {
    const labFiles = planStudentEdition(root).filter((f) => f.path.startsWith('labs/') && /\.(ts|js|mjs|cjs)$/.test(f.path));
    for (const file of labFiles) expect(String(file.text), file.path).not.toMatch(/BEGIN SOLUTION|END SOLUTION/);
    const lab02 = labFiles.filter((f) => f.path.startsWith('labs/02-buckets/')).flatMap((f) => f.todos);
    expect(lab02.sort()).toEqual([1, 2, 3, 4]);
  });

  it('npm run release -- --out DIR reports the stubs and the runtime, and exits 0', { timeout: 120_000 }, () => {
    const out = join(workDir, 'cli-edition');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/release.ts', '--out', out], { cwd: root, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('labs/02-buckets/create-bucket.ts: TODO 3 stubbed');
    // Each TODO once, with its count of solution regions (not "TODO 1, 1, 1").
    expect(run.stdout).toContain('labs/06-policy-evaluation/pattern-match.ts: TODO 1 (3 regions) stubbed');
    expect(run.stdout).toMatch(/runtime: \d+ entries bundled from \d+ source files \(.*scripts\/lab\.ts/);
    expect(existsSync(join(out, 'fixtures/submissions'))).toBe(false);
    expect(existsSync(join(out, 'emulator'))).toBe(false);
    expect(isRuntimeStub(readFileSync(join(out, 'scripts/lab.ts'), 'utf8'))).toBe(true);
  });
});
