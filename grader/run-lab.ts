import { relative } from 'node:path';
import type { Backend, BackendName } from '../backends/backend.ts';
import { LAB_ENV, type BackendHandoff } from '../checks/support/lab-environment.ts';
import { newRunSeed, Random, REGIONS } from '../checks/support/random.ts';
import { findSyntaxErrors } from './code-frame.ts';
import { gradeChecks } from './grade.ts';
import { GradingStatus } from './grading-status.ts';
import { findLab, resolveSubmission, type Lab } from './labs.ts';
import { summarise, type LabResult } from './lab-result.ts';
import { LiveLine } from './live-line.ts';
import { programEnding, runProgram, type ProgramRun } from './run-program.ts';
import { assertSafeEndpoint, backendEnv, createEmptyAwsFiles, scrubbedEnv } from './safe-env.ts';
import { styleFor, type Style, type TypeErrorSummary } from './scorecard.ts';
import { startTypeCheck } from './type-check.ts';

export interface RunLabOptions {
  /** Project root. */
  root: string;
  lab: number;
  backend: BackendName;
  /** A user-named endpoint (`--endpoint URL`): the `endpoint` backend, allowed off loopback. */
  endpoint?: string;
  /** `--reset-endpoint`: the user agrees that grading resets the emulator at `endpoint` (deleting what is in it). */
  resetEndpoint?: boolean;
  /** `--submission DIR`: another copy of the labs folder (or of the lab folder). */
  submission?: string;
  seed?: number;
  /** Grade only, without running the lab's program first (batch grading, self-tests). */
  skipProgram?: boolean;
  /** `--todo N`: grade only that TODO's checks. */
  todo?: number;
  /** Under --json, everything but the JSON result goes to stderr. */
  json: boolean;
  programTimeoutSeconds?: number;
  /** Type-check the lab's files beside grading (default: on, except under --json). */
  typeCheck?: boolean;
}

export interface LabRunOutcome {
  lab: Lab;
  result: LabResult;
  /** TypeScript's errors in the lab's files; undefined when not checked or tsc took too long. */
  typeErrors?: TypeErrorSummary;
  /** `file:line:column` of the syntax errors already shown above the scorecard. */
  syntaxErrorsShown: string[];
}

/** How long past the end of grading the runner waits for the type check. */
const TYPE_CHECK_GRACE_MS = 3_000;

/** The parts of a run that grading and the program-only mode share. */
interface RunSetup {
  lab: Lab;
  submissionDir: string;
  seed: number;
  region: string;
  style: Style;
  live: LiveLine;
  status: GradingStatus;
  baseEnv: NodeJS.ProcessEnv;
  start(name: BackendName): Promise<Backend>;
  cleanUp(): Promise<void>;
}

function setUp(options: Omit<RunLabOptions, 'backend'>): RunSetup {
  const lab = findLab(options.root, options.lab);
  const submissionDir = resolveSubmission(lab, options.submission);
  const seed = options.seed ?? newRunSeed();
  const region = new Random(seed).pick(REGIONS);
  const log = options.json ? process.stderr : process.stdout;
  const style = styleFor(log);
  const live = new LiveLine(log, Boolean(log.isTTY) && !options.json);
  const namedByUser = Boolean(options.endpoint);
  if (options.endpoint) assertSafeEndpoint(options.endpoint, true);
  const awsFiles = createEmptyAwsFiles();
  const baseEnv = scrubbedEnv(process.env, { region, sharedCredentialsFile: awsFiles.sharedCredentialsFile, configFile: awsFiles.configFile });
  const started: Backend[] = [];
  return {
    lab,
    submissionDir,
    seed,
    region,
    style,
    live,
    status: new GradingStatus(style),
    baseEnv,
    start: async (name) => {
      const backend = await startNamedBackend(name, options.endpoint);
      started.push(backend);
      assertSafeEndpoint(backend.endpoint, namedByUser);
      return backend;
    },
    cleanUp: async () => {
      live.stop();
      awsFiles.remove();
      await Promise.all(started.map((b) => b.stop()));
    },
  };
}

/**
 * The checks reset the backend before each one. On an emulator the user runs
 * (`--endpoint URL` at `npm run emulator`) that deletes what they made there, so it takes
 * their explicit word first.
 */
export function assertResetAllowed(backend: Backend, allowed: boolean): void {
  if (backend.name !== 'endpoint' || backend.describe().reset === 'none' || allowed) return;
  throw new Error(
    `Grading resets the emulator at ${backend.endpoint} before every check: everything in it (buckets, objects, tables, users, roles) is deleted.\n` +
      'If that is fine, run again with --reset-endpoint. To keep what is there, drop --endpoint: the lab then gets an emulator of its own.',
  );
}

/**
 * Shows the syntax errors of the lab once, as code frames, before anything runs (tsx would
 * otherwise print a long esbuild stack trace). Returns their `file:line:column`s.
 */
async function showSyntaxErrors(setup: RunSetup): Promise<string[]> {
  const frames = await findSyntaxErrors(setup.submissionDir);
  if (frames.length === 0) return [];
  const { style } = setup;
  setup.live.print(`${style.red(style.bold(`\nYour lab does not compile (${frames.length} file(s)):`))}\n\n${frames.join('\n\n')}\n\n`);
  return frames.map((frame) => frame.slice(0, frame.indexOf(': ')));
}

async function runTheProgram(setup: RunSetup, backend: Backend, options: Pick<RunLabOptions, 'programTimeoutSeconds' | 'json'>, syntaxErrors: string[]): Promise<ProgramRun | undefined> {
  const { lab, submissionDir, style, live, status } = setup;
  const where = relative(process.cwd(), submissionDir) || '.';
  live.print(style.bold(`\n── Running your program: ${where}/${lab.manifest.program} ──\n`));
  if (syntaxErrors.length > 0) {
    live.print(style.yellow('Not run: fix the syntax error(s) above first.\n'));
    return undefined;
  }
  const timeoutSeconds = options.programTimeoutSeconds ?? 30;
  status.programStarted();
  live.refresh();
  const out = options.json ? process.stderr : process.stdout;
  const outcome = await runProgram({
    dir: submissionDir,
    program: lab.manifest.program,
    env: { ...setup.baseEnv, ...backendEnv(backend) },
    timeoutSeconds,
    onOutput: (text, stream) => live.print(text, stream === 'stderr' ? process.stderr : out),
  });
  status.programEnded();
  const ending = programEnding(outcome, timeoutSeconds);
  if (ending) live.print(`${style[ending.level](ending.text)}\n`);
  return outcome;
}

/**
 * `npm run lab:N`: start the backend, run the student's program against it, grade the
 * checks, and return the result. The program and the checks run as child processes
 * with the scrubbed environment only (see safe-env.ts).
 *
 * Vitest starts at once, while the backend starts. On the embedded backend the program
 * gets an emulator of its own and runs while the checks run (the checks reset their
 * backend before each check anyway); other backends run the program first. Either way
 * the run's header comes first, then the program's output, and the scorecard only after
 * the program's last byte: the runner reads the program's output and prints it itself,
 * above a live line (on a terminal) that names the check running.
 */
export async function runLab(options: RunLabOptions): Promise<LabRunOutcome> {
  const setup = setUp(options);
  const { lab, seed, region, style, live, status } = setup;
  if (options.todo !== undefined && !lab.manifest.todos.some((t) => t.todo === options.todo)) {
    await setup.cleanUp();
    throw new Error(`Lab ${lab.number} has no TODO ${options.todo}; its TODOs are ${lab.manifest.todos.map((t) => t.todo).join(', ')}.`);
  }
  const typeCheck = (options.typeCheck ?? !options.json) ? startTypeCheck(options.root, setup.submissionDir) : undefined;
  try {
    const backendName: BackendName = options.endpoint ? 'endpoint' : options.backend;
    const gradingBackend = setup.start(backendName).then((backend) => {
      assertResetAllowed(backend, options.resetEndpoint ?? false);
      live.print(style.dim(`Lab ${lab.id} on ${backend.name} (${backend.endpoint}), region ${region}, seed ${seed} (replay with --seed ${seed})\n`));
      live.show(() => status.text());
      return backend;
    });
    const syntaxErrors = gradingBackend.then(() => showSyntaxErrors(setup));
    const separateProgramBackend = !options.skipProgram && backendName === 'embedded';
    // The program's own emulator starts with the grading one; the program waits for the header.
    const programBackend = separateProgramBackend ? setup.start('embedded') : gradingBackend;
    const program = options.skipProgram
      ? syntaxErrors.then(() => undefined)
      : Promise.all([programBackend, syntaxErrors]).then(([backend, errors]) => runTheProgram(setup, backend, options, errors));
    // Other backends: the program first, then the checks (they share the backend).
    const programDone = separateProgramBackend ? syntaxErrors : program;
    const handoff: Promise<BackendHandoff> = Promise.all([gradingBackend, programDone]).then(([backend]) => ({
      backend: backend.describe(),
      env: backendEnv(backend),
    }));
    const grading = gradeChecks({
      root: options.root,
      checkFiles: lab.checkFiles,
      env: { ...setup.baseEnv, [LAB_ENV.seed]: String(seed), [LAB_ENV.submission]: setup.submissionDir },
      backend: handoff,
      output: 2,
      progress: (event) => {
        status.onProgress(event);
        live.refresh();
      },
      ...(options.todo !== undefined ? { vitestArgs: ['--testNamePattern', `^TODO ${options.todo}: `] } : {}),
    });
    const [checks] = await Promise.all([grading, program]);
    const graded = options.todo === undefined ? checks : checks.filter((c) => c.todo === options.todo);
    const typeErrors = await typeCheck?.result(Date.now() + TYPE_CHECK_GRACE_MS);
    return { lab, result: summarise(lab.id, (await gradingBackend).name, seed, graded), ...(typeErrors ? { typeErrors } : {}), syntaxErrorsShown: await syntaxErrors };
  } finally {
    typeCheck?.stop();
    await setup.cleanUp();
  }
}

export interface SubmissionsOptions extends Pick<RunLabOptions, 'root' | 'lab' | 'seed' | 'json'> {
  /** The lab folders (or labs folders) to grade, one after another, in one run of the checks. */
  submissions: string[];
}

/**
 * Grades several submissions of one lab in one run of its checks, on one embedded
 * emulator (reset before every check, as always): vitest, the checks and the SDK start
 * once instead of once per submission. Each submission's code still runs in student
 * processes of its own, stopped after its last check; the next one's process starts
 * meanwhile but runs none of its code before its first check, so no two submissions' code
 * runs at once. The program is not run. Results come in the order given.
 */
export async function gradeLabSubmissions(options: SubmissionsOptions): Promise<LabResult[]> {
  const setup = setUp(options);
  const { lab, seed } = setup;
  const dirs = options.submissions.map((dir) => resolveSubmission(lab, dir));
  try {
    const backend = await setup.start('embedded');
    const checks = await gradeChecks({
      root: options.root,
      checkFiles: lab.checkFiles,
      env: { ...setup.baseEnv, [LAB_ENV.seed]: String(seed), [LAB_ENV.submissions]: JSON.stringify(dirs) },
      backend: Promise.resolve({ backend: backend.describe(), env: backendEnv(backend) }),
      output: 2,
    });
    return dirs.map((_, index) => {
      const own = checks.filter((c) => (c.submission ?? 0) === index).map(({ submission: _submission, ...check }) => check);
      return summarise(lab.id, backend.name, seed, own);
    });
  } finally {
    await setup.cleanUp();
  }
}

export interface ProgramOnlyOutcome {
  lab: Lab;
  /** Undefined when the program was not run (it does not compile). */
  program: ProgramRun | undefined;
}

/**
 * `npm run lab:N -- --program-only`: the lab's program alone, against an emulator (a fresh
 * embedded one by default), in the same scrubbed environment as under grading, so it never
 * picks up the student's real `~/.aws` credentials as `tsx main.ts` would.
 */
export async function runLabProgram(options: Omit<RunLabOptions, 'todo' | 'skipProgram' | 'typeCheck'>): Promise<ProgramOnlyOutcome> {
  const setup = setUp(options);
  try {
    const backend = await setup.start(options.endpoint ? 'endpoint' : options.backend);
    setup.live.print(setup.style.dim(`Lab ${setup.lab.id}: your program alone on ${backend.name} (${backend.endpoint}), region ${setup.region}; nothing is graded\n`));
    const errors = await showSyntaxErrors(setup);
    setup.live.show(() => setup.status.text());
    return { lab: setup.lab, program: await runTheProgram(setup, backend, options, errors) };
  } finally {
    await setup.cleanUp();
  }
}

/** The embedded backend is imported on its own: the others pull in testcontainers, which is slow to load. */
async function startNamedBackend(name: BackendName, endpointUrl: string | undefined): Promise<Backend> {
  if (name === 'embedded') return (await import('../backends/embedded.ts')).startEmbeddedBackend();
  const { startBackend } = await import('../backends/index.ts');
  return startBackend(name, { endpointUrl, allowRemoteEndpoint: Boolean(endpointUrl) });
}
