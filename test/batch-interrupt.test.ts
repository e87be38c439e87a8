/**
 * `npm run grade` stopped half-way: by Ctrl-C (SIGINT, which a terminal sends to the
 * batch's process group, not to its children's groups) or killed outright (SIGKILL). Either
 * way, nothing of it may grade on: no grading child, vitest or student process left, no
 * temp folder, no lock on a block of users.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { buildClass, root } from '../grader/batch/fixture-class.ts';
import { processesNaming } from '../grader/process-tree.ts';

const work = mkdtempSync(join(tmpdir(), 'bi-'));
// As the OS temp folder is: the students' users (root sandbox) pass through it.
chmodSync(work, 0o711);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function startBatch(name: string): { child: ChildProcess; temp: string; output: () => string; exited: Promise<number | null> } {
  const submissions = join(work, `${name}-class`);
  buildClass(submissions, (f) => ['infinite-loop', 'correct', 'partly-wrong'].includes(f.student));
  const temp = mkdtempSync(join(work, 't-'));
  chmodSync(temp, 0o711);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/grade.ts', '--submissions', submissions, '--out', join(work, `${name}-out`), '--labs', '2', '--jobs', '1', '--group', '3', '--seed', '5'], {
    cwd: root,
    env: { ...process.env, TMPDIR: temp },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, temp, output: () => output, exited };
}


/** Waits until the batch is grading (its group's checks run: the infinite loop keeps them busy). */
async function untilGrading(output: () => string): Promise<void> {
  for (let i = 0; i < 600 && !output().includes('Sandbox:'); i++) await sleep(50);
  expect(output()).toContain('Sandbox:');
  await sleep(4_000);
}

async function untilNoneLeft(path: string): Promise<string[]> {
  for (let i = 0; i < 100 && processesNaming(path).length > 0; i++) await sleep(50);
  return processesNaming(path);
}

const LOCKS = '/tmp/aws-dev-labs-users';
const locksOf = (pid: number) => (existsSync(LOCKS) ? readdirSync(LOCKS).filter((name) => name.endsWith('.lock') && readFileSync(join(LOCKS, name), 'utf8') === String(pid)) : []);

it('stops every part of the batch on Ctrl-C, says how to resume, and leaves nothing behind', async () => {
  const batch = startBatch('sigint');
  await untilGrading(batch.output);
  expect(processesNaming(join(work, 'sigint-class')).length).toBeGreaterThan(0);
  batch.child.kill('SIGINT');
  expect(await batch.exited).toBe(130);
  expect(batch.output()).toContain('Grading was interrupted (SIGINT)');
  expect(await untilNoneLeft(join(work, 'sigint-class'))).toEqual([]);
  expect(await untilNoneLeft(batch.temp)).toEqual([]);
  // The grading children's temp folders (tsx keeps its own cache there too, which may stay).
  expect(readdirSync(batch.temp).filter((name) => name.startsWith('gs-'))).toEqual([]);
  expect(locksOf(batch.child.pid!)).toEqual([]);
}, 120_000);

it('stops its grading children when the batch itself is killed (SIGKILL runs no handler)', async () => {
  const batch = startBatch('sigkill');
  await untilGrading(batch.output);
  batch.child.kill('SIGKILL');
  await batch.exited;
  // Each grading child notices within a second that its batch is gone, and takes its processes with it.
  for (let i = 0; i < 100 && processesNaming(join(work, 'sigkill-class')).length > 0; i++) await sleep(100);
  expect(processesNaming(join(work, 'sigkill-class'))).toEqual([]);
}, 120_000);
