/**
 * The grading child with a group of several submissions: one run of the lab's checks
 * grades each member to the score it earns alone, keeps each member's output in its own
 * log only, and stops the group for a member over its time budget (the batch then grades
 * it alone; grade-batch.ts). Scores come from fixtures/class/<student>/expected.json, the
 * same ones test/batch-grading.test.ts holds the whole batch to.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processesNaming } from '../process-tree.ts';
import { DEFAULT_POLICY } from '../student-sandbox.ts';
import { buildClass, LAB, root, type ClassFixture } from './fixture-class.ts';
import type { GradedLab } from './grade-lab.ts';
import { memberLines, OVER_BUDGET_FILE, type GroupJob, type OverBudget } from './group-job.ts';

const dir = mkdtempSync(join(tmpdir(), 'group-child-test-'));
const submissions = join(dir, 'submissions');
let fixtures: ClassFixture[];

beforeAll(() => {
  fixtures = buildClass(submissions, (f) => ['correct', 'partly-wrong', 'prints-a-lot', 'infinite-loop'].includes(f.student));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runChild(name: string, students: string[], budgetSeconds: number, labs = [2], from = submissions): Promise<{ code: number | null; temp: string; out: string; stdout: string }> {
  const temp = join(dir, `${name}-temp`);
  const out = join(dir, `${name}-out`);
  mkdirSync(temp);
  const job: GroupJob = {
    members: students.map((student) => ({ student, labsDir: join(from, student, 'labs'), outDir: join(out, student), sandbox: DEFAULT_POLICY })),
    labs,
    seed: 4242,
    budgetSeconds,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'grader/batch/grade-submission.ts'), root, temp, JSON.stringify(job)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, temp, out, stdout }));
  });
}

const graded = (out: string, student: string, lab = LAB) => JSON.parse(readFileSync(join(out, student, 'labs', `${lab}.json`), 'utf8')) as GradedLab;

it("grades every member of a group to the score it earns alone, each member's output in its own log only", async () => {
  const students = ['prints-a-lot', 'partly-wrong', 'correct'];
  const { code, out, stdout } = await runChild('together', students, 300);
  expect(code).toBe(0);
  for (const student of students) {
    const expected = fixtures.find((f) => f.student === student)!;
    const lab = graded(out, student);
    expect(lab.score, `${student}: ${JSON.stringify(lab.checks.filter((c) => c.status !== 'passed'))}`).toBe(expected.score);
    expect(lab.checks.every((c) => c.submission === undefined)).toBe(true);
    expect(memberLines(stdout, student)).toEqual([`${LAB}: ${expected.score}/13`]);
  }
  // prints-a-lot prints on every client it makes; nobody else's log may hold a line of it.
  expect(readFileSync(join(out, 'prints-a-lot', 'labs', `${LAB}.log`), 'utf8')).toContain('creating a client, attempt setting');
  for (const student of ['partly-wrong', 'correct']) expect(readFileSync(join(out, student, 'labs', `${LAB}.log`), 'utf8')).not.toContain('creating a client');
}, 180_000);

it('scores a member without the lab 0 with the reason, and grades the rest of its group as usual', async () => {
  mkdirSync(join(submissions, 'no-lab', 'labs', '01-identity'), { recursive: true });
  const { code, out } = await runChild('absent', ['no-lab', 'correct'], 300);
  expect(code).toBe(0);
  const absent = graded(out, 'no-lab');
  expect([absent.score, absent.max_score, absent.checks, absent.error]).toEqual([0, 13, [], `labs/${LAB} is not in the submission: the lab scores 0.`]);
  expect(graded(out, 'correct').score).toBe(13);
}, 180_000);

it('stops the group for a member whose checks run past its budget, and writes no result for anyone', async () => {
  // infinite-loop's waiter never returns: that check alone runs to its 8 s limit. It goes
  // first, so the group stops before correct's checks have even started. A budget of 4 s
  // leaves the watch (every 250 ms) seconds to see it pass, however slowly its first checks run.
  const budgetSeconds = 4;
  const { code, temp, out, stdout } = await runChild('over', ['infinite-loop', 'correct'], budgetSeconds);
  expect(code).toBe(0);
  expect(existsSync(join(temp, OVER_BUDGET_FILE)), `no ${OVER_BUDGET_FILE}; the grading child said:\n${stdout}`).toBe(true);
  const over = JSON.parse(readFileSync(join(temp, OVER_BUDGET_FILE), 'utf8')) as OverBudget;
  expect(over.student).toBe('infinite-loop');
  expect(over.seconds).toBeGreaterThan(budgetSeconds);
  expect(memberLines(stdout, 'infinite-loop')).toEqual([expect.stringMatching(/^went over its time budget \(\d+\.\d s\): the group stops here$/)]);
  for (const student of ['correct', 'infinite-loop']) expect(existsSync(join(out, student, 'labs', `${LAB}.json`))).toBe(false);
  // Stopped mid-check, the endless loop's student process goes with the checks (the batch's clean-up is not needed for it).
  expect(processesNaming(temp)).toEqual([]);
}, 180_000);


it("grades a submission whose modules keep state between calls the same in a group as alone, on a lab with a hidden check file", async () => {
  // Lab 10 has two check files. At this seed its first file makes 2,780 calls of
  // canonicalRequest in one process, its hidden file 240: this one goes wrong past its
  // 2,900th call, so only a process carried over from one file to the next fails.
  const lab10 = join(root, 'labs', '10-sigv4');
  const stateful = join(dir, 'stateful');
  for (const student of ['honest', 'counts-calls']) cpSync(lab10, join(stateful, student, 'labs', '10-sigv4'), { recursive: true });
  const file = join(stateful, 'counts-calls', 'labs', '10-sigv4', 'canonical-request.ts');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, `let calls = 0;\n${text.replace('  // BEGIN SOLUTION TODO 1\n', "  // BEGIN SOLUTION TODO 1\n  if (++calls > 2900) return 'stale';\n")}`);
  const alone = await runChild('stateful-alone', ['counts-calls'], 300, [10], stateful);
  const together = await runChild('stateful-group', ['honest', 'counts-calls'], 300, [10], stateful);
  const score = (out: string) => graded(out, 'counts-calls', '10-sigv4').checks.map((c) => `${c.name}: ${c.status}`);
  expect(score(together.out)).toEqual(score(alone.out));
  expect(graded(alone.out, 'counts-calls', '10-sigv4').score).toBe(26);
  expect(graded(together.out, 'honest', '10-sigv4').score).toBe(26);
}, 240_000);
