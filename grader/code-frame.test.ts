import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeFrame, findSyntaxErrors } from './code-frame.ts';

const base = mkdtempSync(join(tmpdir(), 'code-frame-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('codeFrame', () => {
  it('shows file:line:column with the message, the line, and a caret under the column', () => {
    const frame = codeFrame({ file: 'labs/02-buckets/x.ts', line: 12, column: 16, lineText: '  const x = foo bar;' }, 'Expected ";" but found "bar"');
    expect(frame).toBe(['labs/02-buckets/x.ts:12:17: Expected ";" but found "bar"', '  12 |   const x = foo bar;', '     |                 ^'].join('\n'));
  });

  it('keeps tabs in the caret line so the caret stays under the column', () => {
    const frame = codeFrame({ file: 'a.ts', line: 3, column: 2, lineText: '\t\tbad' }, 'm');
    expect(frame.split('\n')[2]).toBe('    | \t\t^');
  });
});

describe('findSyntaxErrors', () => {
  it('gives one frame per file that does not parse, once, and nothing for files that do', async () => {
    const lab = join(base, '02-buckets');
    mkdirSync(join(lab, 'util'), { recursive: true });
    writeFileSync(join(lab, 'main.ts'), "import { f } from './util/broken.ts';\nconsole.log(f());\n");
    writeFileSync(join(lab, 'util', 'broken.ts'), 'export function f() {\n  return 1 +;\n}\n');
    writeFileSync(join(lab, 'fine.ts'), 'export const y: number = 2;\n');
    const frames = await findSyntaxErrors(lab, base);
    expect(frames).toEqual(['02-buckets/util/broken.ts:2:13: Unexpected ";"\n  2 |   return 1 +;\n    |             ^']);
  });
});
