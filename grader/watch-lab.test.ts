import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { isLabChange, watchLab } from './watch-lab.ts';

const dir = mkdtempSync(join(tmpdir(), 'watch-lab-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('watchLab', () => {
  it('grades at once, then once more for a burst of saves, and not for editor droppings', async () => {
    writeFileSync(join(dir, 'create-bucket.ts'), 'export {};\n');
    const stop = new AbortController();
    const lines: string[] = [];
    let runs = 0;
    const watching = watchLab(dir, async () => void runs++, { log: (line) => lines.push(line), signal: stop.signal });
    await sleep(500);
    expect(runs).toBe(1);
    writeFileSync(join(dir, '.create-bucket.ts.swp'), 'x');
    writeFileSync(join(dir, 'create-bucket.ts~'), 'x');
    await sleep(800);
    expect(runs).toBe(1);
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, 'create-bucket.ts'), `export const v = ${i};\n`);
    for (let waited = 0; runs < 2 && waited < 10_000; waited += 100) await sleep(100);
    await sleep(800);
    expect(runs).toBe(2);
    expect(lines).toContain('\n── create-bucket.ts changed: grading again ──');
    stop.abort();
    await watching;
  });

  it('ignores swap, backup and dot files', () => {
    expect(isLabChange('create-bucket.ts')).toBe(true);
    expect(isLabChange('util/x.ts')).toBe(true);
    expect(isLabChange('.create-bucket.ts.swp')).toBe(false);
    expect(isLabChange('create-bucket.ts~')).toBe(false);
    expect(isLabChange('node_modules/a/b.js')).toBe(false);
  });
});
