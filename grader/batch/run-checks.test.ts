import { describe, expect, it } from 'vitest';
import { BoundedOutput } from './bounded-output.ts';
import { excludingPattern } from '../check-progress.ts';

describe('excludingPattern', () => {
  it('matches every check but the excluded ones, as vitest sees them ("<file> <name>")', () => {
    const pattern = new RegExp(excludingPattern(['TODO 4: returns (once) the bucket is visible', 'TODO 3: b.c'])!);
    expect(pattern.test('checks/02-buckets.check.ts TODO 4: returns (once) the bucket is visible')).toBe(false);
    expect(pattern.test('checks/02-buckets.check.ts TODO 3: b.c')).toBe(false);
    expect(pattern.test('checks/02-buckets.check.ts TODO 3: bxc')).toBe(true);
    expect(pattern.test('checks/02-buckets.check.ts TODO 1: builds a client')).toBe(true);
    expect(excludingPattern([])).toBeUndefined();
  });
});

describe('BoundedOutput', () => {
  it('keeps the head and the tail and says how much it left out', () => {
    const output = new BoundedOutput(10, 5);
    output.write('0123456789abc');
    output.write('defghij');
    expect(output.truncated).toBe(true);
    expect(output.toString()).toBe('0123456789\n[... 5 characters of output left out ...]\nfghij');
    const small = new BoundedOutput(10, 5);
    small.write('short');
    expect([small.truncated, small.toString()]).toEqual([false, 'short']);
  });
});
