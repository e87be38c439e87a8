import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSubmission } from './compile-submission.ts';
import { IMPORTABLE_PACKAGES, importablePackagesOf } from './student-sandbox.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

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

  it("keeps to a lab's own shorter list: lab 10 (sign by hand) may import no package at all", async () => {
    const packages = importablePackagesOf(root, '10-sigv4');
    expect(packages).toEqual([]);
    const dir = lab({ 'signer.ts': "import { SignatureV4 } from '@smithy/signature-v4';\nimport { createHmac } from 'node:crypto';\nexport { SignatureV4, createHmac };\n", 'hmac.ts': "import { createHmac } from 'node:crypto';\nexport { createHmac };\n" });
    const compiled = await compileSubmission(dir, join(base, 'out-no-packages'), packages);
    expect(compiled.problems['signer.ts']).toBe(
      '02-buckets/signer.ts imports @smithy/signature-v4: in this lab, graded code may only import Node built-ins (node:*) and files of its own lab folder (02-buckets/), no package: the lab asks you to write it yourself.',
    );
    expect(compiled.problems['hmac.ts']).toBeUndefined();
    // Every other lab keeps the whole SDK.
    expect(importablePackagesOf(root, '02-buckets')).toEqual(IMPORTABLE_PACKAGES);
  });

  it("refuses a lab.json whose import list names a package outside the SDK's scopes", () => {
    const course = join(base, 'course');
    mkdirSync(join(course, 'labs', '99-x'), { recursive: true });
    writeFileSync(join(course, 'labs', '99-x', 'lab.json'), JSON.stringify({ importablePackages: ['left-pad'] }));
    expect(() => importablePackagesOf(course, '99-x')).toThrow('importablePackages must list packages of @aws-sdk/, @smithy/, @aws-crypto/');
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
