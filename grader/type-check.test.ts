import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTypeCheck, summarise } from './type-check.ts';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'type-check-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('type check of a lab', () => {
  it("turns tsc's lines into file:line:column TSnnnn message, the first three and a count", () => {
    const output = ['labs/02-buckets/a.ts(3,7): error TS2322: Type \'string\' is not assignable to type \'number\'.', '  Continued detail.', ...[1, 2, 3].map((n) => `labs/02-buckets/b.ts(${n},1): error TS2304: Cannot find name 'x${n}'.`)].join('\n');
    const summary = summarise(output, '/p', '/p');
    expect(summary.count).toBe(4);
    expect(summary.first).toEqual(["labs/02-buckets/a.ts:3:7 TS2322 Type 'string' is not assignable to type 'number'.", "labs/02-buckets/b.ts:1:1 TS2304 Cannot find name 'x1'.", "labs/02-buckets/b.ts:2:1 TS2304 Cannot find name 'x2'."]);
  });

  it("reports a lab's type errors with the project's compiler options, also for a lab outside the project", async () => {
    const lab = join(dir, '02-buckets');
    mkdirSync(lab);
    writeFileSync(join(lab, 'a.ts'), "import { readFileSync } from 'node:fs';\nexport const n: number = readFileSync('x', 'utf8');\n");
    writeFileSync(join(lab, 'fine.ts'), 'export const m: number = 1;\n');
    const check = startTypeCheck(root, lab, dir);
    const summary = await check.result(Date.now() + 120_000);
    expect(summary).toEqual({ first: ["02-buckets/a.ts:2:14 TS2322 Type 'string' is not assignable to type 'number'."], count: 1 });
  }, 150_000);
});
