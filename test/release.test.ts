/**
 * The student edition (`npm run release -- --out DIR`), on a small project tree built
 * for the test and on the real course.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
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

const SOLVED = ['export function answer(): number {', '  // TODO 1: the answer', '  // BEGIN SOLUTION', '  return 42;', '  // END SOLUTION', '}', ''].join('\n');

describe('student edition', () => {
  it('stubs solutions in labs/ and leaves out hidden checks, submissions and solution self-tests', () => {
    const project = tree('project', {
      'package.json': '{}',
      'labs/01-x/answer.ts': SOLVED,
      'labs/01-x/config.ini': '[S3]\n',
      'checks/01-x.check.ts': '// visible checks\n',
      'checks/01-x.hidden.check.ts': '// hidden checks\n',
      'fixtures/submissions/01-x/wrong/answer.ts': 'export const wrong = 1;\n',
      'fixtures/notes.csv': 'a,b\n',
      'test/self-validation.test.ts': '// needs solutions\n',
      'test/release.test.ts': '// needs solutions\n',
      'test/conformance.test.ts': '// stays\n',
      'grader/notes.ts': '  // BEGIN SOLUTION\n', // outside labs/: not a lab file, left alone
      'node_modules/x/index.js': '',
      '.work/tmp.txt': '',
    });
    const out = join(workDir, 'edition');
    const files = writeStudentEdition(project, out);

    const list = (dir: string, prefix = ''): string[] =>
      readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(dir, join(prefix, e.name)) : [join(prefix, e.name)]));
    expect(list(out).sort()).toEqual(
      [
        'checks/01-x.check.ts',
        'fixtures/notes.csv',
        'labs/01-x/answer.ts',
        'labs/01-x/config.ini',
        'package.json',
        'grader/notes.ts',
        'test/conformance.test.ts',
      ].sort(),
    );
    expect(readFileSync(join(out, 'labs/01-x/answer.ts'), 'utf8')).toBe(
      ['export function answer(): number {', '  // TODO 1: the answer', "  throw new Error('TODO 1 is not implemented yet');", '}', ''].join('\n'),
    );
    expect(readFileSync(join(out, 'grader/notes.ts'), 'utf8')).toBe('  // BEGIN SOLUTION\n');
    expect(files.find((f) => f.path === 'labs/01-x/answer.ts')?.todos).toEqual([1]);
  });

  it('fails with file:line on unbalanced markers and writes nothing', () => {
    const project = tree('broken', { 'labs/01-x/answer.ts': 'x();\n// TODO 2\n// BEGIN SOLUTION\ny();\n' });
    const out = join(workDir, 'broken-edition');
    expect(() => writeStudentEdition(project, out)).toThrow('labs/01-x/answer.ts:3: BEGIN SOLUTION is never closed');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to write into a folder that is not empty', () => {
    const out = tree('full', { 'keep.txt': 'mine' });
    expect(() => writeStudentEdition(tree('p2', { 'a.txt': '' }), out)).toThrow('is not empty');
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('on the real course: no solution is left in any lab code, and every lab 02 TODO has a stub', () => {
    const labFiles = planStudentEdition(root).filter((f) => f.path.startsWith('labs/') && /\.(ts|js|mjs|cjs)$/.test(f.path));
    for (const file of labFiles) expect(String(file.text), file.path).not.toMatch(/BEGIN SOLUTION|END SOLUTION/);
    const lab02 = labFiles.filter((f) => f.path.startsWith('labs/02-buckets/')).flatMap((f) => f.todos);
    expect(lab02.sort()).toEqual([1, 2, 3, 4]);
  });

  it('npm run release -- --out DIR reports the stubs and exits 0', () => {
    const out = join(workDir, 'cli-edition');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/release.ts', '--out', out], { cwd: root, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('labs/02-buckets/create-bucket.ts: TODO 3 stubbed');
    expect(existsSync(join(out, 'fixtures/submissions'))).toBe(false);
    expect(existsSync(join(out, 'test/self-validation.test.ts'))).toBe(false);
  });
});
