import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newRunSeed } from '../../checks/support/random.ts';
import { listLabs, manifestPoints, pickLab, type Lab } from '../labs.ts';
import { hiddenVisibilityFrom, readStudentReports, STUDENT_RESULT, writeClassReports, writeStudentReports } from '../reports/write-reports.ts';
import { totals, type GradedLab, type StudentReport } from '../reports/student-report.ts';
import { BoundedOutput } from './bounded-output.ts';
import type { SubmissionJob } from './grade-submission.ts';
import type { SandboxPolicy } from '../student-sandbox.ts';
import { killProcessesOf, sandboxForSubmission } from './submission-sandbox.ts';
import { createProgress, type BatchProgress } from './progress.ts';
import { checksVersion, readRunRecord, runMismatch, writeRunRecord, type RunRecord } from './run-record.ts';
import { inShard, type Shard } from './shard.ts';

export interface BatchOptions {
  /** The instructor's project root. */
  root: string;
  /** A folder with one folder per student (their clone of the student edition). */
  submissions: string;
  out: string;
  /** Lab numbers; default every lab. */
  labs?: number[];
  jobs: number;
  /** Limit for one submission, all its labs (default 300 s). */
  submissionTimeoutSeconds?: number;
  /** Grade again the students OUT already has; replace the run OUT holds if it differs. */
  force?: boolean;
  /** Default: the seed of the run OUT holds (a rerun resumes it), else a new one. */
  seed?: number;
  /** Grade only this part of the class (shard.ts). */
  shard?: Shard;
  /** A start line, then one line per student graded or skipped (plain lines when `progress` is not given). */
  log?: (line: string) => void;
  /** Instead of `log`: a live progress display (progress.ts). */
  progress?: BatchProgress;
}

export interface BatchOutcome {
  graded: string[];
  skipped: string[];
  reports: StudentReport[];
  /** What OUT/run.json now says. */
  run: RunRecord;
}

const GRADE_SUBMISSION = fileURLToPath(new URL('./grade-submission.ts', import.meta.url));

/** Students: the folders of the submissions folder, by name (dot-folders left out). */
export function listStudents(submissions: string): string[] {
  return readdirSync(submissions, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

/** A student's labs folder: <student>/labs in a clone of the student edition, else the folder itself. */
function labsDirOf(submission: string): string {
  const nested = join(submission, 'labs');
  return existsSync(nested) ? nested : submission;
}

/**
 * `npm run grade`: grades every submission (of the shard, when one is given), N at a
 * time, each in a child process of its own (process group, so a timeout stops all of it),
 * writing each student's reports as soon as they are graded and the class reports at the
 * end. OUT/run.json records the labs, seed and checks: a rerun into the same OUT resumes
 * that run (it skips the students OUT already has, unless `force`); a run with other
 * labs, seed or checks is refused, unless `force` replaces it.
 */
export async function gradeBatch(options: BatchOptions): Promise<BatchOutcome> {
  const root = resolve(options.root);
  const out = resolve(options.out);
  const allLabs = listLabs(root);
  const labs = options.labs ? options.labs.map((n) => pickLab(allLabs, n)) : allLabs;
  const hiddenVisibility = hiddenVisibilityFrom(root);
  const log = options.log ?? (() => undefined);
  const progress = options.progress ?? createProgress({ write: (text) => log(text.replace(/\n$/, '')), tty: false });
  const classStudents = listStudents(options.submissions);
  const students = classStudents.filter((student) => inShard(student, options.shard));

  const previous = readRunRecord(out);
  const run: RunRecord = {
    version: 1,
    seed: options.seed ?? previous?.seed ?? newRunSeed(),
    labs: labs.map((l) => l.id),
    checks: checksVersion(root, labs),
    ...(options.shard ? { shard: options.shard } : {}),
    students,
  };
  const mismatch = previous ? runMismatch(previous, run) : readStudentReports(out).length > 0 ? 'results without a run.json' : undefined;
  if (mismatch && !options.force) {
    throw new Error(`${options.out} holds another run (${mismatch}). Grade into a new folder, or add --force to replace that run (every student is graded again).`);
  }
  if (mismatch && previous) {
    // Replaced: the old run's students this run does not grade would keep its results.
    for (const student of previous.students.filter((s) => !students.includes(s))) rmSync(join(out, student), { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  // Before grading: an interrupted run resumes with the same seed.
  writeRunRecord(out, run);

  const regrade = options.force || mismatch !== undefined;
  const todo = students.filter((student) => regrade || !alreadyGraded(join(out, student), labs));
  const skipped = students.filter((student) => !todo.includes(student));
  const jobs = Math.max(1, Math.min(options.jobs, todo.length));
  progress.start({ total: todo.length, skipped: skipped.length, labs: run.labs, jobs, seed: run.seed, shard: options.shard, classSize: classStudents.length });
  for (const student of skipped) progress.note(`${student}: already graded (use --force to grade again)`);

  const queue = [...todo];
  const worker = async () => {
    for (let student = queue.shift(); student !== undefined; student = queue.shift()) {
      const sandbox = sandboxForSubmission(root, todo.indexOf(student));
      const report = await gradeOne(root, join(resolve(options.submissions), student), join(out, student), student, labs, run.seed, sandbox, options);
      writeStudentReports(join(out, student), report, hiddenVisibility);
      progress.graded(`${student}: ${report.score}/${report.max_score}${report.status === 'graded' ? '' : ` (${report.status})`} in ${report.seconds.toFixed(1)} s`);
    }
  };
  try {
    await Promise.all(Array.from({ length: todo.length === 0 ? 0 : jobs }, worker));
  } finally {
    progress.end();
  }

  const reports = readStudentReports(out).filter((r) => students.includes(r.student));
  writeClassReports(out, reports, { root, submissions: resolve(options.submissions), labIds: run.labs });
  return { graded: todo, skipped, reports, run };
}

function alreadyGraded(dir: string, labs: Lab[]): boolean {
  const file = join(dir, STUDENT_RESULT);
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8')) as StudentReport;
  return labs.every((lab) => report.labs.some((l) => l.lab === lab.id));
}

async function gradeOne(root: string, submission: string, dir: string, student: string, labs: Lab[], seed: number, sandbox: SandboxPolicy, options: BatchOptions): Promise<StudentReport> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'labs'), { recursive: true });
  const started = Date.now();
  const timeoutSeconds = options.submissionTimeoutSeconds ?? 300;
  const output = new BoundedOutput();
  const job: SubmissionJob = { student, labs: labs.map((l) => l.number), seed, sandbox };
  // Made and removed here, not in the grading process: a timeout kills that process before its own clean-up.
  const tempDir = mkdtempSync(join(tmpdir(), 'gs-'));
  const exit = await new Promise<{ code: number | null; timedOut: boolean }>((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), GRADE_SUBMISSION, root, labsDirOf(submission), dir, tempDir, JSON.stringify(job)], {
      cwd: root,
      // A process group of its own: the timeout stops the grading process, vitest and the sandboxed worker together.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The group is already gone.
        }
      }
    }, timeoutSeconds * 1000);
    child.stdout.on('data', (chunk: Buffer) => output.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.write(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, timedOut });
    });
  });
  // Whatever the student's processes left: the user's processes go, then the files.
  if (sandbox.uid !== undefined) killProcessesOf(sandbox.uid);
  rmSync(tempDir, { recursive: true, force: true });
  writeFileSync(join(dir, 'grading.log'), output.toString());

  const status: StudentReport['status'] = exit.timedOut ? 'timed_out' : exit.code === 0 ? 'graded' : 'crashed';
  const reason = exit.timedOut ? `Grading was stopped after ${timeoutSeconds} s.` : `The grading process failed (exit code ${exit.code}); see grading.log.`;
  const graded: GradedLab[] = labs.map((lab) => {
    const file = join(dir, 'labs', `${lab.id}.json`);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as GradedLab;
    return { lab: lab.id, score: 0, max_score: manifestPoints(lab), checks: [], backend: 'embedded', seed, error: reason, problems: [], skipped: [], seconds: 0 };
  });
  return {
    student,
    labs: graded,
    ...totals(graded),
    status,
    ...(status === 'graded' ? {} : { message: reason }),
    seconds: (Date.now() - started) / 1000,
  };
}
