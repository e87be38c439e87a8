import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readMessages, sendMessage } from '../sandbox/channel.ts';
import { isTagged, WIRE_TAG, type CheckEnvironment, type ClientConfigKey, type FromStudent, type ModuleShape, type ToStudent, type WireError } from '../sandbox/wire.ts';
import { agentCommand, studentEnv, type SandboxLayout, type SandboxPolicy } from './student-sandbox.ts';

/**
 * The trusted side of the boundary: one student process (sandbox/agent.ts), the calls in
 * flight, and the callbacks the student's code makes into the grader. Messages from the
 * student's process are its answers, never instructions: an answer to a call nobody made
 * is dropped, and only functions the grader handed over can be called back.
 *
 * Starting (launchAgent) and talking (StudentProcess.connect) are apart: the lab runner
 * starts the first student process while vitest starts, and the checks' process connects
 * to it over its Unix socket when its first check is due; a lab's next check file
 * connects to the same process after the first has let go of it.
 */
export class StudentProcessStopped extends Error {
  override name = 'StudentProcessStopped';
}

export interface AgentOptions {
  root: string;
  layout: SandboxLayout;
  policy: SandboxPolicy;
  /** AWS_* variables of the lab (endpoint, keys, region). */
  awsEnv: Record<string, string>;
  emulatorPort: number;
  /** The services whose SDK clients the process loads before it says it is ready (lab.json's `services`). */
  services: string[];
}

/** A started student process: where to reach it, and where its output goes. */
export interface AgentLaunch {
  pid: number;
  socketPath: string;
  /** Its stdout and stderr (the grader reads the end of it to say why it died). */
  logFile: string;
}

/** `stderr`: the student process's output is copied to this process's stderr when it ends (batch grading's lab log). */
export const STUDENT_OUTPUT_ENV = 'LAB_STUDENT_OUTPUT';

/** How much of the end of the student's output is kept for messages and logs. */
const OUTPUT_LIMIT = 64 * 1024;

/** Starts a student process; it listens on its socket and waits there for the grader. */
export function launchAgent(options: AgentOptions): AgentLaunch {
  const id = randomBytes(4).toString('hex');
  // In its own temp folder (the only place it may write); the path stays short, as socket paths must.
  const socketPath = join(options.layout.tmpDir, `a-${id}.sock`);
  const logFile = join(options.layout.dir, `agent-${id}.log`);
  const [command, ...args] = agentCommand(options.root, options.layout, options.policy, socketPath, options.services);
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(command!, args, {
      cwd: options.layout.labDir,
      env: studentEnv(options.layout, options.awsEnv, options.emulatorPort, options.policy),
      stdio: ['ignore', log, log],
    });
    child.on('error', () => undefined);
    // Whoever started it need not wait for it: it ends when its grader disconnects, or is killed.
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start the student process (${command})`);
    return { pid: child.pid, socketPath, logFile };
  } finally {
    closeSync(log);
  }
}

/** Stops a launched process that is still running (by pid: it is not necessarily our child). */
export function killAgent(launch: AgentLaunch): void {
  try {
    process.kill(launch.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Whether a process `pid` exists (EPERM: it does, as another user's). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** What the student's output gained since `mark` (a process's output log and its size then), at most `limit` bytes of its end. */
export function outputSince(mark: { logFile: string; offset: number }, limit = OUTPUT_LIMIT): string {
  let fd: number | undefined;
  try {
    fd = openSync(mark.logFile, 'r');
    const size = fstatSync(fd).size;
    const start = Math.max(mark.offset, size - limit);
    if (size <= start) return '';
    const buffer = Buffer.alloc(size - start);
    readSync(fd, buffer, 0, buffer.length, start);
    const text = buffer.toString('utf8');
    return start > mark.offset ? `[... ${start - mark.offset} bytes before left out]\n${text}` : text;
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The last bytes of the student's output. */
export function outputTail(logFile: string, limit = OUTPUT_LIMIT): string {
  let fd: number | undefined;
  try {
    fd = openSync(logFile, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, limit);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const CONNECT_LIMIT_MS = 30_000;

/** What the student's process may ask of the grader. */
export interface GraderHooks {
  /** Calls a function the grader handed over. */
  callback(fn: number, args: unknown[]): Promise<unknown>;
  /**
   * Virtual time: the student's code waits only for a timer due at `untilMs`. Answers the
   * time the grader moved to (the emulator's clock moved as far), or undefined to leave it.
   */
  wait?(untilMs: number): Promise<number | undefined>;
}

export class StudentProcess {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private stopped: Error | undefined;
  /** The lab runner's process (it copies that one's output itself). */
  private startedByRunner = false;

  private constructor(
    private readonly socket: Socket,
    private readonly launch: AgentLaunch,
    private readonly hooks: GraderHooks,
  ) {}

  /** Starts a student process and connects to it. */
  static start(options: AgentOptions & { hooks: GraderHooks }): Promise<StudentProcess> {
    return StudentProcess.connect(launchAgent(options), options.hooks);
  }

  /** Connects to a launched student process and waits until it is ready (its SDK loaded). */
  static async connect(launch: AgentLaunch, hooks: GraderHooks, startedByRunner = false): Promise<StudentProcess> {
    const deadline = Date.now() + CONNECT_LIMIT_MS;
    let socket: Socket | undefined;
    while (!socket) {
      socket = await new Promise<Socket | undefined>((resolve) => {
        const attempt = createConnection(launch.socketPath);
        attempt.once('connect', () => resolve(attempt));
        attempt.once('error', () => resolve(undefined));
      });
      if (socket) break;
      if (!isRunning(launch.pid) || Date.now() > deadline) {
        killAgent(launch);
        throw new StudentProcessStopped(`the student process could not start: ${outputTail(launch.logFile).trim() || 'no output'}`);
      }
      await sleep(10);
    }
    const student = new StudentProcess(socket, launch, hooks);
    student.startedByRunner = startedByRunner;
    const ready = new Promise<void>((resolve, reject) => {
      student.onReady = resolve;
      socket.once('close', () => reject(new StudentProcessStopped(`the student process could not start: ${outputTail(launch.logFile).trim() || 'no output'}`)));
    });
    student.listen();
    await ready;
    return student;
  }

  private onReady: (() => void) | undefined;

  get alive(): boolean {
    return this.stopped === undefined;
  }

  /** What the student's code printed last (bounded). */
  recentOutput(): string {
    return outputTail(this.launch.logFile);
  }

  load(file: string): Promise<ModuleShape> {
    return this.request({ t: 'load', id: 0, file }) as Promise<ModuleShape>;
  }

  call(file: string, name: string, args: unknown[], env: CheckEnvironment): Promise<unknown> {
    return this.request({ t: 'call', id: 0, file, name, args, env });
  }

  invoke(handle: number, args: unknown[], env: CheckEnvironment): Promise<unknown> {
    return this.request({ t: 'invoke', id: 0, handle, args, env });
  }

  send(handle: number, command: string, input: unknown): Promise<unknown> {
    return this.request({ t: 'send', id: 0, handle, command, input });
  }

  config(handle: number, key: ClientConfigKey): Promise<unknown> {
    return this.request({ t: 'config', id: 0, handle, key });
  }

  release(handles: number[]): void {
    if (handles.length > 0) this.post({ t: 'release', handles });
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Stops the process (SIGKILL: its code may be in an endless loop); calls in flight fail with `reason`. */
  kill(reason: Error): void {
    this.fail(reason);
    if (!this.socket.destroyed) killAgent(this.launch);
    this.socket.destroy();
  }

  private listen(): void {
    readMessages(this.socket, (message) => this.receive(message as FromStudent));
    this.socket.on('error', () => this.socket.destroy());
    this.socket.on('close', () => {
      const output = outputTail(this.launch.logFile);
      // Batch grading keeps the student's output in the lab's log (bounded there); the runner does it for the process it started.
      if (process.env[STUDENT_OUTPUT_ENV] === 'stderr' && output && !this.startedByRunner) process.stderr.write(output);
      this.fail(new StudentProcessStopped(exitReason(output)));
      // It ends when the grader goes; make sure of it.
      killAgent(this.launch);
    });
  }

  private receive(message: FromStudent): void {
    if (typeof message !== 'object' || message === null) return;
    if (message.t === 'ready') {
      this.onReady?.();
      this.onReady = undefined;
      return;
    }
    if (message.t === 'result') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(studentError(message.value));
      return;
    }
    if (message.t === 'callback' && Number.isInteger(message.id) && Array.isArray(message.args)) {
      this.hooks.callback(message.fn, message.args).then(
        (value) => this.post({ t: 'reply', id: message.id, ok: true, value }),
        (error: unknown) => this.post({ t: 'reply', id: message.id, ok: false, value: { [WIRE_TAG]: 'error', error: { name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) } } }),
      );
      return;
    }
    if (message.t === 'wait' && typeof message.untilMs === 'number' && this.hooks.wait) {
      this.hooks.wait(message.untilMs).then(
        (toMs) => {
          if (toMs !== undefined) this.advanceTo(toMs);
        },
        () => undefined,
      );
    }
  }

  /** Virtual time: the student's clock moves to `toMs` (timers due by then fire). */
  advanceTo(toMs: number): void {
    this.post({ t: 'advance', toMs });
  }

  /** Where the student's output is at now (its log's size), for outputSince(). */
  outputMark(): { logFile: string; offset: number } {
    return { logFile: this.launch.logFile, offset: fileSize(this.launch.logFile) };
  }

  private request(message: Extract<ToStudent, { id: number }>): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ ...message, id } as ToStudent);
    });
  }

  private post(message: ToStudent): void {
    if (this.stopped || this.socket.destroyed) return;
    sendMessage(this.socket, message);
  }

  private fail(reason: Error): void {
    this.stopped ??= reason;
    for (const pending of this.pending.values()) pending.reject(reason);
    this.pending.clear();
  }
}

function exitReason(output: string): string {
  if (/heap out of memory|Allocation failed/i.test(output)) return 'Your code ran out of memory (the grading process has a memory limit) and was stopped.';
  if (/File size limit exceeded/i.test(output)) return 'Your code wrote a file over the size limit and was stopped.';
  return 'The process running your code ended before it answered: does your code call process.exit() or kill processes?';
}

/** An error the student's process reported, as an Error the checks can read (name, message, AWS status, stack). */
export class StudentError extends Error {
  readonly $metadata?: WireError['$metadata'];
  readonly $fault?: string;
  readonly code?: string;
  constructor(wire: WireError) {
    super(String(wire.message));
    this.name = String(wire.name);
    this.stack = typeof wire.stack === 'string' ? wire.stack : `${this.name}: ${this.message}`;
    if (wire.$metadata) this.$metadata = wire.$metadata;
    if (wire.$fault) this.$fault = wire.$fault;
    if (wire.code) this.code = wire.code;
  }
}

export function studentError(value: unknown): Error {
  if (isTagged(value) && value[WIRE_TAG] === 'error') return new StudentError(value.error);
  return new StudentError({ name: 'Error', message: `the student process reported an error it did not describe` });
}
