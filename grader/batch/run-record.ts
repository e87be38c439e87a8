import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * A digest of what decides a lab's grade besides the student's code: the labs' check
 * files (hidden ones included) and lab.json, and checks/support/ with the checks' vitest
 * config. Matrix jobs of one workflow run check out the same commit, so their digests
 * agree; a shard graded from another commit does not merge.
 */
export function checksVersion(root: string, labs: Lab[]): string {
  const support = join(root, 'checks', 'support');
  const files = [
    ...labs.flatMap((lab) => [...lab.checkFiles, `labs/${lab.id}/lab.json`]),
    'checks/vitest.config.ts',
    ...readdirSync(support)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
      .map((name) => `checks/support/${name}`),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const path = join(root, file);
    hash.update(`${file}\0`);
    hash.update(existsSync(path) ? readFileSync(path) : Buffer.alloc(0));
    hash.update('\0');
  }
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}

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
