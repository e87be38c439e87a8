import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { LAB_ENV, submissionDirs, type BackendHandoff } from '../checks/support/lab-environment.ts';
import { PROGRESS_FD_ENV, RESULTS_FILE_ENV, type CheckResult, type ProgressEvent, type ReporterOutput } from '../checks/support/lab-reporter.ts';
import { killTree, untilGone } from './process-tree.ts';
import { vitestCliPath } from './vitest-cli.ts';
import { startEmulatorBridge } from './emulator-bridge.ts';
import { prepareStudentWork } from './prepare-student-work.ts';
import { killAgent, launchAgent, outputTail, STUDENT_OUTPUT_ENV } from './student-process.ts';
import { awsVariables, labServices, policyFromEnv, sandboxLayout } from './student-sandbox.ts';

/** A problem with the lab's checks themselves (not the student's code): the run cannot be scored. */
export class HarnessError extends Error {
  override name = 'HarnessError';
}

export interface GradeOptions {
  /** Project root (where checks/ lives). */
  root: string;
  /** Check files relative to root, e.g. ["checks/02-buckets.check.ts"]. */
  checkFiles: string[];
  /** The scrubbed environment with LAB_SEED and LAB_SUBMISSION (or LAB_SUBMISSIONS); the checks run with exactly this. */
  env: NodeJS.ProcessEnv;
  /** The backend, once it is up: vitest starts meanwhile, and the checks wait for it. */
  backend: Promise<BackendHandoff>;
  /** Vitest's own output (normally nothing): to this file descriptor, or to this function. */
  output: 1 | 2 | ((chunk: Buffer) => void);
  /** Where the temp files of the run go (default the OS temp folder); batch grading removes it after any kill. */
  tempParent?: string;
  /** More vitest arguments (batch grading: its timed reporter, grader/batch/timed-lab-reporter.ts). */
  vitestArgs?: string[];
  /** Called as each check starts and ends (the lab runner's live line). */
  progress?: (event: ProgressEvent) => void;
  /** Stops vitest (and so the checks) when aborted; the run then throws the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs a lab's checks with vitest (checks/vitest.config.ts and its reporter) and returns
 * one result per check. The checks run in vitest's worker, trusted; the student's code
 * runs in processes of its own that the checks start (checks/support/student-code.ts), in
 * work folders under a folder made here and removed here, whatever happened to them.
 *
 * Vitest runs as its own plain-node process rather than in this one: under tsx's module
 * hooks, importing vitest/node takes 3-4 times longer (measured: ~1.5 s -> ~5.5 s on a
 * loaded 2-core machine), which alone would blow the lab's time budget. The `runner`
 * config loader skips bundling the config with esbuild (~0.5 s).
 *
 * If the backend fails to start, vitest is stopped and the backend's error is thrown.
 */
export async function gradeChecks(options: GradeOptions): Promise<CheckResult[]> {
  const labId = labIdOf(options.checkFiles);
  const dir = mkdtempSync(join(options.tempParent ?? tmpdir(), 'r-'));
  const handoffFile = join(dir, 'backend.json');
  const resultsFile = join(dir, 'results.json');
  const workDir = join(dir, 'work');
  // Students' users (root sandbox) pass through to their own folders here, but may not list them: each is only the grader's and its own.
  mkdirSync(workDir);
  chmodSync(workDir, 0o711);
  // The student's lab is compiled, and its process started, here while vitest starts; both are handed over with the backend.
  const student = startStudentWork(options, workDir, labId);
  const handoff = student.then((extra) => {
    // Written whole, then renamed: the checks never read half a file.
    // It holds the control API's token: for the checks' process only (0600), never a student's user.
    writeFileSync(`${handoffFile}.tmp`, JSON.stringify(extra), { mode: 0o600 });
    renameSync(`${handoffFile}.tmp`, handoffFile);
  });
  try {
    // Progress comes on a pipe of its own (fd 3), apart from whatever vitest prints.
    const progressEnv = options.progress ? { [PROGRESS_FD_ENV]: '3' } : {};
    const child = spawn(process.execPath, [vitestCliPath(), 'run', '--config', 'checks/vitest.config.ts', '--configLoader', 'runner', ...(options.vitestArgs ?? []), ...options.checkFiles], {
      cwd: options.root,
      env: { ...options.env, [LAB_ENV.lab]: labId, [RESULTS_FILE_ENV]: resultsFile, [LAB_ENV.backendFile]: handoffFile, [LAB_ENV.workDir]: workDir, ...progressEnv },
      stdio: ['ignore', typeof options.output === 'number' ? options.output : 'pipe', typeof options.output === 'number' ? 2 : 'pipe', options.progress ? 'pipe' : 'ignore'],
    });
    if (options.progress) readProgress(child.stdio[3] as Readable, options.progress);
    if (typeof options.output === 'function') {
      child.stdout?.on('data', options.output);
      child.stderr?.on('data', options.output);
    }
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', resolve);
    });
    // With vitest, the student processes its checks started: killed, they run no hook that would stop them.
    let killed: number[] = [];
    const abort = () => {
      if (child.pid === undefined) child.kill('SIGKILL');
      else killed = killTree(child.pid);
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    if (options.signal?.aborted) abort();
    try {
      try {
        await handoff;
      } catch (error) {
        child.kill();
        await exited.catch(() => undefined);
        throw error;
      }
      const exit = await exited;
      if (options.signal?.aborted) {
        await untilGone(killed);
        options.signal.throwIfAborted();
      }
      return readResults(resultsFile, exit);
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  } finally {
    // Returned only once the student process the runner started is gone, like those of the checks.
    await untilGone(await student.then((started) => started.stop(), () => []));
    rmSync(dir, { recursive: true, force: true });
  }
}

interface StartedStudentWork extends BackendHandoff {
  /** Stops the runner's student process and bridges; returns the pids it killed. */
  stop(): number[];
}

/**
 * The backend's handoff, with every submission's work folder prepared (compiled, here in
 * the grader while vitest starts, not in the checks' process during another member's
 * checks) and, for the first, a student process started in it. With the root sandbox,
 * each work folder's bridge to the emulator is opened here too, and closed at the end.
 */
async function startStudentWork(options: GradeOptions, workDir: string, labId: string): Promise<StartedStudentWork> {
  const dirs = submissionDirs(options.env);
  const policies = dirs.map((_, index) => policyFromEnv(options.env, index));
  // A work folder that cannot be prepared here is prepared by the checks (and fails there, in a check, with the reason).
  const prepared = dirs.map((dir, index) => prepareStudentWork(options.root, dir, workDir, policies[index]!, labId).catch(() => undefined));
  const [backend, ...studentWorks] = await Promise.all([options.backend, ...prepared]);
  const studentWork = studentWorks[0];
  if (dirs.length === 0 || !studentWork) return { ...backend, stop: () => [] };
  const emulatorPort = Number(new URL(backend.backend.endpoint).port);
  const bridges = await Promise.all(
    studentWorks.map((work, index) => (work && policies[index]!.isolateNetwork ? startEmulatorBridge(sandboxLayout(work).bridgeSocket, emulatorPort) : undefined)),
  );
  // What the checks' process passes on too (lab-environment.ts): the lab's AWS_* variables, the backend's endpoint and keys.
  const awsEnv = awsVariables({ ...options.env, ...backend.env });
  const studentAgent = launchAgent({ root: options.root, layout: sandboxLayout(studentWork), policy: policies[0]!, awsEnv, emulatorPort, services: labServices(dirs[0]!) });
  writeFileSync(`${studentAgent.logFile}.unclaimed`, '');
  return {
    ...backend,
    studentWorks: studentWorks.map((work) => work ?? ''),
    studentAgent,
    stop: () => {
      killAgent(studentAgent);
      for (const bridge of bridges) bridge?.close();
      // Batch grading keeps the student's output in the lab's log (bounded there).
      const output = options.env[STUDENT_OUTPUT_ENV] === 'stderr' ? outputTail(studentAgent.logFile) : '';
      if (output && typeof options.output === 'function') options.output(Buffer.from(output));
      return [studentAgent.pid];
    },
  };
}

/** The lab a run grades, from its check files (checks/NN-name.check.ts, checks/NN-name.hidden.check.ts). */
export function labIdOf(checkFiles: string[]): string {
  const ids = new Set(checkFiles.map((file) => basename(file).replace(/(\.hidden)?\.check\.ts$/, '')));
  if (ids.size !== 1) throw new HarnessError(`a run grades one lab, but its check files name ${[...ids].join(', ') || 'none'}`);
  return [...ids][0]!;
}

/** The reporter's progress lines, one JSON ProgressEvent each. */
function readProgress(stream: Readable, onEvent: (event: ProgressEvent) => void): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    let event: ProgressEvent;
    try {
      event = JSON.parse(line) as ProgressEvent;
    } catch {
      return; // Not a progress line: nothing to show.
    }
    onEvent(event);
  });
}

/** What the lab reporter wrote; a problem with the checks themselves is a HarnessError. */
export function readResults(resultsFile: string, exit: number | null): CheckResult[] {
  let output: ReporterOutput;
  try {
    output = JSON.parse(readFileSync(resultsFile, 'utf8')) as ReporterOutput;
  } catch {
    throw new HarnessError(`vitest exited (code ${exit}) without reporting any check; see the output above.`);
  }
  if (output.problems.length > 0) throw new HarnessError(`The lab's checks could not run:\n${output.problems.join('\n')}`);
  if (output.checks.length === 0) throw new HarnessError('The lab has no checks.');
  return output.checks;
}
