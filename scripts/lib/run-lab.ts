import { relative } from 'node:path';
import type { Backend, BackendName } from '../../backends/backend.ts';
import { startEmbeddedBackend } from '../../backends/embedded.ts';
import { labRunToEnv } from '../../checks/support/lab-environment.ts';
import { newRunSeed, Random, REGIONS } from '../../checks/support/random.ts';
import { gradeChecks } from './grade.ts';
import { findLab, resolveSubmission, type Lab } from './labs.ts';
import { summarise, type LabResult } from './lab-result.ts';
import { runProgram } from './run-program.ts';
import { assertSafeEndpoint, buildLabEnv, createEmptyAwsFiles, type EmptyAwsFiles } from './safe-env.ts';
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
  /** Grade only, without running the lab's program first (batch grading, self-tests). */
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
 * checks, and return the result. The program and the checks run as child processes
 * with the scrubbed environment only (see safe-env.ts).
 *
 * On the embedded backend the program gets an emulator of its own and runs while the
 * checks run (both start in milliseconds, and the checks reset their backend before
 * each check anyway); other backends run the program first, then the checks.
 */
export async function runLab(options: RunLabOptions): Promise<LabRunOutcome> {
  const lab = findLab(options.root, options.lab);
  const submissionDir = resolveSubmission(lab, options.submission);
  const seed = options.seed ?? newRunSeed();
  const region = new Random(seed).pick(REGIONS);
  const log = options.json ? process.stderr : process.stdout;
  const style = styleFor(log);
  const started: Backend[] = [];
  const awsFiles = createEmptyAwsFiles();
  try {
    const backend = await startNamedBackend(options);
    started.push(backend);
    const envFor = (target: Backend) => safeEnv(target, region, awsFiles, Boolean(options.endpoint));
    log.write(style.dim(`Lab ${lab.id} on ${backend.name} (${backend.endpoint}), region ${region}, seed ${seed} (replay with --seed ${seed})\n`));

    const program = async (target: Backend) => {
      const where = relative(process.cwd(), submissionDir) || '.';
      log.write(style.bold(`\n── Running your program: ${where}/${lab.manifest.program} ──\n`));
      const timeoutSeconds = options.programTimeoutSeconds ?? 30;
      const outcome = await runProgram({ dir: submissionDir, program: lab.manifest.program, env: envFor(target), timeoutSeconds, stdoutFd: options.json ? 2 : 1 });
      if (outcome.timedOut) log.write(style.red(`Your program was stopped after ${timeoutSeconds} s.\n`));
      else if (outcome.exitCode !== 0) log.write(style.yellow(`Your program exited with code ${outcome.exitCode}.\n`));
    };
    const grade = () =>
      gradeChecks({
        root: options.root,
        checkFiles: lab.checkFiles,
        env: { ...envFor(backend), ...labRunToEnv({ backend: backend.describe(), seed, submissionDir }) },
        outputFd: 2,
      });

    let checks;
    if (options.skipProgram) {
      checks = await grade();
    } else if (backend.name === 'embedded') {
      const programBackend = await startEmbeddedBackend();
      started.push(programBackend);
      [, checks] = await Promise.all([program(programBackend), grade()]);
    } else {
      await program(backend);
      checks = await grade();
    }
    return { lab, result: summarise(lab.id, backend.name, seed, checks) };
  } finally {
    awsFiles.remove();
    await Promise.all(started.map((b) => b.stop()));
  }
}

async function startNamedBackend(options: RunLabOptions): Promise<Backend> {
  if (options.endpoint) assertSafeEndpoint(options.endpoint, true);
  // The embedded backend is imported on its own: the others pull in testcontainers, which is slow to load.
  const backend =
    options.backend === 'embedded' && !options.endpoint
      ? await startEmbeddedBackend()
      : await (await import('../../backends/index.ts')).startBackend(options.endpoint ? 'endpoint' : options.backend, {
          endpointUrl: options.endpoint,
          allowRemoteEndpoint: Boolean(options.endpoint),
        });
  try {
    assertSafeEndpoint(backend.endpoint, Boolean(options.endpoint));
  } catch (error) {
    await backend.stop();
    throw error;
  }
  return backend;
}

function safeEnv(backend: Backend, region: string, files: EmptyAwsFiles, namedByUser: boolean): NodeJS.ProcessEnv {
  assertSafeEndpoint(backend.endpoint, namedByUser);
  return buildLabEnv(process.env, {
    endpoint: backend.endpoint,
    credentials: backend.credentials,
    region,
    sharedCredentialsFile: files.sharedCredentialsFile,
    configFile: files.configFile,
  });
}
