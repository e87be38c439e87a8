import { seededRandom } from '../../sandbox/seeded-random.ts';

/**
 * Seeded randomness for check inputs. Each check draws from its own stream, seeded by
 * the run's LAB_SEED and the check's name, so a run can be replayed with `--seed N`
 * and one check's inputs do not shift when another check is added.
 */
export class Random {
  private readonly draw: () => number;

  constructor(seed: number) {
    this.draw = seededRandom(seed);
  }

  static forCheck(runSeed: number, checkName: string): Random {
    return new Random(hashString(`${runSeed}:${checkName}`));
  }

  /** A float in [0, 1) (mulberry32: small and good enough for test inputs). */
  next(): number {
    return this.draw();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** A copy of `items` in random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const shuffled = [...items];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    return shuffled;
  }

  /** Lower-case letters and digits, valid in bucket names, table names, keys. */
  suffix(length = 8): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }
}

/** FNV-1a, 32 bits. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Regions inputs are drawn from: us-east-1 (where S3 behaves differently) and a few others. */
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-2', 'ap-southeast-1'] as const;

/** A fresh seed for a run that did not ask for one. */
export function newRunSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}
