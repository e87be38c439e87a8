import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTagged, WIRE_TAG } from '../sandbox/wire.ts';
import { prepareStudentWork } from './prepare-student-work.ts';
import { StudentProcess, StudentProcessStopped } from './student-process.ts';
import { DEFAULT_POLICY, sandboxLayout, type SandboxLayout } from './student-sandbox.ts';

/**
 * The student process on its own (no emulator): calls, callbacks, errors, what the
 * sandbox refuses, and a kill that stops an endless loop.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'student-process-test-'));
const secret = join(base, 'secret.txt');
let layout: SandboxLayout;

const LAB = `
import { readFileSync } from 'node:fs';
export const greeting: string = 'hello';
export function add(a: number, b: number): number { return a + b; }
export async function twice(callback: (n: number) => Promise<number>): Promise<number> { return (await callback(1)) + (await callback(2)); }
export function counter(): () => number { let n = 0; return () => ++n; }
export function fail(): never { const error = new Error('no bucket'); error.name = 'NoSuchBucket'; throw error; }
export function read(path: string): string { return readFileSync(path, 'utf8'); }
export function region(): string | undefined { console.log('asked for the region'); return process.env.AWS_REGION; }
export function spin(): void { for (;;) {} }
`;

const env = (vars: Record<string, string | null> = {}) => ({ check: 1, vars });

async function start(): Promise<StudentProcess> {
  return StudentProcess.start({ root, layout, policy: DEFAULT_POLICY, awsEnv: { AWS_REGION: 'eu-west-1' }, emulatorPort: 1, services: [], onCallback: async (fn, args) => (fn === 7 ? (args[0] as number) * 10 : undefined) });
}

beforeAll(async () => {
  const lab = join(base, 'lab', '09-test');
  mkdirSync(lab, { recursive: true });
  writeFileSync(join(lab, 'code.ts'), LAB);
  writeFileSync(secret, 'the instructor key');
  layout = sandboxLayout(await prepareStudentWork(root, lab, base, DEFAULT_POLICY));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('StudentProcess', () => {
  it('loads a module, calls its functions with plain data and the check environment, and calls back', async () => {
    const student = await start();
    try {
      expect(await student.load('code.ts')).toMatchObject({ functions: expect.arrayContaining(['add', 'twice']), values: { greeting: 'hello' } });
      expect(await student.call('code.ts', 'add', [2, 3], env())).toBe(5);
      expect(await student.call('code.ts', 'region', [], env())).toBe('eu-west-1');
      expect(await student.call('code.ts', 'region', [], { check: 2, vars: { AWS_REGION: 'ap-northeast-2' } })).toBe('ap-northeast-2');
      expect(student.recentOutput()).toContain('asked for the region');
      expect(await student.call('code.ts', 'twice', [{ [WIRE_TAG]: 'fn', id: 7 }], env())).toBe(30);
      const handle = await student.call('code.ts', 'counter', [], env());
      expect(isTagged(handle) && handle[WIRE_TAG] === 'handle').toBe(true);
      const id = (handle as { id: number }).id;
      expect([await student.invoke(id, [], env()), await student.invoke(id, [], env())]).toEqual([1, 2]);
    } finally {
      student.kill(new StudentProcessStopped('test over'));
    }
  });

  it('reports a thrown error by name and message, and refuses reads outside its folders', async () => {
    const student = await start();
    try {
      await expect(student.call('code.ts', 'fail', [], env())).rejects.toMatchObject({ name: 'NoSuchBucket', message: 'no bucket' });
      await expect(student.call('code.ts', 'read', [secret], env())).rejects.toMatchObject({ message: expect.stringContaining('Access to this API has been restricted') });
      await expect(student.call('code.ts', 'read', [join(layout.exchangeDir, 'missing')], env())).rejects.toMatchObject({ message: expect.stringContaining('ENOENT') });
    } finally {
      student.kill(new StudentProcessStopped('test over'));
    }
  });

  it('stops an endless loop when killed: the call fails with the reason, and the process is gone', async () => {
    const student = await start();
    const spinning = student.call('code.ts', 'spin', [], env());
    await new Promise((resolve) => setTimeout(resolve, 200));
    const reason = new Error('time is up');
    student.kill(reason);
    await expect(spinning).rejects.toBe(reason);
    expect(student.alive).toBe(false);
    await expect(student.call('code.ts', 'add', [1, 1], env())).rejects.toBe(reason);
  });
});
