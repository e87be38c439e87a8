import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newRunSeed } from '../../checks/support/random.ts';
import { listLabs, manifestPoints, pickLab, type Lab } from '../labs.ts';
import { hiddenVisibilityFrom, readStudentReports, STUDENT_RESULT, writeClassReports, writeStudentReports } from '../reports/write-reports.ts';
import { totals, type GradedLab, type StudentReport } from '../reports/student-report.ts';
import { BoundedOutput } from './bounded-output.ts';
import { memberLines, otherLines, OVER_BUDGET_FILE, type GroupJob, type GroupMemberJob, type OverBudget } from './group-job.ts';
import { DEFAULT_POLICY, killAllOf, killProcessesOf, rootSandboxPolicy } from '../student-sandbox.ts';
import { claimUsers, rootSandboxUnavailable } from './submission-sandbox.ts';
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
  /**
   * Submissions graded together in one run of each lab's checks (default: up to 8, so
   * that every job has work). 1 grades each submission in a run of its own.
   */
  groupSize?: number;
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

/** The runs' own output of groups of several (normally nothing but their members' scores), for the instructor. */
export const GROUPS_LOG = 'groups.log';

/**
 * Groups share vitest's start and the SDK's load among their members, so bigger is
 * faster; but a group's members are graded one after another, so it must leave every
 * job a share of the class, and its members' reports come when the group ends.
 */
export function defaultGroupSize(students: number, jobs: number): number {
  return Math.max(1, Math.min(8, Math.ceil(students / jobs)));
}

/** How the students' code is sandboxed in this batch, and when it is the weaker way, why (docs/instructors.md says what is weaker). */
export function sandboxLine(unavailable: string | undefined): string {
  return unavailable === undefined
    ? 'Sandbox: root (each submission its own user, network namespace and limits).'
    : `Sandbox: without root (${unavailable}): each submission runs as this user; see docs/instructors.md for what is weaker.`;
}

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
  // A class smaller than the jobs still keeps every job busy: its labs are split among them (labParts).
  const jobs = Math.max(1, Math.min(options.jobs, todo.length * labs.length));
  progress.start({ total: todo.length, skipped: skipped.length, labs: run.labs, jobs, seed: run.seed, shard: options.shard, classSize: classStudents.length });
  for (const student of skipped) progress.note(`${student}: already graded (use --force to grade again)`);
  // Asked once: it looks for the sandbox's tools on the PATH.
  const rootUnavailable = rootSandboxUnavailable(root);
  if (todo.length > 0) progress.note(sandboxLine(rootUnavailable));

  const groupSize = options.groupSize ?? defaultGroupSize(todo.length, jobs);
  const budget = options.submissionTimeoutSeconds ?? 300;
  const groupLog = (text: string) => appendFileSync(join(out, GROUPS_LOG), text);
  if (groupSize > 1) rmSync(join(out, GROUPS_LOG), { force: true });
  const groups: string[][] = [];
  for (let start = 0; start < todo.length; start += groupSize) groups.push(todo.slice(start, start + groupSize));
  const parts = labParts(labs, groups.length, jobs);
  // Parts of one group run side by side: each gives its members users of its own, or one
  // part's clean-up (every process of the member's user) would stop the other's checks.
  // Users only exist in the root sandbox; elsewhere there is nothing to claim (and no right to the locks).
  const users = rootUnavailable === undefined ? claimUsers(todo.length * parts.length) : { first: 0, release: () => undefined };
  const queue = groups.flatMap((students) =>
    parts.map((part, partIndex) => ({
      students,
      labs: part,
      members: students.map((student): Member => {
        const submission = join(resolve(options.submissions), student);
        const user = partIndex * todo.length + todo.indexOf(student);
        const sandbox = rootUnavailable === undefined ? rootSandboxPolicy(users.first + user) : DEFAULT_POLICY;
        return { student, labsDir: labsDirOf(submission), outDir: join(out, student), sandbox };
      }),
    })),
  );
  const finished = new Map<string[], PartOutcome[][]>();
  const worker = async () => {
    for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
      const { members } = task;
      // A group's first part starts it afresh: whatever an earlier, interrupted run left goes.
      if (!finished.has(task.students)) {
        finished.set(task.students, []);
        for (const member of members) {
          rmSync(member.outDir, { recursive: true, force: true });
          mkdirSync(join(member.outDir, 'labs'), { recursive: true });
        }
      }
      const outcomes = finished.get(task.students)!;
      outcomes.push(await gradeGroup(root, members, task.labs, run.seed, budget, groupLog));
      if (outcomes.length < parts.length) continue;
      members.forEach((member, index) => {
        const report = finishStudent(member, labs, run.seed, budget, outcomes.map((part) => part[index]!));
        writeStudentReports(join(out, report.student), report, hiddenVisibility);
        progress.graded(`${report.student}: ${report.score}/${report.max_score}${report.status === 'graded' ? '' : ` (${report.status})`} in ${report.seconds.toFixed(1)} s`);
      });
    }
  };
  const interrupted = (signal: NodeJS.Signals) => {
    stopRunningChildren();
    users.release();
    progress.end();
    process.stderr.write(`Grading was interrupted (${signal}); the students graded so far keep their results: run the same command again to grade the rest.\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    // Settled, not raced: a worker that fails must not release the users while the others' children still run as them.
    const ends = await Promise.allSettled(Array.from({ length: todo.length === 0 ? 0 : jobs }, worker));
    const failed = ends.find((end): end is PromiseRejectedResult => end.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    users.release();
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

type Member = GroupMemberJob;

/** One member's share of one part of its group's labs: how its grading ended, its log, its time. */
interface PartOutcome {
  exit: { code: number | null; timedOut: boolean };
  log: string;
  seconds: number;
}

/**
 * The labs of a batch in parts, one grading child each: one part (every lab) when there
 * are at least as many groups as jobs; otherwise every job would not have work, so each
 * group's labs are dealt out to up to `jobs / groups` parts (lab i to part i mod n: the
 * costly labs spread out), graded side by side. Each part has the whole time budget: a
 * submission's grade never shrinks because its class is small.
 */
export function labParts(labs: Lab[], groups: number, jobs: number): Lab[][] {
  const count = Math.max(1, Math.min(labs.length, groups >= jobs ? 1 : Math.ceil(jobs / Math.max(1, groups))));
  return Array.from({ length: count }, (_, part) => labs.filter((_, index) => index % count === part));
}

/**
 * Grades some labs of a group of students: one grading child for all of them (each lab's
 * checks run once for the group), then one child per student for whatever the group did
 * not grade (a member over its time budget, a lab whose checks could not run in the
 * group, a child that crashed or timed out). A group of one is graded exactly as before
 * groups existed: its child has the student's whole time budget, and its log is the
 * child's output. Each lab's result lands in <outDir>/labs; finishStudent reads them all.
 */
async function gradeGroup(root: string, members: Member[], labs: Lab[], seed: number, budget: number, groupLog: (text: string) => void): Promise<PartOutcome[]> {
  const started = Date.now();
  if (members.length === 1) {
    const run = await runGradingChild(root, { members, labs: labs.map((l) => l.number), seed, budgetSeconds: budget }, budget);
    return [{ exit: run, log: `${userLine(members[0]!)}${run.output}`, seconds: (Date.now() - started) / 1000 }];
  }
  const run = await runGradingChild(root, { members, labs: labs.map((l) => l.number), seed, budgetSeconds: budget }, budget * members.length);
  const rest = otherLines(run.output, members.map((m) => m.student));
  const ending = run.timedOut ? ' (stopped: over the group\'s time)' : run.code !== 0 ? ` (exit code ${run.code})` : '';
  groupLog(`── group of ${members.length}: ${members.map((m) => m.student).join(', ')} (${labs.map((l) => l.id).join(', ')})${ending}\n${rest.map((line) => `${line}\n`).join('')}`);
  const outcomes: PartOutcome[] = [];
  for (const member of members) {
    const own = memberLines(run.output, member.student).join('\n');
    const over = run.overBudget?.student === member.student;
    // Over its budget: these labs graded again from the start on its own, with the budget a group of one has.
    if (over) for (const lab of labs) rmSync(join(member.outDir, 'labs', `${lab.id}.json`), { force: true });
    const missing = labs.filter((lab) => !existsSync(join(member.outDir, 'labs', `${lab.id}.json`)));
    if (missing.length === 0) {
      outcomes.push({ exit: { code: 0, timedOut: false }, log: `${userLine(member)}Graded in a group of ${members.length}.\n${own}\n`, seconds: sumSeconds(member, labs) });
      continue;
    }
    const memberStarted = Date.now();
    const alone = await runGradingChild(root, { members: [member], labs: missing.map((l) => l.number), seed, budgetSeconds: budget }, budget);
    const why = over ? `its checks took longer than its ${budget} s` : `${missing.map((l) => l.id).join(', ')} not graded there`;
    outcomes.push({
      exit: alone,
      log: `${userLine(member)}Graded in a group of ${members.length}, then on its own (${why}).\n${own}\n${alone.output}`,
      seconds: sumSeconds(member, labs.filter((l) => !missing.includes(l))) + (Date.now() - memberStarted) / 1000,
    });
  }
  return outcomes;
}

/** A student's report once every part of its group is graded, and its grading.log. */
function finishStudent(member: Member, labs: Lab[], seed: number, budget: number, parts: PartOutcome[]): StudentReport {
  writeFileSync(join(member.outDir, 'grading.log'), parts.map((part) => part.log).join(''));
  // The worst ending of any part: a timeout, else a crash, else graded.
  const exit = parts.find((p) => p.exit.timedOut)?.exit ?? parts.find((p) => p.exit.code !== 0)?.exit ?? { code: 0, timedOut: false };
  return studentReport(member, labs, seed, exit, budget, parts.reduce((total, part) => total + part.seconds, 0));
}

interface ChildRun {
  code: number | null;
  timedOut: boolean;
  output: string;
  /** The member the child stopped the group for (grade-submission.ts). */
  overBudget?: OverBudget;
}

/**
 * Runs the grading child (grade-submission.ts) for a group, in a process group of its own
 * (a timeout stops the child, vitest and the sandboxed workers together), and then removes
 * whatever it left: its process group, the members' users' processes, its temp folder.
 */
async function runGradingChild(root: string, job: GroupJob, timeoutSeconds: number): Promise<ChildRun> {
  const output = new BoundedOutput();
  // Made and removed here, not in the grading process: a timeout kills that process before its own clean-up.
  const tempDir = mkdtempSync(join(tmpdir(), 'gs-'));
  try {
    const exit = await new Promise<{ code: number | null; timedOut: boolean }>((resolvePromise, reject) => {
      const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), GRADE_SUBMISSION, root, tempDir, JSON.stringify(job)], {
        cwd: root,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (child.pid !== undefined) running.set(child.pid, { tempDir, uids: job.members.flatMap((m) => (m.sandbox.uid === undefined ? [] : [m.sandbox.uid])) });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, timeoutSeconds * 1000);
      child.stdout.on('data', (chunk: Buffer) => output.write(chunk));
      child.stderr.on('data', (chunk: Buffer) => output.write(chunk));
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        // Whatever of its group outlived it (a group stopped for one member ends at once).
        killGroup(child.pid);
        if (child.pid !== undefined) running.delete(child.pid);
        resolvePromise({ code, timedOut });
      });
    });
    // Whatever the students' processes left: the users' processes go, then the files.
    for (const member of job.members) if (member.sandbox.uid !== undefined) await killAllOf(member.sandbox.uid);
    const overFile = join(tempDir, OVER_BUDGET_FILE);
    const overBudget = existsSync(overFile) ? (JSON.parse(readFileSync(overFile, 'utf8')) as OverBudget) : undefined;
    return { ...exit, output: output.toString(), ...(overBudget ? { overBudget } : {}) };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/** The grading children running now: what an interrupted batch must stop and remove. */
const running = new Map<number, { tempDir: string; uids: number[] }>();

/**
 * Ctrl-C or SIGTERM of the batch: its children run in process groups of their own (so
 * that a timeout can stop one whole), which a terminal's Ctrl-C does not reach. Stop each
 * group, every process of its students' users, and remove its temp folder, at once.
 */
function stopRunningChildren(): void {
  for (const [pid, child] of running) {
    killGroup(pid);
    for (const uid of child.uids) killProcessesOf(uid);
    rmSync(child.tempDir, { recursive: true, force: true });
  }
  running.clear();
}

/** Which user the member's code ran as (root sandbox): what to look for in a process list or an audit log. */
function userLine(member: Member): string {
  return member.sandbox.uid === undefined ? '' : `Student processes ran as user ${member.sandbox.uid}.\n`;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

function sumSeconds(member: Member, labs: Lab[]): number {
  return labs.reduce((total, lab) => total + (readGradedLab(member, lab)?.seconds ?? 0), 0);
}

function readGradedLab(member: Member, lab: Lab): GradedLab | undefined {
  const file = join(member.outDir, 'labs', `${lab.id}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as GradedLab) : undefined;
}

/** The student's report from the lab results its children wrote; a lab without one scores 0, with why. */
function studentReport(member: Member, labs: Lab[], seed: number, exit: { code: number | null; timedOut: boolean }, timeoutSeconds: number, seconds: number): StudentReport {
  const status: StudentReport['status'] = exit.timedOut ? 'timed_out' : exit.code === 0 ? 'graded' : 'crashed';
  const reason = exit.timedOut ? `Grading was stopped after ${timeoutSeconds} s.` : `The grading process failed (exit code ${exit.code}); see grading.log.`;
  const graded: GradedLab[] = labs.map(
    (lab) => readGradedLab(member, lab) ?? { lab: lab.id, score: 0, max_score: manifestPoints(lab), checks: [], backend: 'embedded', seed, error: reason, problems: [], skipped: [], seconds: 0 },
  );
  return {
    student: member.student,
    labs: graded,
    ...totals(graded),
    status,
    ...(status === 'graded' ? {} : { message: reason }),
    seconds,
  };
}
