import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { programEnding, runProgram } from './run-program.ts';

const dir = mkdtempSync(join(tmpdir(), 'run-program-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

async function run(name: string, limits: { heapMiB?: number; rssMiB?: number } = {}) {
  const output: Array<[string, string]> = [];
  const outcome = await runProgram({ dir, program: name, env: { PATH: process.env.PATH }, timeoutSeconds: 60, onOutput: (text, stream) => output.push([stream, text]), ...limits });
  return { outcome, stdout: output.filter(([s]) => s === 'stdout').map(([, t]) => t).join(''), stderr: output.filter(([s]) => s === 'stderr').map(([, t]) => t).join('') };
}

describe('runProgram', () => {
  it("hands over all of the program's output before it resolves", async () => {
    const { outcome, stdout, stderr } = await run(program('chatty.ts', "const n: number = 2000;\nfor (let i = 0; i < n; i++) console.log(`line ${i}`);\nconsole.error('oops');\nprocess.exitCode = 3;\n"));
    expect(outcome).toMatchObject({ exitCode: 3, timedOut: false, outOfMemory: false });
    expect(stdout.trimEnd().split('\n')).toHaveLength(2000);
    expect(stdout.endsWith('line 1999\n')).toBe(true);
    expect(stderr).toBe('oops\n');
  });

  it("stops a runaway promise chain at the heap cap, and keeps V8's report out of the output", async () => {
    const { outcome, stderr } = await run(program('runaway.ts', "const kept: unknown[] = [];\nconst loop = (): Promise<void> => Promise.resolve().then(() => { kept.push({ a: new Array(64).fill(1) }); return loop(); });\nconsole.error('before');\nvoid loop();\n"), { heapMiB: 64 });
    expect(outcome.outOfMemory).toBe(true);
    expect(outcome.exitCode).not.toBe(0);
    expect(stderr).toBe('before\n');
    // What the runner then prints under the program's output: the cap, and what to look for.
    expect(programEnding(outcome, 60, { heapMiB: 64, rssMiB: 1536 })).toEqual({
      level: 'red',
      text: 'Your program was stopped: it used more memory than its cap (64 MiB of JavaScript heap, 1536 MiB in all). Look for a loop that never ends, such as a promise chain that schedules itself again (.then(loop)) or an array that only grows.',
    });
  });

  it('says nothing of a program that ended well, and names the exit code or the time limit otherwise', () => {
    const ended = { exitCode: 0, timedOut: false, outOfMemory: false, peakMiB: 80 };
    expect(programEnding(ended, 30)).toBeUndefined();
    expect(programEnding({ ...ended, exitCode: 2 }, 30)).toEqual({ level: 'yellow', text: 'Your program exited with code 2.' });
    expect(programEnding({ ...ended, exitCode: null, timedOut: true }, 30)?.text).toBe('Your program was stopped after 30 s.');
    expect(programEnding({ ...ended, exitCode: null, timedOut: true, peakMiB: 900 }, 30)?.text).toBe('Your program was stopped after 30 s. It was using 900 MiB of memory by then: look for a loop that never ends.');
  });

  it.runIf(process.platform === 'linux')('stops a program whose resident memory passes the cap outside the heap', async () => {
    const { outcome } = await run(program('buffers.ts', "const kept: Buffer[] = [];\nsetInterval(() => kept.push(Buffer.alloc(16 * 1024 * 1024, 1)), 5);\n"), { rssMiB: 256 });
    expect(outcome.outOfMemory).toBe(true);
    expect(outcome.timedOut).toBe(false);
  });
});
