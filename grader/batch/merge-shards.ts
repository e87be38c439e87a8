import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readStudentReports, writeClassReports } from '../reports/write-reports.ts';
import type { StudentReport } from '../reports/student-report.ts';
import { STUDENT_RESULT } from '../reports/write-reports.ts';
import { listStudents } from './grade-batch.ts';
import { readRunRecord, runMismatch, writeRunRecord, type RunRecord } from './run-record.ts';

export interface MergeOptions {
  /** The instructor's project root. */
  root: string;
  /** Each shard's OUT (`npm run grade -- --shard i/n --out DIR`). */
  shards: string[];
  out: string;
  /** The class's submissions: for the similarity flag, and to check that every student was graded. */
  submissions?: string;
}

export interface MergeOutcome {
  run: RunRecord;
  reports: StudentReport[];
}

/**
 * `npm run grade -- --merge DIR...`: one OUT from the OUTs of shards 1..n of one class:
 * every student's folder copied as graded, then the class reports written from them exactly
 * as an unsharded run writes them (same code, same inputs). Refuses shards that were graded
 * with other seeds, labs or checks, a shard missing or given twice, and a shard that did not
 * finish (a student of its run.json without a result).
 */
export function mergeShards(options: MergeOptions): MergeOutcome {
  if (options.shards.length === 0) throw new Error('--merge takes the shards\' output folders, e.g. --merge shards/*');
  const out = resolve(options.out);
  const shards = options.shards.map((dir) => {
    const path = resolve(dir);
    if (path === out) throw new Error(`--out ${options.out} is one of the shards; merge into another folder.`);
    const run = readRunRecord(path);
    if (!run?.shard) throw new Error(`${dir} is not a shard's output: no run.json with a shard (grade with --shard i/n --out ${dir}).`);
    return { dir, path, run, shard: run.shard };
  });
  const first = shards[0]!;
  for (const other of shards.slice(1)) {
    // Same seed, labs and checks; their shards differ, which is compared below.
    const mismatch = runMismatch({ ...first.run, shard: other.shard }, other.run, { previous: first.dir, next: other.dir });
    if (mismatch) throw new Error(`The shards were not graded alike (${mismatch}). Shards of one class are graded with the same --seed, --labs and checks (one commit).`);
  }
  const count = first.shard.count;
  const byIndex = new Map<number, string>();
  for (const { dir, shard } of shards) {
    if (shard.count !== count) throw new Error(`${dir} is shard ${shard.index}/${shard.count}, ${first.dir} is ${first.shard.index}/${count}: the class was split differently.`);
    if (byIndex.has(shard.index)) throw new Error(`Shard ${shard.index}/${count} given twice: ${byIndex.get(shard.index)} and ${dir}.`);
    byIndex.set(shard.index, dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) throw new Error(`Shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: merge every shard of the class.`);
  for (const { dir, run } of shards) {
    const unfinished = run.students.filter((student) => !existsSync(join(dir, student, STUDENT_RESULT)));
    if (unfinished.length > 0) throw new Error(`${dir} did not finish: no result for ${unfinished.join(', ')}. Run that shard again with the same options (it resumes).`);
  }
  const students = shards.flatMap(({ run }) => run.students).sort();
  if (options.submissions) {
    const ungraded = listStudents(options.submissions).filter((student) => !students.includes(student));
    if (ungraded.length > 0) throw new Error(`No shard graded ${ungraded.join(', ')} of ${options.submissions}: were the shards graded from the same submissions?`);
  }

  const run: RunRecord = { version: 1, seed: first.run.seed, labs: first.run.labs, checks: first.run.checks, students };
  const previous = readRunRecord(out);
  if (previous && (runMismatch(previous, run) || previous.students.join('\0') !== students.join('\0'))) {
    throw new Error(`${options.out} holds another run; merge into a new folder.`);
  }
  if (!previous && readStudentReports(out).length > 0) throw new Error(`${options.out} holds results of another run; merge into a new folder.`);
  mkdirSync(out, { recursive: true });
  for (const { path, run: shardRun } of shards) {
    for (const student of shardRun.students) {
      rmSync(join(out, student), { recursive: true, force: true });
      cpSync(join(path, student), join(out, student), { recursive: true });
    }
  }
  writeRunRecord(out, run);
  const reports = readStudentReports(out).filter((r) => students.includes(r.student));
  writeClassReports(out, reports, { root: resolve(options.root), submissions: options.submissions ? resolve(options.submissions) : undefined, labIds: run.labs });
  return { run, reports };
}
