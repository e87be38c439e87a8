import { createHash } from 'node:crypto';

/** Part `index` (1 to count) of a class split in `count`: `--shard 2/3`. */
export interface Shard {
  index: number;
  count: number;
}

/** `--shard i/n`, 1 <= i <= n: the same numbering as `strategy.job-index + 1` / `strategy.job-total` in a matrix. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new Error(`--shard takes i/n with 1 <= i <= n, e.g. 2/3; got ${text}`);
  return { index, count };
}

/**
 * The shard a student belongs to: a hash of the name only (SHA-256, first 32 bits, mod
 * count). Not the student's place in the list: a student added late, or one who drops
 * out, moves nobody else, so a shard rerun after the class changed grades the same people.
 */
export function shardOf(student: string, count: number): number {
  return (createHash('sha256').update(student, 'utf8').digest().readUInt32BE(0) % count) + 1;
}

export function inShard(student: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(student, shard.count) === shard.index;
}
