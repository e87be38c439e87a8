import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedBackend } from '../../backends/embedded.ts';
import { LAB_ENV, type BackendHandoff } from '../../checks/support/lab-environment.ts';
import { Random, REGIONS } from '../../checks/support/random.ts';
import { manifestPoints, type Lab } from '../labs.ts';
import { summarise, type LabResult } from '../lab-result.ts';
import { assertSafeEndpoint, backendEnv, buildLabEnv } from '../safe-env.ts';
import type { BoundedOutput } from './bounded-output.ts';
import { runChecksInSandbox } from './run-checks.ts';
import { buildSandbox } from './sandbox.ts';
import { createWorkspace } from './workspace.ts';

/** One lab of one submission, as the batch records it. */
export interface GradedLab extends LabResult {
  /** Why the lab could not be graded at all (it then scores 0 of the manifest's points). */
  error?: string;
  /** Errors outside any check, e.g. an unhandled rejection in the student's code. */
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
  label: string;
  seed: number;
  checkTimeoutSeconds?: number;
  output: BoundedOutput;
}

/**
 * Grades one lab of one submission with a fresh embedded emulator of its own and the
 * instructor's checks (hidden ones included), the student's code sandboxed.
 */
export async function gradeLab(options: GradeLabOptions): Promise<GradedLab> {
  const { lab } = options;
  const started = Date.now();
  const workspace = createWorkspace({ root: options.root, labsDir: options.labsDir, label: `${options.label}-${lab.id}` });
  const resultsDir = mkdtempSync(join(tmpdir(), 'grading-results-'));
  const backend = await startEmbeddedBackend();
  try {
    assertSafeEndpoint(backend.endpoint, false);
    const region = new Random(options.seed).pick(REGIONS);
    const submissionDir = join(workspace.labsDir, lab.id);
    const env = {
      ...buildLabEnv(process.env, {
        endpoint: backend.endpoint,
        credentials: backend.credentials,
        region,
        sharedCredentialsFile: workspace.sharedCredentialsFile,
        configFile: workspace.configFile,
      }),
      // The backend is up before vitest starts: hand it over inline.
      [LAB_ENV.backend]: JSON.stringify({ backend: backend.describe(), env: backendEnv(backend) } satisfies BackendHandoff),
      [LAB_ENV.seed]: String(options.seed),
      [LAB_ENV.submission]: submissionDir,
    };
    const sandbox = buildSandbox({ root: options.root, workspace, checkFiles: lab.checkFiles, emulatorPort: Number(new URL(backend.endpoint).port) });
    const outcome = await runChecksInSandbox({
      root: options.root,
      checkFiles: lab.checkFiles,
      env,
      sandbox,
      checkTimeoutSeconds: options.checkTimeoutSeconds,
      output: options.output,
      resultsFile: join(resultsDir, 'results.json'),
    });
    const seconds = (Date.now() - started) / 1000;
    if (outcome.checks.length === 0) {
      return {
        ...summarise(lab.id, backend.name, options.seed, []),
        max_score: manifestPoints(lab),
        error: `The checks could not run: ${outcome.problems.join('\n') || 'no check reported'}`,
        problems: outcome.problems,
        skipped: workspace.skipped,
        seconds,
      };
    }
    return { ...summarise(lab.id, backend.name, options.seed, outcome.checks), problems: outcome.problems, skipped: workspace.skipped, seconds };
  } finally {
    await backend.stop();
    workspace.remove();
    rmSync(resultsDir, { recursive: true, force: true });
  }
}
