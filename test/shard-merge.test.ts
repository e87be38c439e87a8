/**
 * `npm run grade -- --shard i/n` and `--merge`: a tiny fixture class (three students of
 * fixtures/class, lab 02) graded once whole and once in 3 shards with the same seed, one
 * submission at a time (lab 02's checks time the student's polling: a loaded machine is
 * not made busier by the test itself); the merge must give exactly the whole run's gradebook
 * and per-student results, and class reports that differ only in measured times. Merges
 * of shards graded differently are refused, and so is a run into an OUT that holds another.
 */
import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClass, root } from '../grader/batch/fixture-class.ts';
import { gradeBatch } from '../grader/batch/grade-batch.ts';
import { mergeShards } from '../grader/batch/merge-shards.ts';
import { RUN_FILE, type RunRecord } from '../grader/batch/run-record.ts';
import { shardOf } from '../grader/batch/shard.ts';
import type { StudentReport } from '../grader/reports/student-report.ts';

const STUDENTS = ['correct', 'partly-wrong', 'not-started'];
const workDir = join(root, '.work', `shard-merge-${process.pid}`);
const submissions = join(workDir, 'submissions');
const whole = join(workDir, 'whole');
const shardDir = (index: number) => join(workDir, 'shards', `shard-${index}`);
const merged = join(workDir, 'merged');
const seed = Math.floor(Math.random() * 1_000_000);

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function grade(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/grade.ts', ...args], { cwd: root, env: { ...process.env, GITHUB_STEP_SUMMARY: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const gradeInto = (out: string, ...extra: string[]) => grade(['--submissions', submissions, '--out', out, '--labs', '2', '--seed', String(seed), ...extra]);
const read = (...path: string[]) => readFileSync(join(...path), 'utf8');
const record = (dir: string) => JSON.parse(read(dir, RUN_FILE)) as RunRecord;

/** A student's record without what a rerun measures anew (times). */
function withoutTimes(report: unknown): unknown {
  return JSON.parse(JSON.stringify(report, (key, value: unknown) => (key === 'seconds' || key === 'execution_time' ? undefined : value)));
}

/** Class reports with every measured time masked. */
const maskTimes = (text: string) => text.replace(/\d+\.\d+ s\b/g, '<t> s');

let wholeRun: CliRun;
let shardRuns: CliRun[];
let mergeRun: CliRun;

beforeAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  buildClass(submissions, (fixture) => STUDENTS.includes(fixture.student));
  wholeRun = await gradeInto(whole, '--jobs', '1');
  shardRuns = [];
  for (const i of [1, 2, 3]) shardRuns.push(await gradeInto(shardDir(i), '--jobs', '1', '--shard', `${i}/3`));
  mergeRun = await grade(['--merge', ...[1, 2, 3].map(shardDir), '--out', merged, '--submissions', submissions]);
}, 600_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe(`npm run grade --shard / --merge (seed ${seed})`, () => {
  it('grades every shard and merges them', () => {
    for (const run of [wholeRun, ...shardRuns, mergeRun]) expect(run.code, run.stderr).toBe(0);
    expect(mergeRun.stdout).toContain('Merged 3 shard(s): 3 submission(s)');
  });

  it('puts each student in the shard their name hashes to, every student in exactly one', () => {
    const graded = [1, 2, 3].map((i) => record(shardDir(i)).students);
    for (const [i, students] of graded.entries()) {
      expect(record(shardDir(i + 1)).shard).toEqual({ index: i + 1, count: 3 });
      expect(students).toEqual(STUDENTS.filter((s) => shardOf(s, 3) === i + 1).sort());
      // Only that shard's students have folders there.
      expect(readdirSync(shardDir(i + 1), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()).toEqual(students);
    }
    expect(graded.flat().sort()).toEqual([...STUDENTS].sort());
    expect(shardRuns[0]!.stdout).toMatch(/^Grading shard 1\/3: \d+ of 3 submissions/m);
  });

  it('merges to exactly the gradebook of the unsharded run', () => {
    expect(read(merged, 'gradebook.csv')).toBe(read(whole, 'gradebook.csv'));
    expect(read(whole, 'gradebook.csv')).toContain('\r\ncorrect,13,13,13,graded\r\n');
  });

  it('merges to exactly the per-student results of the unsharded run (times aside)', () => {
    for (const student of STUDENTS) {
      const one = JSON.parse(read(whole, student, 'result.json')) as StudentReport;
      const two = JSON.parse(read(merged, student, 'result.json')) as StudentReport;
      expect(withoutTimes(two), student).toEqual(withoutTimes(one));
      expect(withoutTimes(JSON.parse(read(merged, student, 'results.json'))), student).toEqual(withoutTimes(JSON.parse(read(whole, student, 'results.json'))));
    }
  });

  it('merges to the unsharded summary, report and similarity (times aside), and records the run whole', () => {
    expect(maskTimes(read(merged, 'summary.md'))).toBe(maskTimes(read(whole, 'summary.md')));
    expect(maskTimes(read(merged, 'report.html'))).toBe(maskTimes(read(whole, 'report.html')));
    expect(read(merged, 'similarity.csv')).toBe(read(whole, 'similarity.csv'));
    expect(record(merged)).toEqual(record(whole));
    expect(record(merged).shard).toBeUndefined();
  });

  it('refuses shards graded with another seed, other labs or other checks, a missing shard, and one given twice', async () => {
    const copy = (name: string, change: (run: RunRecord) => void) => {
      const dir = join(workDir, 'bad', name);
      cpSync(shardDir(2), dir, { recursive: true });
      const run = record(dir);
      change(run);
      writeFileSync(join(dir, RUN_FILE), JSON.stringify(run));
      return dir;
    };
    const out = join(workDir, 'refused');
    const attempts: Array<[string[], RegExp]> = [
      [[shardDir(1), copy('seed', (r) => (r.seed += 1)), shardDir(3)], new RegExp(`seed: ${seed} in .*shard-1, ${seed + 1} in .*seed`)],
      [[shardDir(1), copy('labs', (r) => (r.labs = ['03-objects'])), shardDir(3)], /labs: 02-buckets in .*shard-1, 03-objects in/],
      [[shardDir(1), copy('checks', (r) => (r.checks = 'sha256:0000')), shardDir(3)], /checks: sha256:\w+ in .*shard-1, sha256:0000 in/],
      [[shardDir(1), shardDir(3)], /Shard 2\/3 missing/],
      [[shardDir(1), shardDir(2), shardDir(2), shardDir(3)], /Shard 2\/3 given twice/],
      [[whole], /is not a shard's output/],
      [[shardDir(1), copy('unfinished', (r) => r.students.push('late-student')), shardDir(3)], /did not finish: no result for late-student/],
    ];
    for (const [shards, message] of attempts) {
      expect(() => mergeShards({ root, shards, out, submissions }), String(message)).toThrow(message);
      expect(readdirSync(workDir)).not.toContain('refused');
    }
    // The CLI says it on stderr and exits 2.
    const run = await grade(['--merge', shardDir(1), shardDir(3), '--out', out]);
    expect([run.code, run.stderr.trim()]).toEqual([2, 'Shard 2/3 missing: merge every shard of the class.']);
  }, 60_000);

  it('refuses --shard without --seed, and a run into an OUT that holds another run (other labs or seed)', async () => {
    const noSeed = await grade(['--submissions', submissions, '--out', join(workDir, 'x'), '--shard', '1/3']);
    expect(noSeed.code).toBe(2);
    expect(noSeed.stderr).toContain('--shard needs --seed');
    const gradebook = read(whole, 'gradebook.csv');
    const into = (labs: number[], runSeed: number) => gradeBatch({ root, submissions, out: whole, labs, jobs: 1, seed: runSeed });
    await expect(into([2, 3], seed)).rejects.toThrow(/holds another run \(labs: 02-buckets in OUT, 02-buckets, 03-objects in this run\)/);
    await expect(into([2], seed + 1)).rejects.toThrow(new RegExp(`seed: ${seed} in OUT, ${seed + 1} in this run`));
    expect(read(whole, 'gradebook.csv')).toBe(gradebook);
    expect(record(whole).labs).toEqual(['02-buckets']);
  }, 60_000);
});
