import { describe, expect, it } from 'vitest';
import { project, projectionLine } from './projection.ts';

describe('bench projection', () => {
  it('turns the measured batch into submissions/min per runner and wall time on n runners, decided by the largest shard', () => {
    // 20 submissions in 120 s: 10 per minute.
    const projection = project(20, 120, { students: 500, runners: [1, 4] });
    expect(projection.perMinutePerRunner).toBe(10);
    expect(projection.runners[0]).toEqual({ count: 1, largestShard: 500, minutes: 50 });
    const four = projection.runners[1]!;
    expect(four.largestShard).toBeGreaterThanOrEqual(125);
    expect(four.largestShard).toBeLessThan(160);
    expect(four.minutes).toBe(four.largestShard / 10);
    expect(projectionLine(projection, '2 cores')).toBe(
      `projection: 10.0 submissions/min per runner like this machine (2 cores); 500 students: 50.0 min on 1 runner (largest shard 500), ` +
        `${four.minutes.toFixed(1)} min on 4 runners (largest shard ${four.largestShard}); grading only, each job's checkout and npm ci come on top`,
    );
  });
});
