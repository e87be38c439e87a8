import { afterAll, beforeAll, describe, test } from 'vitest';
import { CheckContext } from './check-context.ts';
import { controlClientFor } from '../../backends/control-client.ts';
import { killAllOf } from '../../grader/student-sandbox.ts';
import { DEFAULT_CHECK_TIMEOUT_SECONDS, DEFAULT_VIRTUAL_TIME_LIMIT_SECONDS, type CheckMeta, type CheckOptions } from './check-meta.ts';
import { CheckFailure, explainFailure } from './failures.ts';
import { HANDOFF_WAIT_MS, labRun, submissionDirs } from './lab-environment.ts';
import { resetBackend } from './reset-backend.ts';
import { CheckBoundary, StudentCode } from './student-code.ts';

/**
 * The lab folders graded in this run: usually one; several when a batch grades them in
 * one vitest run (LAB_SUBMISSIONS), each with its own student process, per check file
 * (vitest isolates files). Empty outside the lab runner (the first check then says so).
 */
const submissions = submissionDirs();
const studentCodes = (submissions.length > 0 ? submissions : ['']).map((_, index) => new StudentCode(() => labRun(index)));
// The first submission's process starts (or the runner's is connected) while the rest of the
// check file loads, not once it has: a lab's second check file (a hidden one) otherwise waited
// for its own process after loading (about 0.5 s of lab 10's run). Its beforeAll awaits the same start.
if (submissions.length > 0) void studentCodes[0]!.warmUp();

/** Past a check's own time limit, vitest gets this much longer before its own timeout (ours fires first). */
const VITEST_GRACE_MS = 5_000;


export function timeLimitMessage(seconds: number): string {
  return `Your code did not finish within ${seconds} s and was stopped (is it waiting for something that never happens, too long between polls, or in an endless loop?).`;
}

export function virtualTimeLimitMessage(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return `Your code was still waiting after ${minutes} minute${minutes === 1 ? '' : 's'} (on the grading clock, where waits take no real time) and was stopped: does it wait for something that never happens, or retry without end?`;
}

/**
 * Declares one graded check (a vitest test). Before the body runs: the check is
 * reported not gradable if the backend lacks a capability it needs, then the backend
 * is reset. The student's code runs in its own process (ctx.load); when the check's
 * time is up, that process is stopped from here, so even an endless loop ends the check
 * on time. Whatever the body throws is turned into a failure a student can act on.
 */
export function check(options: CheckOptions, body: (ctx: CheckContext) => Promise<void>): void {
  const meta: CheckMeta = {
    todo: options.todo,
    name: options.name,
    points: options.points,
    hint: options.hint,
    ...(options.recipe ? { recipe: options.recipe } : {}),
    needs: options.needs ?? [],
    hidden: options.hidden ?? false,
  };
  if (studentCodes.length === 1) {
    prepareOnce(0);
    defineCheck(0, meta, options, body);
    return;
  }
  // Several submissions: each one's checks all run before the next one's, so only one
  // submission's code runs at a time. Describe blocks are collected after this file
  // has loaded, so each sees every check the file declares.
  declared.push({ meta, options, body });
  if (declared.length > 1) return;
  studentCodes.forEach((_, index) => {
    describe(`submission ${index + 1}`, () => {
      prepareOnce(index);
      for (const declaration of declared) defineCheck(index, declaration.meta, declaration.options, declaration.body);
    });
  });
}

const declared: Array<{ meta: CheckMeta; options: CheckOptions; body: (ctx: CheckContext) => Promise<void> }> = [];

function defineCheck(submission: number, meta: CheckMeta, options: CheckOptions, body: (ctx: CheckContext) => Promise<void>): void {
  const studentCode = studentCodes[submission]!;
  const seconds = options.timeoutSeconds ?? DEFAULT_CHECK_TIMEOUT_SECONDS;
  const taskMeta = studentCodes.length === 1 ? { check: meta } : { check: meta, submission };
  test(`TODO ${meta.todo}: ${meta.name}`, { meta: taskMeta, timeout: seconds * 1000 + VITEST_GRACE_MS, retry: 0 }, async (testContext) => {
    const run = await labRun(submission);
    for (const capability of meta.needs) {
      const reason = run.backend.missing[capability];
      if (reason !== undefined) testContext.skip(`not gradable on ${run.backend.name}: ${reason}`);
    }
    const unavailable = options.unavailable?.();
    if (unavailable !== undefined) testContext.skip(`not gradable: ${unavailable}`);
    // Which check runs now: a check vitest gave up on may still be finishing behind the next one.
    const thisCheck = ++checksStarted;
    // A process stopped by the last check starts again here, outside this check's time.
    await studentCode.warmUp();
    await resetBackend(run.backend);
    let boundary: CheckBoundary | undefined;
    let stopClock: Promise<number> | undefined;
    const ctx = new CheckContext(run, meta.name, meta.needs, (env) => (boundary = new CheckBoundary(studentCode, env)), () => studentCode.exchangeDir());
    if (options.virtualTime && run.backend.missing['clock-control'] === undefined) {
      const limitSeconds = options.virtualTimeLimitSeconds ?? DEFAULT_VIRTUAL_TIME_LIMIT_SECONDS;
      const control = controlClientFor(run.backend);
      // Frozen: from here on the emulator's clock moves only with the student's timers (and the check's own moves).
      stopClock = control.freezeClock(true);
      boundary!.useVirtualTime({
        startMs: await stopClock,
        limitMs: limitSeconds * 1000,
        moveEmulator: (ms) => control.advanceClock(ms / 1000),
        overLimit: new CheckFailure(virtualTimeLimitMessage(limitSeconds)),
      });
    }
    studentCode.startCheckOutput();
    const timeUp = new CheckFailure(timeLimitMessage(seconds));
    const timer = setTimeout(() => studentCode.kill(timeUp), seconds * 1000);
    try {
      await body(ctx);
    } catch (error) {
      throw explainFailure(error === timeUp || (error as Error)?.message === timeUp.message ? timeUp : error, run.submissionDir);
    } finally {
      clearTimeout(timer);
      // Past vitest's own timeout the next check runs already: its process and clock are not ours to touch.
      const stillCurrent = thisCheck === checksStarted;
      // Student code still running when the check ends (a promise it never settled) must
      // not run on into the next check.
      if (stillCurrent && studentCode.busy()) studentCode.kill(new CheckFailure('the check ended'));
      const output = stillCurrent ? studentCode.checkOutput() : '';
      if (output) testContext.task.meta.studentOutput = output;
      ctx.dispose();
      // A backend someone else uses too (--endpoint) must not be left with a stopped clock.
      if (stopClock && stillCurrent) await controlClientFor(run.backend).freezeClock(false).catch(() => undefined);
    }
  });
}

/** Checks of this file started so far (vitest runs a file's checks one after another). */
let checksStarted = 0;

/**
 * The backend may still be starting (LocalStack, or after the program on a shared
 * backend) when the first check is due: wait for it in a hook with its own timeout, so
 * the wait never counts against a check's; meanwhile the student's lab is compiled and
 * its process started. Module state is per check file (vitest isolates files), so this
 * registers once per file and submission (inside the submission's describe block).
 */
function prepareOnce(submission: number): void {
  if (prepared.has(submission)) return;
  prepared.add(submission);
  const studentCode = studentCodes[submission]!;
  beforeAll(async () => {
    await labRun(submission);
    await studentCode.warmUp();
    // The next submission's process starts (its SDK clients load) while this one's checks
    // run. It runs none of that student's code until its own first check loads a module
    // (sandbox/agent.ts imports a lab module only when asked), so student code still runs
    // for one submission at a time.
    void studentCodes[submission + 1]?.warmUp();
  }, HANDOFF_WAIT_MS + 5_000);
  afterAll(async () => {
    await studentCode.stop();
    // Several submissions in one run: whatever this one's user still runs goes before the next one's checks.
    const { uid } = (await labRun(submission)).sandbox;
    if (studentCodes.length > 1 && uid !== undefined) await killAllOf(uid);
  });
}
const prepared = new Set<number>();
