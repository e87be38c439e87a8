import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSubmission } from './compile-submission.ts';
import { IMPORTABLE_PACKAGES } from './student-sandbox.ts';

const base = mkdtempSync(join(tmpdir(), 'compile-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function lab(files: Record<string, string>): string {
  const dir = join(base, `lab-${Object.keys(files).join('-').replace(/[^a-z]/g, '')}`, '02-buckets');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('compileSubmission', () => {
  it('compiles each file to .mjs beside the others, keeping SDK, node: and own-folder imports', async () => {
    const dir = lab({
      'main.ts': "import { S3Client } from '@aws-sdk/client-s3';\nimport { readFileSync } from 'node:fs';\nimport { helper } from './util/helper.ts';\nexport const x: number = helper();\nexport { S3Client, readFileSync };\n",
      'util/helper.ts': 'export function helper(): number { return 42; }\n',
      'config.ini': '[S3]\n',
      'main.test.ts': "import { it } from 'vitest';\n",
    });
    const out = join(base, 'out-ok');
    const compiled = await compileSubmission(dir, out);
    expect(compiled.problems).toEqual({});
    const main = readFileSync(join(out, 'main.mjs'), 'utf8');
    expect(main).toContain('./util/helper.mjs');
    expect(main).toContain('@aws-sdk/client-s3');
    expect(readFileSync(join(out, 'config.ini'), 'utf8')).toBe('[S3]\n');
    const helper = await import(join(out, 'util/helper.mjs'));
    expect(helper.helper()).toBe(42);
  });

  it('refuses imports from outside the lab folder and of other packages, in the module that imports them', async () => {
    const dir = lab({
      'evaluate.ts': "export { evaluate } from '../../emulator/policy/evaluate.ts';\n",
      'oracle.ts': "import '@cloud-copilot/iam-simulate';\nexport const y = 1;\n",
      'fine.ts': 'export const z = 3;\n',
    });
    const out = join(base, 'out-refused');
    const compiled = await compileSubmission(dir, out);
    expect(compiled.problems['evaluate.ts']).toBe(
      '02-buckets/evaluate.ts imports ../../emulator/policy/evaluate.ts: graded code may only import the AWS SDK (@aws-sdk/*, @smithy/*, @aws-crypto/*), Node built-ins (node:*) and files of its own lab folder (02-buckets/).',
    );
    expect(compiled.problems['oracle.ts']).toContain('imports @cloud-copilot/iam-simulate: graded code may only import');
    expect(compiled.problems['fine.ts']).toBeUndefined();
    await expect(import(join(out, 'evaluate.mjs'))).rejects.toThrow('graded code may only import');
  });

  it('turns a syntax error into a module that throws it, with file, line and column', async () => {
    const dir = lab({ 'broken.ts': 'export function f( {\n', 'typo.ts': 'export const x = 1 +;\n' });
    const out = join(base, 'out-broken');
    const compiled = await compileSubmission(dir, out);
    expect(compiled.problems['broken.ts']).toMatch(/^02-buckets\/broken\.ts:\d+:\d+: Expected/);
    // A code frame: the line, then a caret under the column.
    expect(compiled.problems['typo.ts']).toBe('02-buckets/typo.ts:1:21: Unexpected ";"\n  1 | export const x = 1 +;\n    |                     ^');
    await expect(import(join(out, 'broken.mjs'))).rejects.toThrow(/broken\.ts:\d+:\d+/);
  });
});

describe("the student README's import rule", () => {
  it('names exactly the packages the compiler lets graded code import', () => {
    const readme = readFileSync(fileURLToPath(new URL('../templates/student/README.md', import.meta.url)), 'utf8');
    const rule = /^- \*\*Graded code may import\*\*[\s\S]*?(?=\n- |\n\n)/m.exec(readme)?.[0];
    expect(rule, 'templates/student/README.md has a "Graded code may import" item').toBeDefined();
    const scopes = [...rule!.matchAll(/`(@[a-z0-9-]+\/)`/g)].map((m) => m[1]);
    expect(scopes.sort()).toEqual([...IMPORTABLE_PACKAGES].sort());
    expect(rule).toContain("Node's built-in modules");
    expect(rule).toContain('files of its own lab folder');
  });
});
