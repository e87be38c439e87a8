import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProgram } from './run-program.ts';

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
  });

  it.runIf(process.platform === 'linux')('stops a program whose resident memory passes the cap outside the heap', async () => {
    const { outcome } = await run(program('buffers.ts', "const kept: Buffer[] = [];\nsetInterval(() => kept.push(Buffer.alloc(16 * 1024 * 1024, 1)), 5);\n"), { rssMiB: 256 });
    expect(outcome.outOfMemory).toBe(true);
    expect(outcome.timedOut).toBe(false);
  });
});
