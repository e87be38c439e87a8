import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failedBefore, readHistory, recordRun, writeHistory } from './lab-history.ts';
import { listLabs } from './labs.ts';
import { renderLabList } from './lab-list.ts';
import { summarise, type CheckResult } from './lab-result.ts';
import { styleFor } from './scorecard.ts';

const dir = mkdtempSync(join(tmpdir(), 'lab-history-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (todo: number, name: string, passed: boolean): CheckResult => ({
  todo,
  name,
  points: passed ? 1 : 0,
  max_points: 1,
  status: passed ? 'passed' : 'failed',
  message: passed ? '' : 'no',
  hint: 'h',
  hidden: false,
});

describe('lab history', () => {
  it('keeps the last whole-lab score and which checks failed, across a --todo run', () => {
    const at = new Date('2026-11-29T19:00:00Z');
    let history = recordRun({}, summarise('02-buckets', 'embedded', 1, [check(1, 'a', true), check(2, 'b', false), check(2, 'c', false)]), true, at);
    expect(history['02-buckets']).toEqual({ last: { score: 1, max_score: 3, at: '2026-11-29T19:00:00.000Z' }, failed: ['b', 'c'] });
    // --todo 2: b now passes, c fails again; the whole-lab score stays.
    history = recordRun(history, summarise('02-buckets', 'embedded', 2, [check(2, 'b', true), check(2, 'c', false)]), false);
    expect(history['02-buckets']).toEqual({ last: { score: 1, max_score: 3, at: '2026-11-29T19:00:00.000Z' }, failed: ['c'] });
    expect(failedBefore(history, '02-buckets')).toEqual(new Set(['c']));
    writeHistory(dir, history);
    expect(readHistory(dir)).toEqual(history);
  });

  it('reads a missing or broken file as no history', () => {
    expect(readHistory(join(dir, 'nowhere'))).toEqual({});
  });
});

describe('--list', () => {
  it("lists every lab with its title, points and this copy's last score", () => {
    const root = new URL('..', import.meta.url).pathname;
    const labs = listLabs(root);
    const text = renderLabList(labs, { '02-buckets': { last: { score: 9, max_score: 13, at: '2026-11-29T19:00:00.000Z' }, failed: [] } }, styleFor({ isTTY: false }));
    expect(text).toMatch(/lab:2 +02-buckets +Create a bucket safely +13 pts +9\/13 +2026-11-29 19:00 UTC/);
    expect(text).toMatch(/lab:1 +01-identity +.+ +13 pts +–/);
    expect(text.trim().split('\n')).toHaveLength(labs.length + 1);
  });
});
