import { relative } from 'node:path';
import type { Backend, BackendName } from '../../backends/backend.ts';
import { startBackend } from '../../backends/index.ts';
import { labRunToEnv, type LabRun } from '../../checks/support/lab-environment.ts';
import { newRunSeed, Random, REGIONS } from '../../checks/support/random.ts';
import { createGrader } from './grade.ts';
import { findLab, resolveSubmission, type Lab } from './labs.ts';
import { summarise, type LabResult } from './lab-result.ts';
import { runProgram } from './run-program.ts';
import { assertSafeEndpoint, buildLabEnv, createEmptyAwsFiles, replaceEnv } from './safe-env.ts';
import { styleFor } from './scorecard.ts';

export interface RunLabOptions {
  /** Project root. */
  root: string;
  lab: number;
  backend: BackendName;
  /** A user-named endpoint (`--endpoint URL`): the `endpoint` backend, allowed off loopback. */
  endpoint?: string;
  /** `--submission DIR`: another copy of the labs folder (or of the lab folder). */
  submission?: string;
  seed?: number;
  /** Skip running the lab's program (batch grading). */
  skipProgram?: boolean;
  /** Under --json, everything but the JSON result goes to stderr. */
  json: boolean;
  programTimeoutSeconds?: number;
}

export interface LabRunOutcome {
  lab: Lab;
  result: LabResult;
}

/**
 * `npm run lab:N`: start the backend, run the student's program against it, grade the
 * checks, and return the result. Everything runs with the scrubbed environment; this
 * process's own environment is replaced too, because the check workers inherit it.
 */
export async function runLab(options: RunLabOptions): Promise<LabRunOutcome> {
  const lab = findLab(options.root, options.lab);
  const submissionDir = resolveSubmission(lab, options.submission);
  const seed = options.seed ?? newRunSeed();
  const region = new Random(seed).pick(REGIONS);
  const log = options.json ? process.stderr : process.stdout;
  const style = styleFor(log);

  if (options.endpoint) assertSafeEndpoint(options.endpoint, true);
  const backend: Backend = await startBackend(options.endpoint ? 'endpoint' : options.backend, { endpointUrl: options.endpoint });
  const awsFiles = createEmptyAwsFiles();
  try {
    assertSafeEndpoint(backend.endpoint, Boolean(options.endpoint));
    const run: LabRun = { backend: backend.describe(), seed, submissionDir };
    const env = {
      ...buildLabEnv(process.env, {
        endpoint: backend.endpoint,
        credentials: backend.credentials,
        region,
        sharedCredentialsFile: awsFiles.sharedCredentialsFile,
        configFile: awsFiles.configFile,
      }),
      ...labRunToEnv(run),
    };
    replaceEnv(process.env, env);

    log.write(style.dim(`Lab ${lab.id} on ${backend.name} (${backend.endpoint}), region ${region}, seed ${seed} (replay with --seed ${seed})\n`));
    const grader = createGrader({ root: options.root, checkFiles: lab.checkFiles, output: process.stderr });
    // Vitest starts up while the program runs; the checks reset the backend anyway.
    const program = options.skipProgram
      ? undefined
      : (async () => {
          const where = relative(process.cwd(), submissionDir) || '.';
          log.write(style.bold(`\n── Running your program: ${where}/${lab.manifest.program} ──\n`));
          const outcome = await runProgram({
            dir: submissionDir,
            program: lab.manifest.program,
            env,
            timeoutSeconds: options.programTimeoutSeconds ?? 30,
            stdoutFd: options.json ? 2 : 1,
          });
          if (outcome.timedOut) log.write(style.red(`Your program was stopped after ${options.programTimeoutSeconds ?? 30} s.\n`));
          else if (outcome.exitCode !== 0) log.write(style.yellow(`Your program exited with code ${outcome.exitCode}.\n`));
          log.write(style.bold('\n── Grading ──\n'));
        })();
    const [ready] = await Promise.all([grader, program]);
    try {
      const checks = await ready.run();
      return { lab, result: summarise(lab.id, backend.name, seed, checks) };
    } finally {
      await ready.close();
    }
  } finally {
    awsFiles.remove();
    await backend.stop();
  }
}
