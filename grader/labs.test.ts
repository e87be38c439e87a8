import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findLab, resolveSubmission } from './labs.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, '.work', `labs-test-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('findLab', () => {
  it('finds lab 2 with its manifest and check file', () => {
    const lab = findLab(root, 2);
    expect(lab.id).toBe('02-buckets');
    expect(lab.manifest.program).toBe('main.ts');
    expect(lab.checkFiles).toEqual(['checks/02-buckets.check.ts']);
  });

  it('names the labs there are when the number does not exist', () => {
    expect(() => findLab(root, 99)).toThrow(/^There is no lab 99\. Labs available: .*2 \(Create a bucket safely\)/);
  });
});

describe('resolveSubmission', () => {
  const lab = findLab(root, 2);

  it('accepts a copy of the labs folder or of the lab folder itself', () => {
    const labsCopy = join(work, 'labs');
    cpSync(lab.dir, join(labsCopy, '02-buckets'), { recursive: true });
    expect(resolveSubmission(lab, labsCopy)).toBe(join(labsCopy, '02-buckets'));
    expect(resolveSubmission(lab, join(labsCopy, '02-buckets'))).toBe(join(labsCopy, '02-buckets'));
    expect(resolveSubmission(lab, undefined)).toBe(lab.dir);
  });

  it('says what it looked for in a folder that is neither', () => {
    mkdirSync(join(work, 'empty'), { recursive: true });
    expect(() => resolveSubmission(lab, join(work, 'empty'))).toThrow('found neither 02-buckets/main.ts nor main.ts there');
  });
});
