import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRepositories } from './fetch-submissions.ts';

const dir = mkdtempSync(join(tmpdir(), 'fetch-submissions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the instructor workflow\'s list of student repositories', () => {
  it('accepts commas, spaces and new lines, in any mix', () => {
    expect(parseRepositories('class/lab-ada, class/lab-bo  class/lab-cy\nclass/lab-dee,,')).toEqual(['class/lab-ada', 'class/lab-bo', 'class/lab-cy', 'class/lab-dee']);
    expect(parseRepositories('  ')).toEqual([]);
    expect(parseRepositories('class/lab-ada class/lab-ada')).toEqual(['class/lab-ada']);
  });

  it('refuses what is not owner/name, and two students that would share a folder', () => {
    expect(() => parseRepositories('class/lab-ada; class/lab-bo')).toThrow('Not owner/name: "class/lab-ada;"');
    expect(() => parseRepositories('lab-ada')).toThrow('Not owner/name: "lab-ada"');
    expect(() => parseRepositories('class/..')).toThrow('Not owner/name');
    expect(() => parseRepositories('a/lab, b/lab')).toThrow('a/lab and b/lab would both be the student "lab"');
  });

  it('clones each into a folder named after the repository (the CLI, with a stand-in gh on PATH)', () => {
    const bin = join(dir, 'bin');
    const calls = join(dir, 'calls.txt');
    mkdirSync(bin);
    writeFileSync(join(bin, 'gh'), `#!/bin/sh\necho "$@" >> '${calls}'\nmkdir -p "$4"\n`);
    chmodSync(join(bin, 'gh'), 0o755);
    const script = fileURLToPath(new URL('./fetch-submissions.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, join(dir, 'subs'), 'class/lab-ada,class/lab-bo class/lab-cy'], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(
      ['ada', 'bo', 'cy'].map((s) => `repo clone class/lab-${s} ${join(dir, 'subs', `lab-${s}`)} -- --depth 1 --quiet`),
    );
    expect(run.stdout).toContain('Fetched 3 submission(s)');
  });
});
