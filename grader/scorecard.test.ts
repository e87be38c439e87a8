import { describe, expect, it } from 'vitest';
import type { LabManifest } from './labs.ts';
import { isFullMarks, summarise, toJson } from './lab-result.ts';
import { OUTPUT_LINES, renderScorecard, styleFor } from './scorecard.ts';

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

describe('renderScorecard: the student\'s output, recipes and repeated errors', () => {
  const plain = styleFor({ isTTY: false });
  const failed = { ...base, todo: 1, points: 0, max_points: 1, status: 'failed' as const, message: 'wrong verdict' };

  it("shows a failed check's captured output under it, the last lines only, and all of it with verbose", () => {
    const output = Array.from({ length: OUTPUT_LINES + 5 }, (_, i) => `line ${i + 1}`).join('\n');
    const run = summarise('02-buckets', 'embedded', 7, [
      { ...failed, name: 'says 403', output },
      { ...base, todo: 1, name: 'says 404', points: 1, max_points: 1, status: 'passed', message: '', output: 'checking the name\n' },
    ]);
    const text = renderScorecard(run, manifest, plain);
    expect(text).toContain('      Hint: Pass maxAttempts to the client.\n      Your code printed:\n      │ … 5 earlier line(s); --verbose shows all\n      │ line 6\n');
    expect(text).toContain(`      │ line ${OUTPUT_LINES + 5}\n`);
    expect(text).not.toContain('│ line 5\n');
    // A passed check's output only with --verbose.
    expect(text).not.toContain('checking the name');
    const verbose = renderScorecard(run, manifest, plain, { verbose: true });
    expect(verbose).toContain('      │ line 1\n');
    expect(verbose).not.toContain('earlier line(s)');
    expect(verbose).toContain('  ✔ says 404 (1/1)\n      Your code printed:\n      │ checking the name\n');
  });

  it('shows the recipe only when asked, and says how to ask', () => {
    const run = summarise('02-buckets', 'embedded', 7, [{ ...failed, name: 'says 403', recipe: 'Compare error.$metadata.httpStatusCode with 403.' }]);
    const held = renderScorecard(run, manifest, plain, { hintCommand: 'npm run lab:2 -- --hint' });
    expect(held).not.toContain('Recipe:');
    expect(held).toContain('Stuck after the hint? npm run lab:2 -- --hint shows the full recipe');
    const shown = renderScorecard(run, manifest, plain, { showRecipe: (c) => c.name === 'says 403' });
    expect(shown).toContain('      Hint: Pass maxAttempts to the client.\n      Recipe: Compare error.$metadata.httpStatusCode with 403.');
    expect(shown).not.toContain('Stuck after the hint?');
  });

  it('shows a code frame once: later checks with the same error, and errors already shown above, point to it', () => {
    const frame = 'Your code threw Error: 02-buckets/create-bucket.ts:16:53: Expected ")" but found ";"\n  16 |   await client.send((x);\n     |                     ^';
    const run = summarise('02-buckets', 'embedded', 7, [
      { ...failed, name: 'creates in us-east-1', message: frame },
      { ...failed, name: 'creates elsewhere', message: frame },
    ]);
    const once = renderScorecard(run, manifest, plain);
    expect(once.split('Expected ")"').length).toBe(2);
    expect(once).toContain('      the same error as under "creates in us-east-1" above');
    const above = renderScorecard(run, manifest, plain, { syntaxErrorsShown: ['labs/02-buckets/create-bucket.ts:16:53'] });
    expect(above).not.toContain('Expected ")"');
    expect(above.split('see the syntax error at labs/02-buckets/create-bucket.ts:16:53 above').length).toBe(3);
  });

  it('labels a --todo run and adds the TypeScript warning line', () => {
    const run = summarise('02-buckets', 'embedded', 7, [{ ...base, todo: 2, name: 'says 404', points: 1, max_points: 1, status: 'passed', message: '' }]);
    const text = renderScorecard(run, manifest, plain, { todo: 2, typeErrors: { first: ['labs/02-buckets/head-bucket.ts:3:7 TS2322 Type "x" is not assignable'], count: 4 } });
    expect(text).toContain('TODO 2 alone: 1/1  done!');
    expect(text).toContain('Only this TODO was graded; run without --todo for the whole lab.');
    expect(text).toContain('⚠ TypeScript: 4 type error(s) in your lab');
    expect(text).toContain('    labs/02-buckets/head-bucket.ts:3:7 TS2322 Type "x" is not assignable\n    … and 3 more');
    expect(text).not.toContain('Total:');
  });

  it("leaves out tsc's wording of a syntax error already shown as a code frame, keeping other files' type errors", () => {
    const run = summarise('02-buckets', 'embedded', 7, [{ ...base, todo: 2, name: 'says 404', points: 1, max_points: 1, status: 'passed', message: '' }]);
    const shown = ['labs/02-buckets/create-bucket.ts:16:51'];
    const only = renderScorecard(run, manifest, plain, { syntaxErrorsShown: shown, typeErrors: { first: ["labs/02-buckets/create-bucket.ts:16:51 TS1005 ')' expected."], count: 1 } });
    expect(only).not.toContain('TypeScript');
    expect(only).not.toContain('TS1005');
    const mixed = renderScorecard(run, manifest, plain, {
      syntaxErrorsShown: shown,
      typeErrors: { first: ["labs/02-buckets/create-bucket.ts:16:51 TS1005 ')' expected.", 'labs/02-buckets/head-bucket.ts:3:7 TS2322 Type "x" is not assignable'], count: 2 },
    });
    expect(mixed).toContain('⚠ TypeScript: 1 type error(s) in your lab');
    expect(mixed).toContain('    labs/02-buckets/head-bucket.ts:3:7 TS2322');
    expect(mixed).not.toContain('TS1005');
  });
});

describe('renderScorecard: width', () => {
  it('wraps a long hint under its indent to the terminal width', () => {
    const run = summarise('02-buckets', 'embedded', 7, [{ ...base, hint: 'Bucket names are shared by every AWS account: a 403 says the bucket exists but is not yours.', todo: 1, name: 'says 403', points: 0, max_points: 1, status: 'failed', message: 'no' }]);
    const text = renderScorecard(run, manifest, styleFor({ isTTY: false }), { width: 50 });
    expect(text).toContain('      Hint: Bucket names are shared by every AWS\n      account: a 403 says the bucket exists but is\n      not yours.\n');
  });
});
