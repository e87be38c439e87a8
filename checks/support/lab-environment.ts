import type { BackendDescriptor } from '../../backends/backend.ts';

/**
 * How the lab runner hands a run to the check workers: environment variables, since
 * vitest runs checks in worker threads/processes that inherit the runner's env.
 */
export const LAB_ENV = {
  /** JSON BackendDescriptor of the running backend. */
  backend: 'LAB_BACKEND',
  /** The run seed (an integer); every check derives its inputs from it. */
  seed: 'LAB_SEED',
  /** Absolute path of the lab folder being graded (the student's copy of labs/NN-name). */
  submission: 'LAB_SUBMISSION',
} as const;

export interface LabRun {
  backend: BackendDescriptor;
  seed: number;
  submissionDir: string;
}

export function labRunFromEnv(env: NodeJS.ProcessEnv = process.env): LabRun {
  const backend = env[LAB_ENV.backend];
  const seed = env[LAB_ENV.seed];
  const submissionDir = env[LAB_ENV.submission];
  if (!backend || !seed || !submissionDir) {
    throw new Error('Checks run through the lab runner, which starts a backend: use `npm run lab:N` (or `tsx scripts/lab.ts N`).');
  }
  return { backend: JSON.parse(backend) as BackendDescriptor, seed: Number(seed), submissionDir };
}

export function labRunToEnv(run: LabRun): Record<string, string> {
  return {
    [LAB_ENV.backend]: JSON.stringify(run.backend),
    [LAB_ENV.seed]: String(run.seed),
    [LAB_ENV.submission]: run.submissionDir,
  };
}
