import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedBackend } from '../../backends/embedded.ts';
import { LAB_ENV } from '../../checks/support/lab-environment.ts';
import { Random, REGIONS } from '../../checks/support/random.ts';
import { gradeChecks } from '../grade.ts';
import { manifestPoints, type Lab } from '../labs.ts';
import { summarise, type LabResult } from '../lab-result.ts';
import { assertSafeEndpoint, backendEnv, buildLabEnv } from '../safe-env.ts';
import { STUDENT_OUTPUT_ENV } from '../student-process.ts';
import { SANDBOX_POLICY_ENV, type SandboxPolicy } from '../student-sandbox.ts';
import type { BoundedOutput } from './bounded-output.ts';
import { CHECK_TIMES_FILE_ENV, type CheckTime } from './timed-lab-reporter.ts';
import { createWorkspace } from './workspace.ts';

const TIMED_REPORTER = fileURLToPath(new URL('./timed-lab-reporter.ts', import.meta.url));

/** A check as the batch records it: with its time, when vitest measured one. */
export type GradedCheck = LabResult['checks'][number] & { seconds?: number };

/** One lab of one submission, as the batch records it. */
export interface GradedLab extends LabResult {
  checks: GradedCheck[];
  /** Why the lab could not be graded at all (it then scores 0 of the manifest's points). */
  error?: string;
  /** Errors outside any check, e.g. a check file that does not load. */
  problems: string[];
  /** Files of the submission left out of the copy (symbolic links). */
  skipped: string[];
  seconds: number;
}

export interface GradeLabOptions {
  root: string;
  lab: Lab;
  /** The student's labs/ folder (containing NN-name folders). */
  labsDir: string;
  seed: number;
  /** The submission's temp folder: everything of this run goes there (the batch removes it). */
  tempParent: string;
  sandbox: SandboxPolicy;
  output: BoundedOutput;
}

/**
 * Grades one lab of one submission with a fresh embedded emulator of its own (its control
 * API locked by a per-run token) and the instructor's checks, hidden ones included. The
 * checks run in a trusted vitest process; the student's code in sandboxed processes those
 * checks start (checks/support/student-code.ts), under `sandbox`.
 */
export async function gradeLab(options: GradeLabOptions): Promise<GradedLab> {
  const { lab } = options;
  const started = Date.now();
  const workspace = createWorkspace({ parent: options.tempParent, labsDir: options.labsDir });
  const backend = await startEmbeddedBackend();
  try {
    assertSafeEndpoint(backend.endpoint, false);
    const region = new Random(options.seed).pick(REGIONS);
    const submissionDir = join(workspace.labsDir, lab.id);
    const sharedCredentialsFile = join(workspace.workDir, 'aws-credentials');
    const configFile = join(workspace.workDir, 'aws-config');
    const timesFile = join(workspace.workDir, 'check-times.json');
    writeFileSync(sharedCredentialsFile, '');
    writeFileSync(configFile, '');
    const env = {
      ...buildLabEnv(process.env, { endpoint: backend.endpoint, credentials: backend.credentials, region, sharedCredentialsFile, configFile }),
      [LAB_ENV.seed]: String(options.seed),
      [LAB_ENV.submission]: submissionDir,
      [SANDBOX_POLICY_ENV]: JSON.stringify(options.sandbox),
      [STUDENT_OUTPUT_ENV]: 'stderr',
      [CHECK_TIMES_FILE_ENV]: timesFile,
    };
    const checks = await gradeChecks({
      root: options.root,
      checkFiles: lab.checkFiles,
      env,
      // The backend is up before vitest starts.
      backend: Promise.resolve({ backend: backend.describe(), env: backendEnv(backend) }),
      output: (chunk) => options.output.write(chunk),
      tempParent: workspace.workDir,
      vitestArgs: ['--reporter', TIMED_REPORTER],
    }).catch((error: Error) => error);
    const seconds = (Date.now() - started) / 1000;
    if (checks instanceof Error) {
      return {
        ...summarise(lab.id, backend.name, options.seed, []),
        max_score: manifestPoints(lab),
        error: `The checks could not run: ${checks.message}`,
        problems: [checks.message],
        skipped: workspace.skipped,
        seconds,
      };
    }
    const result = summarise(lab.id, backend.name, options.seed, checks);
    return { ...result, checks: withTimes(result.checks, timesFile), problems: [], skipped: workspace.skipped, seconds };
  } finally {
    await backend.stop();
    workspace.remove();
  }
}

/** Each check with the time the timed reporter measured for it (matched by TODO and name). */
function withTimes(checks: LabResult['checks'], timesFile: string): GradedCheck[] {
  const times: CheckTime[] = existsSync(timesFile) ? (JSON.parse(readFileSync(timesFile, 'utf8')) as CheckTime[]) : [];
  return checks.map((check) => {
    const time = times.find((t) => t.todo === check.todo && t.name === check.name);
    return time ? { ...check, seconds: Math.round(time.seconds * 1000) / 1000 } : check;
  });
}
