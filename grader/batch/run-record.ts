import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Lab } from '../labs.ts';
import type { Shard } from './shard.ts';

/**
 * OUT/run.json: what a batch's results were graded with. Every student result in OUT
 * belongs to this run; a second `npm run grade` into the same OUT must grade the same
 * labs with the same seed and checks (it then resumes), or is refused, so a gradebook
 * never mixes runs. `--merge` reads it from each shard to refuse shards that differ.
 */
export interface RunRecord {
  version: 1;
  seed: number;
  /** Lab ids, e.g. ["02-buckets"]: the gradebook's columns. */
  labs: string[];
  /** checksVersion() of those labs. */
  checks: string;
  /** Set in a shard's OUT: which part of the class it graded. */
  shard?: Shard;
  /** The students of this run (the shard's, in a shard), by name. */
  students: string[];
}

export const RUN_FILE = 'run.json';

export function readRunRecord(out: string): RunRecord | undefined {
  const file = join(out, RUN_FILE);
  if (!existsSync(file)) return undefined;
  const record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  if (record.version !== 1 || !Number.isInteger(record.seed) || !Array.isArray(record.labs) || typeof record.checks !== 'string' || !Array.isArray(record.students)) {
    throw new Error(`${file} is not a run record of this grader (version 1 with seed, labs, checks, students).`);
  }
  return record;
}

export function writeRunRecord(out: string, record: RunRecord): void {
  writeFileSync(join(out, RUN_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * A digest of the checks that decide the labs' grades: each lab's check files (hidden ones
 * included) and lab.json, the checks' vitest config and reporter, and every file of
 * checks/ or fixtures/ these import, followed import by import (so lab 06's case tables
 * count, and a support module no lab of the run imports does not). Matrix jobs of one
 * workflow run check out the same commit, so their digests agree; a shard graded with other
 * checks does not merge. The emulator and the grader are not in it: the same commit is
 * what keeps them equal.
 */
export function checksVersion(root: string, labs: Lab[]): string {
  const hash = createHash('sha256');
  for (const file of checkSources(root, labs)) {
    const path = join(root, file);
    hash.update(`${file}\0`);
    hash.update(existsSync(path) ? readFileSync(path) : Buffer.alloc(0));
    hash.update('\0');
  }
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}

/** The files checksVersion() digests, relative to root, sorted. */
export function checkSources(root: string, labs: Lab[]): string[] {
  const starts = [...labs.flatMap((lab) => [...lab.checkFiles, `labs/${lab.id}/lab.json`]), 'checks/vitest.config.ts', 'checks/support/lab-reporter.ts'];
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const path = join(root, file);
    if (!file.endsWith('.ts') || !existsSync(path)) return;
    for (const match of readFileSync(path, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const target = relative(root, resolve(dirname(path), match[1] ?? match[2] ?? match[3]!)).split(sep).join('/');
      // A specifier in a comment may name no file: only files that exist count.
      if (/^(checks|fixtures)\//.test(target) && existsSync(join(root, target))) visit(target);
    }
  };
  starts.forEach(visit);
  return [...files].sort();
}

/** `from './x.ts'`, `import('./x.ts')`, `import './x.ts'`: relative specifiers only (packages are pinned by the lock file). */
const RELATIVE_IMPORT = /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|^import\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

/**
 * How two runs differ in what must match (labs, seed, checks, shard), e.g. "labs: 02-buckets
 * in OUT, 03-objects in this run"; undefined when `next` resumes `previous`.
 */
export function runMismatch(previous: Omit<RunRecord, 'students'>, next: Omit<RunRecord, 'students'>, names = { previous: 'OUT', next: 'this run' }): string | undefined {
  const shard = (s: Shard | undefined) => (s ? `${s.index}/${s.count}` : 'the whole class');
  const fields: Array<[string, string, string]> = [
    ['labs', previous.labs.join(', ') || 'none', next.labs.join(', ') || 'none'],
    ['seed', String(previous.seed), String(next.seed)],
    // Other labs have other check files: the digests differ then, which says nothing more.
    ['checks', previous.checks, previous.labs.join() === next.labs.join() ? next.checks : previous.checks],
    ['shard', shard(previous.shard), shard(next.shard)],
  ];
  const differences = fields.filter(([, a, b]) => a !== b).map(([field, a, b]) => `${field}: ${a} in ${names.previous}, ${b} in ${names.next}`);
  return differences.length ? differences.join('; ') : undefined;
}
