import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outputSince, StudentError, StudentProcess, StudentProcessStopped, type AgentLaunch, type GraderHooks } from '../../grader/student-process.ts';
import { labServices, sandboxLayout, type SandboxLayout } from '../../grader/student-sandbox.ts';
import { seededRandom } from '../../sandbox/seeded-random.ts';
import { isTagged, WIRE_TAG, type CheckEnvironment, type ClientConfigKey, type ClientService, type ClientSpec, type ModuleShape, type WireError } from '../../sandbox/wire.ts';
import { LAB_ENV, type LabRun } from './lab-environment.ts';

/**
 * The student's code, as the checks see it: modules loaded in the student's own process
 * and called across the boundary (grader/student-process.ts). A check never holds a
 * student object, only plain data, and these stand-ins:
 * - a function the student's code returned: calling it is a call in their process;
 * - an SDK client their code built: `RemoteClient` (`config.region()`,
 *   `config.maxAttempts()`, `config.credentials()`, `send(command)`), nothing more;
 * - any other object: `RemoteObject`, which can only be handed back to their code.
 * Going the other way, harness clients (ctx.s3(), ...) cross as descriptions and are
 * rebuilt there, and the check's functions become callbacks into this process.
 */
export type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};


const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How much of what the student's code prints during one check is kept for the scorecard. */
const OUTPUT_PER_CHECK = 16 * 1024;

/** Harness clients by their config object (a document client shares its base client's). */
const clientSpecs = new WeakMap<object, ClientSpec>();

export function describeClient<T extends { config: object }>(client: T, spec: ClientSpec): T {
  clientSpecs.set(client.config, spec);
  return client;
}

function serviceOf(client: object, spec: ClientSpec): ClientService {
  return Object.getPrototypeOf(client)?.constructor?.name === 'DynamoDBDocumentClient' ? 'dynamodb-document' : spec.service;
}

/** A thing that stays in the student's process. */
export class RemoteObject {
  constructor(
    readonly handle: number,
    readonly kind: string,
  ) {}
}

/** An SDK client the student's code built, queried only through these narrow calls. */
export class RemoteClient extends RemoteObject {
  readonly config: Record<ClientConfigKey, () => Promise<unknown>>;
  constructor(
    handle: number,
    kind: string,
    private readonly boundary: CheckBoundary,
  ) {
    super(handle, kind);
    const query = (key: ClientConfigKey) => () => boundary.query(handle, key);
    this.config = { region: query('region'), maxAttempts: query('maxAttempts'), credentials: query('credentials'), endpoint: query('endpoint'), forcePathStyle: query('forcePathStyle') };
  }

  /** Sends an SDK command through the student's client, in their process. */
  send(command: { input: unknown }): Promise<any> {
    return this.boundary.sendCommand(this.handle, command.constructor.name, command.input);
  }

  /** Released with the check. */
  destroy(): void {}
}

/**
 * How a check runs the student's code on virtual time (sandbox/virtual-time.ts): where
 * the clock starts, how far it may go, and how the emulator's clock follows it.
 */
export interface VirtualTimeOptions {
  /** The emulator's time when the check starts (its clock was reset with the backend). */
  startMs: number;
  /** How long the student's code may wait in virtual time (the check's own moves aside); past it, it is stopped with `overLimit`. */
  limitMs: number;
  /** Moves the emulator's clock forward by `ms`. */
  moveEmulator(ms: number): Promise<void>;
  overLimit: Error;
}

/** The grader's side of virtual time: the one place that decides how far time moves. */
class VirtualClock {
  nowMs: number;
  /** Virtual time the student's code has waited so far. */
  private waitedMs = 0;
  /** Moves happen one after another, in the order asked. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly options: VirtualTimeOptions) {
    this.nowMs = options.startMs;
  }

  /**
   * Moves both clocks to `untilMs` (never back, never past the limit); answers the new
   * time, or undefined when it would not move. `emulatorMoved`: the check moved the
   * emulator's clock itself, only the student's clock is behind.
   */
  moveTo(untilMs: number, onOverLimit: (error: Error) => void, emulatorMoved = false): Promise<number | undefined> {
    const move = this.queue.then(async () => {
      if (!Number.isFinite(untilMs)) return undefined;
      const target = Math.max(untilMs, this.nowMs);
      // Only the student's own waits count against the limit, not the check's moves.
      if (!emulatorMoved && this.waitedMs + (target - this.nowMs) > this.options.limitMs) {
        onOverLimit(this.options.overLimit);
        return undefined;
      }
      if (target > this.nowMs && !emulatorMoved) {
        await this.options.moveEmulator(target - this.nowMs);
        this.waitedMs += target - this.nowMs;
      }
      this.nowMs = target;
      return target;
    });
    this.queue = move.catch(() => undefined);
    return move;
  }
}

/** An error the check hands to the student's code: its name, message and the SDK's fields (status, fault, retry hint, errno code). */
function wireError(error: Error): WireError {
  const aws = error as Error & { $metadata?: WireError['$metadata']; $fault?: unknown; $retryable?: { throttling?: unknown }; code?: unknown };
  const metadata = aws.$metadata;
  return {
    name: error.name,
    message: error.message,
    $metadata: metadata ? { httpStatusCode: metadata.httpStatusCode, requestId: metadata.requestId, attempts: metadata.attempts, totalRetryDelay: metadata.totalRetryDelay } : undefined,
    $fault: typeof aws.$fault === 'string' ? aws.$fault : undefined,
    $retryable: aws.$retryable ? { throttling: aws.$retryable.throttling === true } : undefined,
    code: typeof aws.code === 'string' ? aws.code : undefined,
  };
}

/**
 * One check's view of the student's process: its environment overrides, the callbacks
 * it handed over and the handles it holds, all dropped when the check ends.
 */
export class CheckBoundary {
  private readonly callbacks = new Map<number, (...args: unknown[]) => unknown>();
  private readonly callbackIds = new WeakMap<object, number>();
  private readonly remoteFunctions = new WeakMap<object, number>();
  private readonly randoms = new WeakMap<object, { id: number; seed: number }>();
  private readonly handles: number[] = [];
  private virtual: VirtualClock | undefined;
  private nextId = 1;
  private static checks = 0;
  /** Which check this is, so the student's process starts each check from a fresh environment. */
  private readonly check = ++CheckBoundary.checks;

  constructor(
    private readonly code: StudentCode,
    private readonly vars: () => Record<string, string | null>,
  ) {}

  private env(): CheckEnvironment {
    // The student's clock starts (on the check's first call) where the grader's is then: a
    // check may have moved the emulator's clock before it called the student's code.
    return { check: this.check, vars: this.vars(), virtualTimeFromMs: this.virtual?.nowMs };
  }

  /** From the next call on, the student's timers and Date are virtual (see sandbox/virtual-time.ts). */
  useVirtualTime(options: VirtualTimeOptions): void {
    this.virtual = new VirtualClock(options);
  }

  /** The student's code waits for a timer due at `untilMs`: move the emulator there, then the student's clock. */
  wait(untilMs: number): Promise<number | undefined> {
    if (!this.virtual) return Promise.resolve(undefined);
    return this.virtual.moveTo(untilMs, (error) => this.code.kill(error));
  }

  /** The check moved the emulator's clock by `ms` itself (ctx.advanceClock): the student's clock follows. */
  async movedEmulatorClock(ms: number): Promise<void> {
    const virtual = this.virtual;
    if (!virtual) return;
    const toMs = await virtual.moveTo(virtual.nowMs + ms, (error) => this.code.kill(error), true);
    if (toMs !== undefined) this.code.current()?.advanceTo(toMs);
  }

  async load<T>(file: string): Promise<Remote<T>> {
    const process = await this.code.process(this);
    const shape: ModuleShape = await process.load(file);
    const module: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(shape.values)) module[name] = this.decode(value);
    for (const name of shape.functions) {
      module[name] = async (...args: unknown[]) => this.decode(await (await this.code.process(this)).call(file, name, args.map((a) => this.encode(a)), this.env()));
    }
    return module as Remote<T>;
  }

  query(handle: number, key: ClientConfigKey): Promise<unknown> {
    return this.code.process(this).then(async (p) => this.decode(await p.config(handle, key)));
  }

  sendCommand(handle: number, command: string, input: unknown): Promise<any> {
    return this.code.process(this).then(async (p) => this.decode(await p.send(handle, command, this.encode(input))));
  }

  /** A seeded random source for the student's code: there a synchronous `() => number` drawing the seed's sequence. */
  random(seed: number): () => number {
    const random = seededRandom(seed);
    this.randoms.set(random, { id: this.nextId++, seed });
    return random;
  }

  /** A callback from the student's code: only functions this check handed over. */
  async callback(fn: number, args: unknown[]): Promise<unknown> {
    const target = this.callbacks.get(fn);
    if (!target) throw new Error('that function is not available any more');
    return this.encode(await target(...args.map((a) => this.decode(a))));
  }

  /** Grader value -> wire. */
  encode(value: unknown, depth = 0): unknown {
    if (depth > 64) throw new Error('harness: value nested too deep to hand to the student code');
    if (typeof value === 'function') {
      const remote = this.remoteFunctions.get(value);
      if (remote !== undefined) return { [WIRE_TAG]: 'handle', id: remote, kind: 'function', client: false };
      const random = this.randoms.get(value);
      if (random) return { [WIRE_TAG]: 'random', id: random.id, seed: random.seed };
      let id = this.callbackIds.get(value);
      if (id === undefined) {
        id = this.nextId++;
        this.callbackIds.set(value, id);
        this.callbacks.set(id, value as (...args: unknown[]) => unknown);
      }
      return { [WIRE_TAG]: 'fn', id };
    }
    if (typeof value !== 'object' || value === null || value instanceof Date || value instanceof Uint8Array) return value;
    if (value instanceof RemoteObject) return { [WIRE_TAG]: 'handle', id: value.handle, kind: value.kind, client: value instanceof RemoteClient };
    if (value instanceof Error) return { [WIRE_TAG]: 'error', error: wireError(value) };
    if (Array.isArray(value)) return value.map((item) => this.encode(item, depth + 1));
    if (value instanceof Map) return new Map([...value].map(([k, v]) => [this.encode(k, depth + 1), this.encode(v, depth + 1)]));
    if (value instanceof Set) return new Set([...value].map((v) => this.encode(v, depth + 1)));
    const config = (value as { config?: unknown }).config;
    const spec = typeof config === 'object' && config !== null ? clientSpecs.get(config) : undefined;
    if (spec) return { [WIRE_TAG]: 'client', spec: { ...spec, service: serviceOf(value, spec) } };
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(`harness: a ${proto?.constructor?.name ?? 'object'} cannot be handed to the student's code (SDK clients must come from ctx.s3(), ctx.iam(), ctx.sts(), ctx.dynamodb())`);
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.encode(item, depth + 1)]));
  }

  /** Wire -> grader value (never a student object: stand-ins and copies only). */
  decode(value: unknown): any {
    if (typeof value !== 'object' || value === null || value instanceof Date || value instanceof Uint8Array) return value;
    if (isTagged(value)) {
      switch (value[WIRE_TAG]) {
        case 'handle':
          return this.standIn(value.id, value.kind, value.client);
        case 'error':
          return new StudentError(value.error);
        case 'body': {
          const bytes = value.bytes;
          return { transformToByteArray: async () => bytes, transformToString: async (encoding = 'utf-8') => new TextDecoder(encoding).decode(bytes) };
        }
        default:
          return undefined;
      }
    }
    if (Array.isArray(value)) return value.map((item) => this.decode(item));
    if (value instanceof Map) return new Map([...value].map(([k, v]) => [this.decode(k), this.decode(v)]));
    if (value instanceof Set) return new Set([...value].map((v) => this.decode(v)));
    // fromEntries defines own properties: a "__proto__" key stays a key.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.decode(item)]));
  }

  private standIn(handle: number, kind: string, client: boolean): unknown {
    if (!Number.isInteger(handle)) return undefined;
    this.handles.push(handle);
    if (client) return new RemoteClient(handle, String(kind), this);
    if (kind === 'function') {
      const fn = async (...args: unknown[]) => this.decode(await (await this.code.process(this)).invoke(handle, args.map((a) => this.encode(a)), this.env()));
      this.remoteFunctions.set(fn, handle);
      return fn;
    }
    return new RemoteObject(handle, String(kind));
  }

  /** Drops what the check held in the student's process. */
  dispose(): void {
    this.code.current()?.release(this.handles.splice(0));
    this.callbacks.clear();
  }
}

/**
 * The student's process for one check file: compiled and started on first use, stopped
 * (and started again on next use) when a check's time runs out, stopped after the file.
 */
export class StudentCode {
  private running: StudentProcess | undefined;
  private starting: Promise<StudentProcess> | undefined;
  private layout: SandboxLayout | undefined;
  private prepared: Promise<void> | undefined;
  private boundary: CheckBoundary | undefined;
  private ownWorkDir: string | undefined;
  /** The runner's student process, while it is the one running. */
  private claimed: AgentLaunch | undefined;
  /** Where the output of this check starts, in each process that ran during it (undefined: not collecting). */
  private outputMarks: Array<{ logFile: string; offset: number }> | undefined;

  constructor(private readonly run: () => Promise<LabRun>) {}

  /**
   * Compiles the lab and starts the process with the SDK loaded, before a check's time
   * starts: the first start, and a restart after a check's process was stopped, are the
   * grader's cost, not the next check's. A process that cannot start is reported by the
   * check that uses it.
   */
  warmUp(): Promise<unknown> {
    return this.ensure().catch(() => undefined);
  }

  current(): StudentProcess | undefined {
    return this.running?.alive ? this.running : undefined;
  }

  /** The running process, for `boundary`'s calls (its callbacks are routed to it). */
  async process(boundary: CheckBoundary): Promise<StudentProcess> {
    this.boundary = boundary;
    return this.ensure();
  }

  /** Where a check puts files for the student's code to read. */
  async exchangeDir(): Promise<string> {
    await this.prepare();
    return this.layout!.exchangeDir;
  }

  /** Stops the process now (a check's time is up); the next check starts a fresh one. */
  kill(reason: Error): void {
    this.running?.kill(reason);
    this.running = undefined;
    this.claimed = undefined;
  }

  busy(): boolean {
    return this.running?.busy ?? false;
  }

  /** From now on, keep what the student's code prints, for `checkOutput()`. */
  startCheckOutput(): void {
    const mark = this.current()?.outputMark();
    this.outputMarks = mark ? [mark] : [];
  }

  /** What the student's code printed since `startCheckOutput()` (the end of it, when it is long). */
  checkOutput(): string {
    const marks = this.outputMarks ?? [];
    this.outputMarks = undefined;
    return marks.map((mark) => outputSince(mark, OUTPUT_PER_CHECK)).join('');
  }

  async stop(): Promise<void> {
    // Never handed on to the lab's next check file: every check file starts with a fresh
    // process, so what the student's modules keep between calls never crosses files, and
    // a submission is graded the same alone and in a batch's group (where only the first
    // member could be handed the runner's process).
    this.kill(new StudentProcessStopped('grading finished'));
    if (this.ownWorkDir) rmSync(this.ownWorkDir, { recursive: true, force: true });
  }

  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      const run = await this.run();
      if (run.studentWork) {
        this.layout = sandboxLayout(run.studentWork);
        return;
      }
      // Not prepared by the runner (a manual run): prepare here. Loaded only then: esbuild is not needed otherwise.
      const { prepareStudentWork } = await import('../../grader/prepare-student-work.ts');
      const base = process.env[LAB_ENV.workDir] ?? (this.ownWorkDir = mkdtempSync(join(tmpdir(), 'lab-student-')));
      this.layout = sandboxLayout(await prepareStudentWork(ROOT, run.submissionDir, base, run.sandbox, run.labId));
      if (run.sandbox.isolateNetwork) {
        const { startEmulatorBridge } = await import('../../grader/emulator-bridge.ts');
        await startEmulatorBridge(this.layout.bridgeSocket, Number(new URL(run.backend.endpoint).port));
      }
    })();
    return this.prepared;
  }

  private ensure(): Promise<StudentProcess> {
    if (this.running?.alive) return Promise.resolve(this.running);
    this.starting ??= (async () => {
      await this.prepare();
      const run = await this.run();
      const hooks: GraderHooks = {
        callback: (fn, args) => (this.boundary ? this.boundary.callback(fn, args) : Promise.reject(new Error('no check is running'))),
        wait: (untilMs) => (this.boundary ? this.boundary.wait(untilMs) : Promise.resolve(undefined)),
      };
      const prestarted = claim(run.studentAgent);
      this.claimed = prestarted;
      // The runner's process may be gone (it ends when nobody connects for a minute): then start one here.
      const connected = prestarted ? await StudentProcess.connect(prestarted, hooks, true).catch(() => undefined) : undefined;
      if (prestarted && !connected) this.claimed = undefined;
      const started = connected
        ? connected
        : await StudentProcess.start({
            root: ROOT,
            layout: this.layout!,
            policy: run.sandbox,
            awsEnv: run.studentEnv,
            emulatorPort: Number(new URL(run.backend.endpoint).port),
            services: labServices(run.submissionDir),
            hooks,
          });
      this.running = started;
      this.outputMarks?.push(started.outputMark());
      return started;
    })().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }
}

/**
 * The student process the lab runner started ahead, for the first check file that asks
 * (renaming its marker is atomic: one file gets it); later files start their own.
 */
function claim(launch: AgentLaunch | undefined): AgentLaunch | undefined {
  if (!launch) return undefined;
  try {
    renameSync(`${launch.logFile}.unclaimed`, `${launch.logFile}.claimed`);
    return launch;
  } catch {
    return undefined;
  }
}

