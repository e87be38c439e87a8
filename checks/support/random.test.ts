import { describe, expect, it } from 'vitest';
import { Random, REGIONS } from './random.ts';

describe('Random', () => {
  it('replays the same inputs for the same run seed and check', () => {
    const a = Random.forCheck(42, 'creates the bucket');
    const b = Random.forCheck(42, 'creates the bucket');
    expect([a.suffix(), a.pick(REGIONS), a.int(1, 9)]).toEqual([b.suffix(), b.pick(REGIONS), b.int(1, 9)]);
  });

  it('draws different inputs for another seed or another check', () => {
    const base = Random.forCheck(42, 'creates the bucket').suffix(12);
    expect(Random.forCheck(43, 'creates the bucket').suffix(12)).not.toBe(base);
    expect(Random.forCheck(42, 'waits for the bucket').suffix(12)).not.toBe(base);
  });

  it('stays within bounds and covers them', () => {
    const random = new Random(7);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const n = random.int(2, 5);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(5);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
    expect(random.suffix(20)).toMatch(/^[a-z0-9]{20}$/);
  });
});
