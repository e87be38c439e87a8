import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../batch/fixture-class.ts';
import { createSanitizer, MAX_TEXT, sanitizeDeep } from './sanitize.ts';

const sanitize = createSanitizer({ root });
const workspace = (base: string) => join(base, 'grading-ada_b-02-buckets-Ab12Cd');

describe('sanitize', () => {
  it('strips ANSI escapes and control characters, keeping newlines and tabs', () => {
    const text = '\x1b[31m\x1b[1mexpected\x1b[22m\x1b[39m 1\r\n\tactual: 2\x07\x00 \x1b]8;;https://x\x07link\x1b]8;;\x07 \u202eevil\x9b2K';
    expect(sanitize(text)).toBe('expected 1\n\tactual: 2 link evil');
  });

  it("rewrites a workspace's lab paths relative to the submission, by any temp folder, realpath or file URL", () => {
    for (const base of [tmpdir(), realpathSync(tmpdir()), '/private/var/folders/xy/T']) {
      const text = `TypeError: boom\n    at createBucket (file://${workspace(base)}/labs/02-buckets/create-bucket.ts:12:5)\n    at ${workspace(base)}/labs/02-buckets/main.ts:3:1`;
      expect(sanitize(text)).toBe('TypeError: boom\n    at createBucket (labs/02-buckets/create-bucket.ts:12:5)\n    at labs/02-buckets/main.ts:3:1');
    }
    expect(sanitize(`Cannot find module '${workspace(tmpdir())}/vitest-tmp/a.mjs'`)).toBe("Cannot find module '<tmp>/vitest-tmp/a.mjs'");
    // A workspace inside the submission's own grading folder.
    const nested = workspace(join(tmpdir(), 'grading-submission-Zz9Yy8'));
    expect(sanitize(`at ${nested}/labs/02-buckets/a.ts:1:2 and ${nested}/work/x.json`)).toBe('at labs/02-buckets/a.ts:1:2 and <tmp>/work/x.json');
  });

  it('hides other paths under the temp folder and the project root', () => {
    // A folder name no clone of the project has (a clone in /tmp/x would make /tmp/x/... the project's).
    expect(sanitize(`read ${join(tmpdir(), 'sanitize-elsewhere', 'y.txt')}: ENOENT`)).toBe('read <tmp>/sanitize-elsewhere/y.txt: ENOENT');
    expect(sanitize(`at check (${join(root, 'checks/support/check.ts')}:3:1) in ${root}`)).toBe('at check (<grader>/checks/support/check.ts:3:1) in <grader>/');
    // Not inside another name: /tmpfoo is not the temp folder.
    expect(sanitize(`${tmpdir()}foo`)).toBe(`${tmpdir()}foo`);
    expect(createSanitizer({ root, rootAs: '.' })(join(root, 'labs/02-buckets/a.ts'))).toBe('./labs/02-buckets/a.ts');
    const compiled = join(workspace(tmpdir()), 'work', 'student-Qq1Ww2', 'lab');
    expect(createSanitizer({ root, paths: { [compiled]: 'labs/02-buckets' } })(`at f (file://${compiled}/a.mjs:4:1)`)).toBe('at f (labs/02-buckets/a.mjs:4:1)');
  });

  it('cuts a long text to MAX_TEXT characters, saying so, and sanitising twice changes nothing', () => {
    const long = sanitize('x'.repeat(10_000));
    expect(long).toHaveLength(MAX_TEXT);
    expect(long).toMatch(/\[\.\.\. cut to 4000 of 10000 characters \.\.\.\]$/);
    expect(sanitize(long)).toBe(long);
  });

  it('takes linear time on a hostile text (half a megabyte of path segments)', () => {
    const started = Date.now();
    for (const start of [' ', ':', '=', '(']) sanitize(`${`${start}/a`.repeat(50_000)}${'/a'.repeat(100_000)}/grading-x`);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('sanitises every string of a report and keeps the rest', () => {
    expect(sanitizeDeep({ a: ['\x1b[1mx', 2], b: { c: true, d: null } }, sanitize)).toEqual({ a: ['x', 2], b: { c: true, d: null } });
  });
});
