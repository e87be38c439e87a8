import { describe, expect, it } from 'vitest';
import { goalLine, meetsGoal } from './goal.ts';

describe('goalLine', () => {
  it('treats fractions and ratios as floors', () => {
    expect(meetsGoal(0.8, 0.8, 'percent')).toBe(true);
    expect(meetsGoal(0.79, 0.8, 'percent')).toBe(false);
    expect(goalLine('sequential: embedded / null server', 0.83, 0.8, 'percent')).toBe('sequential: embedded / null server: 83 % (goal at least 80 %)');
    expect(goalLine('embedded / moto', 2.5, 3, 'times')).toBe('embedded / moto: 2.50x (MISSED: goal at least 3.00x)');
  });

  it('treats times and memory as ceilings', () => {
    expect(goalLine('bundle ready', 120, 100, 'ms')).toBe('bundle ready: 120 ms (MISSED: budget 100 ms)');
    expect(goalLine('bundle idle RSS', 52.3, 60, 'MiB')).toBe('bundle idle RSS: 52.3 MiB (budget 60.0 MiB)');
    expect(meetsGoal(15, 15, 's')).toBe(true);
  });
});
