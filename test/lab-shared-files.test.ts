/**
 * Each lab folder stands alone (a student can be handed one folder, and the grader
 * accepts a single lab folder as a submission), so the few helpers every lab needs are
 * copied into each lab rather than imported from a shared folder. This keeps the copies
 * identical: labs/02-buckets holds the reference, tested by read-config.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const labsDir = fileURLToPath(new URL('../labs', import.meta.url));
const labs = readdirSync(labsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

function copiesOf(file: string): Array<{ lab: string; text: string }> {
  return labs.filter((lab) => existsSync(join(labsDir, lab, file))).map((lab) => ({ lab, text: readFileSync(join(labsDir, lab, file), 'utf8') }));
}

describe('helpers copied into every lab folder', () => {
  it.each(['read-config.ts', 'ensure-bucket.ts'])('every copy of %s is the same file', (file) => {
    const copies = copiesOf(file);
    expect(copies.length).toBeGreaterThanOrEqual(2);
    const reference = copies[0]!.text;
    expect(copies.filter((c) => c.text !== reference).map((c) => c.lab)).toEqual([]);
  });
});
