/**
 * `npm run bench -- --only batch`: batch grading (`npm run grade`) with --jobs = the number of
 * cores, two ways (issue 16):
 * - `--class N` (default 100): N generated submissions of lab 02 (correct, partly wrong, not
 *   started, crashing at import, in turn, from fixtures/class); budget 2 min for 100.
 * - `--course`: one submission holding every lab's solution, the whole course; budget 15 s.
 * Prints the time against its budget, and exits 1 if any score is not the one expected.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { goalLine } from '../../scripts/bench/goal.ts';
import { buildClass, root } from './fixture-class.ts';
import { gradeBatch } from './grade-batch.ts';

const KINDS = ['correct', 'partly-wrong', 'not-started', 'crash-at-import'];
/** Lab 02's score for each kind (fixtures/class/<kind>/expected.json). */
const EXPECTED: Record<string, number> = { correct: 13, 'partly-wrong': 8, 'not-started': 0, 'crash-at-import': 9 };
const CLASS_BUDGET_SECONDS_PER_100 = 120;
const COURSE_BUDGET_SECONDS = 15;

/** N submissions of lab 02 under `submissions`, the kinds in turn. */
function generateClass(workDir: string, submissions: string, count: number): void {
  const templates = join(workDir, 'templates');
  buildClass(templates, (fixture) => KINDS.includes(fixture.student));
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length]!;
    cpSync(join(templates, kind), join(submissions, `${kind}-${String(i).padStart(3, '0')}`), { recursive: true });
  }
}

async function gradeClass(workDir: string, count: number, jobs: number): Promise<void> {
  const submissions = join(workDir, 'submissions');
  mkdirSync(submissions, { recursive: true });
  generateClass(workDir, submissions, count);
  const started = Date.now();
  const outcome = await gradeBatch({ root, submissions, out: join(workDir, 'out'), labs: [2], jobs });
  const seconds = (Date.now() - started) / 1000;
  const wrong = outcome.reports.filter((r) => r.score !== EXPECTED[r.student.replace(/-\d+$/, '')]);
  if (wrong.length > 0) throw new Error(`unexpected scores: ${wrong.map((r) => `${r.student} ${r.score}`).join(', ')}`);
  console.log(`${count} submissions of lab 02 in ${seconds.toFixed(1)} s with --jobs ${jobs}: ${(count / (seconds / 60)).toFixed(1)} submissions per minute`);
  console.log(goalLine(`class of ${count} (lab 02)`, seconds, (CLASS_BUDGET_SECONDS_PER_100 * count) / 100, 's'));
}

async function gradeCourse(workDir: string, jobs: number): Promise<void> {
  const submissions = join(workDir, 'submissions');
  // The instructor's labs/ folder holds every lab's solution: one student who did them all.
  cpSync(join(root, 'labs'), join(submissions, 'solution', 'labs'), { recursive: true, filter: (source) => !/[/\\](node_modules|\.work)$/.test(source) });
  const started = Date.now();
  // One submission's labs are graded one after another; the default 300 s limit (a guard against
  // a runaway submission) would stop a slow machine's run midway instead of reporting the miss.
  const outcome = await gradeBatch({ root, submissions, out: join(workDir, 'out'), jobs, submissionTimeoutSeconds: 3600 });
  const seconds = (Date.now() - started) / 1000;
  const report = outcome.reports[0]!;
  for (const lab of report.labs) console.log(`  ${lab.lab}: ${lab.score}/${lab.max_score} in ${lab.seconds.toFixed(1)} s`);
  const short = report.labs.filter((lab) => lab.score !== lab.max_score || lab.error);
  if (report.status !== 'graded' || short.length > 0) {
    throw new Error(`the course's solutions did not score in full (${report.status}${report.message ? `: ${report.message}` : ''}): ${short.map((l) => `${l.lab} ${l.score}/${l.max_score}${l.error ? ` (${l.error})` : ''}`).join(', ')}`);
  }
  console.log(`the whole course (${report.labs.length} labs, one submission) in ${seconds.toFixed(1)} s with --jobs ${jobs}`);
  console.log(goalLine('whole course, one submission', seconds, COURSE_BUDGET_SECONDS, 's'));
}

const { values } = parseArgs({ options: { class: { type: 'string' }, course: { type: 'boolean', default: false }, jobs: { type: 'string' } } });
const jobs = values.jobs ? Number(values.jobs) : availableParallelism();
const workDir = join(root, '.work', `bench-batch-${process.pid}`);
try {
  if (values.course) await gradeCourse(workDir, jobs);
  else {
    const count = Number(values.class ?? 100);
    if (!Number.isInteger(count) || count < 1) throw new Error('--class takes a positive number of submissions');
    await gradeClass(workDir, count, jobs);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
