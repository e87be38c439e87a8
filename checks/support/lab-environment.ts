import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendDescriptor } from '../../backends/backend.ts';
import type { AgentLaunch } from '../../grader/student-process.ts';
import { awsVariables, policyFromEnv, type SandboxPolicy } from '../../grader/student-sandbox.ts';

/**
 * How the lab runner hands a run to the check workers. Seed and submission are plain
 * environment variables. The backend comes as a handoff file the runner writes once
 * the backend is up: vitest starts (about a second) while the backend starts, instead
 * of after it. (`LAB_BACKEND` may carry the handoff inline instead, for a manual run.)
 */
export const LAB_ENV = {
  /** Path of the JSON BackendHandoff; may appear after the checks start. */
  backendFile: 'LAB_BACKEND_FILE',
  /** The BackendHandoff as inline JSON (instead of the file). */
  backend: 'LAB_BACKEND',
  /** The run seed (an integer); every check derives its inputs from it. */
  seed: 'LAB_SEED',
  /** Absolute path of the lab folder being graded (the student's copy of labs/NN-name). */
  submission: 'LAB_SUBMISSION',
  /**
   * Several lab folders to grade in one run (a JSON array of absolute paths), one after
   * another, each with student processes of its own: vitest and the SDK start once for
   * all of them (grader/run-lab.ts gradeLabSubmissions, grader/batch/grade-lab.ts). Overrides LAB_SUBMISSION.
   */
  submissions: 'LAB_SUBMISSIONS',
  /** The lab graded (NN-name), named by its check files: the course's lab.json for it says what its graded code may import. */
  lab: 'LAB_ID',
  /** Where student processes' work folders go when the checks prepare one themselves (the runner removes it after any kill). */
  workDir: 'LAB_WORK_DIR',
} as const;

/** What the checks need of the running backend. */
export interface BackendHandoff {
  backend: BackendDescriptor;
  /**
   * Each submission's work folder, compiled and ready (grader/prepare-student-work.ts), in
   * the order of LAB_SUBMISSIONS ('' where the runner could not prepare one).
   */
  studentWorks?: string[];
  /** A student process the runner started in that folder, for the first check file to connect to. */
  studentAgent?: AgentLaunch;
  /** AWS_ENDPOINT_URL and the throwaway keys, set on the worker's env before any student code loads. */
  env: Record<string, string>;
}

export interface LabRun {
  backend: BackendDescriptor;
  seed: number;
  submissionDir: string;
  /** The lab graded (NN-name), when the runner named it. */
  labId?: string;
  /** How the student's process is sandboxed (LAB_SANDBOX; batch grading as root asks for more). */
  sandbox: SandboxPolicy;
  /** The prepared work folder of the student's process, if the runner made one. */
  studentWork?: string;
  /** A student process the runner started there. */
  studentAgent?: AgentLaunch;
  /** The AWS_* variables the student's process starts with: the backend's endpoint and keys, the region, empty shared files. */
  studentEnv: Record<string, string>;
}

/** Long enough for a LocalStack container to start and the program to run first. */
export const HANDOFF_WAIT_MS = 180_000;
let handoff: Promise<BackendHandoff> | undefined;
const runs = new Map<number, Promise<LabRun>>();

/**
 * The lab folders this run grades, in order: LAB_SUBMISSIONS, else LAB_SUBMISSION alone.
 * Read synchronously: the checks register one set of tests per submission as they load.
 */
export function submissionDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const many = env[LAB_ENV.submissions];
  if (many) {
    const dirs = JSON.parse(many) as unknown;
    if (!Array.isArray(dirs) || dirs.length === 0 || !dirs.every((d) => typeof d === 'string' && d.length > 0)) {
      throw new Error(`${LAB_ENV.submissions} must be a JSON array of lab folders, got ${many}`);
    }
    return dirs as string[];
  }
  const one = env[LAB_ENV.submission];
  return one ? [one] : [];
}

/**
 * The run of submission `index` (default the first), once the backend is up; also points
 * this worker's AWS_* env at the backend. The runner's prepared work folder and started
 * process belong to the first submission; the checks prepare the others' themselves.
 */
export function labRun(index = 0): Promise<LabRun> {
  let run = runs.get(index);
  if (!run) {
    run = loadLabRun(process.env, index);
    runs.set(index, run);
  }
  return run;
}

async function loadLabRun(env: NodeJS.ProcessEnv, index: number): Promise<LabRun> {
  const seed = env[LAB_ENV.seed];
  const submissionDir = submissionDirs(env)[index];
  const inline = env[LAB_ENV.backend];
  const file = env[LAB_ENV.backendFile];
  if (!seed || !submissionDir || (!inline && !file)) {
    throw new Error('Checks run through the lab runner, which starts a backend: use `npm run lab:N` (or `tsx scripts/lab.ts N`).');
  }
  handoff ??= (inline !== undefined ? Promise.resolve(inline) : waitForFile(file!)).then((text) => {
    const parsed = JSON.parse(text) as BackendHandoff;
    Object.assign(process.env, parsed.env);
    return parsed;
  });
  const { backend, studentWorks, studentAgent } = await handoff;
  const studentEnv = awsVariables(env);
  const work = studentWorks?.[index];
  const prepared = { ...(work ? { studentWork: work } : {}), ...(index === 0 && studentAgent ? { studentAgent } : {}) };
  const labId = env[LAB_ENV.lab];
  return { backend, seed: Number(seed), submissionDir, sandbox: policyFromEnv(env, index), studentEnv, ...(labId ? { labId } : {}), ...prepared };
}

async function waitForFile(path: string): Promise<string> {
  const deadline = Date.now() + HANDOFF_WAIT_MS;
  for (;;) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || Date.now() > deadline) {
        throw new Error(`the lab runner never handed over the backend (${path}): ${(error as Error).message}`);
      }
      await sleep(20);
    }
  }
}
