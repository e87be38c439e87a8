import { describe, expect, it } from 'vitest';
import type { LabManifest } from './labs.ts';
import { isFullMarks, summarise, toJson } from './lab-result.ts';
import { renderScorecard, styleFor } from './scorecard.ts';

const manifest: LabManifest = {
  title: 'Create a bucket safely',
  services: ['s3'],
  program: 'main.ts',
  todos: [
    { todo: 1, title: 'Build the S3 client', points: 2 },
    { todo: 2, title: 'Check the name', points: 2 },
  ],
  capabilities: [],
};
const base = { hint: 'Pass maxAttempts to the client.', hidden: false };
const result = summarise('02-buckets', 'moto', 7, [
  { ...base, todo: 1, name: 'uses the region', points: 1, max_points: 1, status: 'passed', message: '' },
  { ...base, todo: 1, name: 'retries', points: 0, max_points: 1, status: 'failed', message: 'Attempts\n  expected: 4\n  actual:   3' },
  { ...base, todo: 2, name: 'says 403', points: 0, max_points: 2, status: 'not_gradable', message: 'not gradable on moto: no 403' },
]);

describe('lab results', () => {
  it('leave not-gradable checks out of score and max_score', () => {
    expect([result.score, result.max_score]).toEqual([1, 2]);
    expect(isFullMarks(result)).toBe(false);
    expect(isFullMarks(summarise('x', 'moto', 1, [{ ...base, todo: 1, name: 'n', points: 0, max_points: 1, status: 'not_gradable', message: '' }]))).toBe(false);
  });

  it('print the documented JSON shape', () => {
    const json = JSON.parse(toJson(result)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['lab', 'score', 'max_score', 'backend', 'seed', 'checks']);
    expect((json.checks as object[])[1]).toEqual({ todo: 1, name: 'retries', points: 0, max_points: 1, status: 'failed', message: 'Attempts\n  expected: 4\n  actual:   3' });
  });
});

describe('renderScorecard', () => {
  it('shows each TODO with its checks, the failure with its hint, and the total', () => {
    const text = renderScorecard(result, manifest, styleFor({ isTTY: false }));
    expect(text).toContain('TODO 1  Build the S3 client  1/2');
    expect(text).toContain('  ✔ uses the region (1/1)');
    expect(text).toContain('  ✘ retries (0/1)\n      Attempts\n        expected: 4\n        actual:   3\n      Hint: Pass maxAttempts to the client.');
    expect(text).toContain('  – says 403 (0/2)\n      not gradable on moto: no 403');
    expect(text).toContain('Total: 1/2');
    expect(text).toContain('1 check(s) worth 2 point(s) not gradable on moto');
    expect(text).not.toContain('\u001b[');
  });

  it('uses colours only on a terminal without NO_COLOR', () => {
    expect(styleFor({ isTTY: true }, {}).green('x')).toBe('\u001b[32mx\u001b[39m');
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' }).green('x')).toBe('x');
    expect(styleFor({ isTTY: false }, {}).green('x')).toBe('x');
  });
});
