import { describe, expect, it } from 'vitest';
import { clock, createProgress, progressLine, remainingSeconds, startLine } from './progress.ts';
import { parseLabs } from './parse-labs.ts';
import { parseShard, shardOf } from './shard.ts';

const start = { total: 4, skipped: 1, labs: ['02-buckets', '03-objects'], jobs: 2, seed: 42 };

describe('batch progress', () => {
  it('starts with the submissions, labs, jobs and seed', () => {
    expect(startLine(start)).toBe('Grading 4 submission(s) (1 already graded, skipped), labs 02-buckets, 03-objects, --jobs 2, seed 42');
    expect(startLine({ ...start, skipped: 0, labs: ['02-buckets'], shard: { index: 2, count: 3 }, classSize: 12 })).toBe(
      'Grading shard 2/3: 4 of 12 submissions; 4 submission(s), lab 02-buckets, --jobs 2, seed 42',
    );
  });

  it('estimates what is left from the time per finished submission', () => {
    expect(remainingSeconds(10, 0, 4)).toBeUndefined();
    expect(remainingSeconds(30, 1, 4)).toBe(90);
    expect(remainingSeconds(30, 3, 4)).toBe(10);
    expect(clock(59.6)).toBe('1:00');
    expect(clock(3725)).toBe('1:02:05');
    expect(progressLine(0, 4, 5)).toBe('[0/4]   0 % · 0:05 elapsed · ETA after the first submission');
    expect(progressLine(1, 4, 30)).toBe('[1/4]  25 % · 0:30 elapsed · ETA 1:30');
    expect(progressLine(4, 4, 80)).toBe('[4/4] 100 % · 1:20 elapsed · done');
  });

  it('without a terminal: a plain line per finished submission, counted, and no escape codes', () => {
    let time = 0;
    const written: string[] = [];
    const progress = createProgress({ write: (text) => written.push(text), tty: false, now: () => time });
    progress.start(start);
    progress.note('ada: already graded (use --force to grade again)');
    time = 12_000;
    progress.graded('bo: 13/13 in 12.0 s');
    progress.graded('cy: 0/13 in 3.0 s');
    progress.end();
    expect(written.join('')).toBe(
      `${startLine(start)}\nada: already graded (use --force to grade again)\n[1/4] bo: 13/13 in 12.0 s\n[2/4] cy: 0/13 in 3.0 s\n`,
    );
  });

  it('on a terminal: one live line with the ETA, rewritten in place, finished submissions written above it', () => {
    let time = 0;
    let screen = '';
    const progress = createProgress({ write: (text) => (screen += text), tty: true, now: () => time, tickMs: 0 });
    progress.start(start);
    time = 20_000;
    progress.graded('bo: 13/13 in 20.0 s');
    time = 30_000;
    progress.end();
    // What a terminal shows: \r returns to the line's start, ESC[2K erases it.
    const shown = screen.split('\n').map((line) => line.split('\r\x1b[2K').at(-1));
    expect(shown).toEqual([startLine(start), 'bo: 13/13 in 20.0 s', '[1/4]  25 % · 0:30 elapsed · ETA 1:30', '']);
    expect(screen).toContain('\r\x1b[2K[1/4]  25 % · 0:20 elapsed · ETA 1:00');
  });

  it('takes --labs with commas or spaces and --shard as i/n', () => {
    expect(parseLabs('2,3')).toEqual([2, 3]);
    expect(parseLabs(' 2, 3 5 ')).toEqual([2, 3, 5]);
    expect(() => parseLabs('2;3')).toThrow('--labs takes lab numbers separated by commas or spaces');
    expect(() => parseLabs(' ')).toThrow('--labs takes');
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '3', 'a/b', '1/0']) expect(() => parseShard(bad), bad).toThrow('--shard takes i/n');
  });

  it('puts a student in a shard by a hash of the name alone (pinned: a matrix rerun of one shard grades the same people), spreading the class evenly', () => {
    // SHA-256 of the name, first 32 bits, mod n, plus 1: these stay the same from one release to the next.
    expect(['correct', 'partly-wrong', 'not-started', 'crash-at-import'].map((n) => shardOf(n, 3))).toEqual([3, 2, 1, 3]);
    const names = Array.from({ length: 600 }, (_, i) => `student-${i}`);
    const sizes = [1, 2, 3].map((i) => names.filter((n) => shardOf(n, 3) === i).length);
    for (const size of sizes) expect(size).toBeGreaterThan(160);
    expect(new Set(names.map((n) => shardOf(n, 5)))).toEqual(new Set([1, 2, 3, 4, 5]));
  });
});
