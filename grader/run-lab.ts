import { relative } from 'node:path';
import type { Backend, BackendName } from '../backends/backend.ts';
import { LAB_ENV, type BackendHandoff } from '../checks/support/lab-environment.ts';
import { newRunSeed, Random, REGIONS } from '../checks/support/random.ts';
import { gradeChecks } from './grade.ts';
import { findLab, resolveSubmission, type Lab } from './labs.ts';
import { summarise, type LabResult } from './lab-result.ts';
import { runProgram } from './run-program.ts';
import { assertSafeEndpoint, backendEnv, createEmptyAwsFiles, scrubbedEnv } from './safe-env.ts';
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
 * Vitest starts at once, while the backend starts. On the embedded backend the program
 * gets an emulator of its own and runs while the checks run (the checks reset their
 * backend before each check anyway); other backends run the program first.
 */
export async function runLab(options: RunLabOptions): Promise<LabRunOutcome> {
  const lab = findLab(options.root, options.lab);
  const submissionDir = resolveSubmission(lab, options.submission);
  const seed = options.seed ?? newRunSeed();
  const region = new Random(seed).pick(REGIONS);
  const log = options.json ? process.stderr : process.stdout;
  const style = styleFor(log);
  const namedByUser = Boolean(options.endpoint);
  if (options.endpoint) assertSafeEndpoint(options.endpoint, true);

  const awsFiles = createEmptyAwsFiles();
  const baseEnv = scrubbedEnv(process.env, { region, sharedCredentialsFile: awsFiles.sharedCredentialsFile, configFile: awsFiles.configFile });
  const started: Backend[] = [];
  const start = async (name: BackendName): Promise<Backend> => {
    const backend = await startNamedBackend(name, options.endpoint);
    started.push(backend);
    assertSafeEndpoint(backend.endpoint, namedByUser);
    return backend;
  };
  const envFor = (backend: Backend): NodeJS.ProcessEnv => ({ ...baseEnv, ...backendEnv(backend) });

  const runTheProgram = async (backend: Backend) => {
    const where = relative(process.cwd(), submissionDir) || '.';
    log.write(style.bold(`\n── Running your program: ${where}/${lab.manifest.program} ──\n`));
    const timeoutSeconds = options.programTimeoutSeconds ?? 30;
    const outcome = await runProgram({ dir: submissionDir, program: lab.manifest.program, env: envFor(backend), timeoutSeconds, stdoutFd: options.json ? 2 : 1 });
    if (outcome.timedOut) log.write(style.red(`Your program was stopped after ${timeoutSeconds} s.\n`));
    else if (outcome.exitCode !== 0) log.write(style.yellow(`Your program exited with code ${outcome.exitCode}.\n`));
  };

  try {
    const backendName: BackendName = options.endpoint ? 'endpoint' : options.backend;
    const gradingBackend = start(backendName).then((backend) => {
      log.write(style.dim(`Lab ${lab.id} on ${backend.name} (${backend.endpoint}), region ${region}, seed ${seed} (replay with --seed ${seed})\n`));
      return backend;
    });
    const separateProgramBackend = !options.skipProgram && backendName === 'embedded';
    // Other backends: the program first, then the checks (they share the backend).
    const programDone =
      options.skipProgram || separateProgramBackend ? Promise.resolve() : gradingBackend.then(runTheProgram);
    const handoff: Promise<BackendHandoff> = Promise.all([gradingBackend, programDone]).then(([backend]) => ({
      backend: backend.describe(),
      env: backendEnv(backend),
    }));
    const grading = gradeChecks({
      root: options.root,
      checkFiles: lab.checkFiles,
      env: { ...baseEnv, [LAB_ENV.seed]: String(seed), [LAB_ENV.submission]: submissionDir },
      backend: handoff,
      output: 2,
    });
    const program = separateProgramBackend ? start('embedded').then(runTheProgram) : programDone;
    const [checks] = await Promise.all([grading, program]);
    return { lab, result: summarise(lab.id, (await gradingBackend).name, seed, checks) };
  } finally {
    awsFiles.remove();
    await Promise.all(started.map((b) => b.stop()));
  }
}

/** The embedded backend is imported on its own: the others pull in testcontainers, which is slow to load. */
async function startNamedBackend(name: BackendName, endpointUrl: string | undefined): Promise<Backend> {
  if (name === 'embedded') return (await import('../backends/embedded.ts')).startEmbeddedBackend();
  const { startBackend } = await import('../backends/index.ts');
  return startBackend(name, { endpointUrl, allowRemoteEndpoint: Boolean(endpointUrl) });
}
