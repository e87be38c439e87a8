import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTagged, WIRE_TAG } from '../sandbox/wire.ts';
import { prepareStudentWork } from './prepare-student-work.ts';
import { StudentProcess, StudentProcessStopped, type GraderHooks } from './student-process.ts';
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
export async function pollThreeTimes(): Promise<number[]> {
  const seen = [Date.now()];
  for (let i = 0; i < 3; i++) { await new Promise((resolve) => setTimeout(resolve, 20_000)); seen.push(Date.now()); }
  return seen;
}
export async function sleepWithTimersPromises(): Promise<number> {
  const { setTimeout: sleep } = await import('node:timers/promises');
  const start = Date.now();
  await sleep(90_000);
  return Date.now() - start;
}
export async function timerDuringRequest(url: string): Promise<string[]> {
  const order: string[] = [];
  const timer = new Promise<void>((resolve) => setTimeout(() => { order.push('timer'); resolve(); }, 100));
  const request = fetch(url).then((response) => response.text()).then((text) => { order.push(text); });
  await Promise.all([timer, request]);
  return order;
}
export async function sleep(ms: number): Promise<string> { await new Promise((resolve) => setTimeout(resolve, ms)); return 'woke'; }
export function now(): number { return Date.now(); }
export function hog(): number { const kept: number[][] = []; for (;;) kept.push(new Array(4096).fill(kept.length)); }
`;

const env = (vars: Record<string, string | null> = {}) => ({ check: 1, vars });

async function start(hooks: Partial<GraderHooks> = {}, emulatorPort = 1, policy = DEFAULT_POLICY): Promise<StudentProcess> {
  return StudentProcess.start({ root, layout, policy, awsEnv: { AWS_REGION: 'eu-west-1' }, emulatorPort, services: [], hooks: { callback: async (fn, args) => (fn === 7 ? (args[0] as number) * 10 : undefined), ...hooks } });
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

  it('says so when the code hits its heap cap, instead of a bare crash', async () => {
    const student = await start({}, 1, { ...DEFAULT_POLICY, heapMiB: 64 });
    try {
      await expect(student.call('code.ts', 'hog', [], env())).rejects.toMatchObject({
        name: 'StudentProcessStopped',
        message: 'Your code ran out of memory (the grading process has a memory limit) and was stopped.',
      });
      expect(student.alive).toBe(false);
    } finally {
      student.kill(new StudentProcessStopped('test over'));
    }
  }, 60_000);
});

describe('virtual time in the student process', () => {
  const START = Date.UTC(2030, 0, 1);
  const virtual = (check: number) => ({ check, vars: {}, virtualTimeFromMs: START });

  it("moves the student's clock to each timer the grader grants, without waiting for it", async () => {
    const asked: number[] = [];
    const student = await start({ wait: async (untilMs) => (asked.push(untilMs), untilMs) });
    try {
      // 60 s of polls: a test timeout (30 s) if they were waited for in real time.
      expect(await student.call('code.ts', 'pollThreeTimes', [], virtual(1))).toEqual([START, START + 20_000, START + 40_000, START + 60_000]);
      expect(asked).toEqual([START + 20_000, START + 40_000, START + 60_000]);
      expect(await student.call('code.ts', 'sleepWithTimersPromises', [], virtual(1))).toBe(90_000);
      // Pauses under a millisecond are due at once (a backoff may draw one): they fire too.
      expect(await student.call('code.ts', 'sleep', [0.4], virtual(1))).toBe('woke');
      expect(await student.call('code.ts', 'sleep', [0], virtual(1))).toBe('woke');
    } finally {
      student.kill(new StudentProcessStopped('test over'));
    }
  });

  it('leaves the clock alone while a request is in flight', async () => {
    const server = createServer((_request, response) => setTimeout(() => response.end('response'), 300)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    const student = await start({ wait: async (untilMs) => untilMs }, port);
    try {
      // With real timers the timer (100 ms) fires first; virtual time moves only once the response is in.
      expect(await student.call('code.ts', 'timerDuringRequest', [`http://127.0.0.1:${port}/`], virtual(2))).toEqual(['response', 'timer']);
    } finally {
      student.kill(new StudentProcessStopped('test over'));
      server.close();
    }
  });

  it('moves time only when the grader answers', async () => {
    let grant: () => void = () => undefined;
    const student = await start({ wait: (untilMs) => new Promise((resolve) => (grant = () => resolve(untilMs))) });
    try {
      let settled = false;
      const sleeping = student.call('code.ts', 'sleep', [10], virtual(3)).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      grant();
      expect(await sleeping).toBe('woke');
    } finally {
      student.kill(new StudentProcessStopped('test over'));
    }
  });

  it('runs on real time again in a check that does not ask for virtual time', async () => {
    const student = await start({ wait: async (untilMs) => untilMs });
    try {
      expect(await student.call('code.ts', 'now', [], virtual(4))).toBe(START);
      const realNow = (await student.call('code.ts', 'now', [], { check: 5, vars: {} })) as number;
      expect(Math.abs(realNow - Date.now())).toBeLessThan(60_000);
      expect(await student.call('code.ts', 'sleep', [20], { check: 5, vars: {} })).toBe('woke');
    } finally {
      student.kill(new StudentProcessStopped('test over'));
    }
  });
});
