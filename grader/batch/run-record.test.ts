import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { listLabs, pickLab, type Lab } from '../labs.ts';
import { gradeBatch } from './grade-batch.ts';
import { checkSources, checksVersion, readRunRecord, runMismatch, writeRunRecord, type RunRecord } from './run-record.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'run-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), text);
}

describe('run record', () => {
  it("digests a lab's check files and what they import from checks/ and fixtures/, nothing else", () => {
    const labs = listLabs(root);
    const buckets = checkSources(root, [pickLab(labs, 2)]);
    expect(buckets).toEqual(expect.arrayContaining(['checks/02-buckets.check.ts', 'checks/support/index.ts', 'checks/support/lab-reporter.ts', 'checks/vitest.config.ts', 'labs/02-buckets/lab.json']));
    expect(buckets.filter((file) => !/^(checks|fixtures)\/|^labs\/02-buckets\/lab\.json$/.test(file))).toEqual([]);
    expect(buckets.some((file) => file.startsWith('checks/06-'))).toBe(false);
    expect(checkSources(root, [pickLab(labs, 6)])).toEqual(expect.arrayContaining(['checks/06-policy-evaluation.hidden.check.ts', 'fixtures/policy/lab-06-cases.ts']));
  });

  it('changes when an imported file changes, not when a file no check imports does', () => {
    write('labs/02-x/lab.json', '{}');
    write('checks/02-x.check.ts', "import { a } from './support/a.ts';\n// see './support/missing.ts'\n");
    write('checks/support/a.ts', "export { b } from './b.ts';\n");
    write('checks/support/b.ts', 'export const b = 1;\n');
    write('checks/support/unused.ts', 'export const u = 1;\n');
    const lab = { number: 2, id: '02-x', dir: join(dir, 'labs/02-x'), manifest: { title: 'x', services: [], program: 'main.ts', todos: [], capabilities: [] }, checkFiles: ['checks/02-x.check.ts'] } as Lab;
    expect(checkSources(dir, [lab])).toEqual(['checks/02-x.check.ts', 'checks/support/a.ts', 'checks/support/b.ts', 'checks/support/lab-reporter.ts', 'checks/vitest.config.ts', 'labs/02-x/lab.json']);
    const before = checksVersion(dir, [lab]);
    write('checks/support/unused.ts', 'export const u = 2;\n');
    expect(checksVersion(dir, [lab])).toBe(before);
    write('checks/support/b.ts', 'export const b = 2;\n');
    expect(checksVersion(dir, [lab])).not.toBe(before);
  });

  it('says what differs between two runs, and nothing when one resumes the other', () => {
    const run: RunRecord = { version: 1, seed: 7, labs: ['02-buckets'], checks: 'sha256:aa', students: ['ada'] };
    const withLateStudent: RunRecord = { ...run, students: ['ada', 'bo'] };
    expect(runMismatch(run, withLateStudent)).toBeUndefined();
    expect(runMismatch(run, { ...run, seed: 8 })).toBe('seed: 7 in OUT, 8 in this run');
    expect(runMismatch(run, { ...run, checks: 'sha256:bb' })).toBe('checks: sha256:aa in OUT, sha256:bb in this run');
    // Other labs have other check files: the labs say it, the digest adds nothing.
    expect(runMismatch(run, { ...run, labs: ['03-objects'], checks: 'sha256:cc' })).toBe('labs: 02-buckets in OUT, 03-objects in this run');
    expect(runMismatch({ ...run, shard: { index: 1, count: 3 } }, run, { previous: 'a', next: 'b' })).toBe('shard: 1/3 in a, the whole class in b');
  });

  it('npm run grade refuses an OUT that holds another run, and --force replaces it (the old run\'s students go)', async () => {
    const out = join(dir, 'out');
    const empty = join(dir, 'no-students');
    mkdirSync(empty, { recursive: true });
    mkdirSync(join(out, 'old-student'), { recursive: true });
    writeFileSync(join(out, 'old-student', 'result.json'), JSON.stringify({ student: 'old-student', labs: [], score: 0, max_score: 0, status: 'graded', seconds: 0 }));
    writeRunRecord(out, { version: 1, seed: 5, labs: ['03-objects'], checks: 'sha256:00', students: ['old-student'] });
    await expect(gradeBatch({ root, submissions: empty, out, labs: [2], jobs: 1 })).rejects.toThrow(/holds another run \(labs: 03-objects in OUT, 02-buckets in this run\)/);
    expect(readRunRecord(out)!.labs).toEqual(['03-objects']);
    const replaced = await gradeBatch({ root, submissions: empty, out, labs: [2], jobs: 1, force: true });
    expect(replaced.run).toMatchObject({ seed: 5, labs: ['02-buckets'], students: [] });
    expect(existsSync(join(out, 'old-student'))).toBe(false);
    expect(readFileSync(join(out, 'gradebook.csv'), 'utf8')).toBe('student,02-buckets,total,max_total,status\r\n');
  });
});
