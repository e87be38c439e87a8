import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { isTagged, WIRE_TAG, type CheckEnvironment, type ClientConfigKey, type FromStudent, type ModuleShape, type ToStudent, type WireError } from '../sandbox/wire.ts';
import { agentCommand, studentEnv, type SandboxLayout, type SandboxPolicy } from './student-sandbox.ts';

/**
 * The trusted side of the boundary: one student process (sandbox/agent.ts), the calls in
 * flight, and the callbacks the student's code makes into the grader. Messages from the
 * student's process are its answers, never instructions: an answer to a call nobody made
 * is dropped, and only functions the grader handed over can be called back.
 */
export class StudentProcessStopped extends Error {
  override name = 'StudentProcessStopped';
}

export interface StudentProcessOptions {
  root: string;
  layout: SandboxLayout;
  policy: SandboxPolicy;
  /** AWS_* variables of the lab (endpoint, keys, region). */
  awsEnv: Record<string, string>;
  emulatorPort: number;
  /** Called for every callback the student's code makes: the grader's function `fn` with decoded args. */
  onCallback: (fn: number, args: unknown[]) => Promise<unknown>;
}

/** `stderr`: the student process's output is copied to this process's stderr (batch grading's lab log). */
export const STUDENT_OUTPUT_ENV = 'LAB_STUDENT_OUTPUT';

/** The last bytes the student's process printed: kept for messages about why it died. */
const OUTPUT_LIMIT = 64 * 1024;

export class StudentProcess {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private stopped: Error | undefined;
  private output = '';
  private bridge: Server | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: StudentProcessOptions,
  ) {}

  static async start(options: StudentProcessOptions): Promise<StudentProcess> {
    const bridge = options.policy.isolateNetwork ? await startBridge(options.layout.bridgeSocket, options.emulatorPort) : undefined;
    const [command, ...args] = agentCommand(options.root, options.layout, options.policy);
    const child = spawn(command!, args, {
      cwd: options.layout.labDir,
      env: studentEnv(options.layout, options.awsEnv, options.emulatorPort, options.policy),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const process_ = new StudentProcess(child, options);
    process_.bridge = bridge;
    const ready = new Promise<void>((resolve, reject) => {
      child.once('message', (message: FromStudent) => (message?.t === 'ready' ? resolve() : reject(new Error('the student process did not start'))));
      child.once('exit', () => reject(new StudentProcessStopped(`the student process could not start: ${process_.output.trim() || 'no output'}`)));
      child.once('error', reject);
    });
    process_.listen();
    await ready;
    return process_;
  }

  get alive(): boolean {
    return this.stopped === undefined;
  }

  /** What the student's code printed last (bounded). */
  recentOutput(): string {
    return this.output;
  }

  /** Loads the SDK clients of these services (lab.json's `services`) in the student's process. */
  warm(services: string[]): Promise<unknown> {
    return this.request({ t: 'warm', id: 0, services });
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

  setClock(id: number, offsetMs: number): void {
    this.post({ t: 'clock', id, offsetMs });
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Stops the process (SIGKILL: its code may be in an endless loop); calls in flight fail with `reason`. */
  kill(reason: Error): void {
    this.fail(reason);
    this.child.kill('SIGKILL');
  }

  private listen(): void {
    const forward = process.env[STUDENT_OUTPUT_ENV] === 'stderr';
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
      // Batch grading keeps the student's output in the lab's log (bounded there).
      if (forward) process.stderr.write(chunk);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.on('message', (message: FromStudent) => this.receive(message));
    this.child.on('exit', (code, signal) => {
      this.bridge?.close();
      this.fail(new StudentProcessStopped(exitReason(code, signal, this.output)));
    });
  }

  private receive(message: FromStudent): void {
    if (typeof message !== 'object' || message === null) return;
    if (message.t === 'result') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(studentError(message.value));
      return;
    }
    if (message.t === 'callback' && Number.isInteger(message.id) && Array.isArray(message.args)) {
      this.options.onCallback(message.fn, message.args).then(
        (value) => this.post({ t: 'reply', id: message.id, ok: true, value }),
        (error: unknown) => this.post({ t: 'reply', id: message.id, ok: false, value: { [WIRE_TAG]: 'error', error: { name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) } } }),
      );
    }
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
    if (this.stopped || !this.child.connected) return;
    this.child.send(message, (error) => {
      if (error) this.fail(new StudentProcessStopped(`the student process stopped answering: ${error.message}`));
    });
  }

  private fail(reason: Error): void {
    this.stopped ??= reason;
    for (const pending of this.pending.values()) pending.reject(reason);
    this.pending.clear();
  }
}

function exitReason(code: number | null, signal: NodeJS.Signals | null, output: string): string {
  if (/heap out of memory|Allocation failed/i.test(output)) return 'Your code ran out of memory (the grading process has a memory limit) and was stopped.';
  if (signal) return `The process running your code was stopped (${signal}).`;
  return `The process running your code exited (exit code ${code}): does your code call process.exit()?`;
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

/** The grader's end of the Unix socket the isolated student process uses to reach the emulator (AWS port only). */
function startBridge(socketPath: string, port: number): Promise<Server> {
  rmSync(socketPath, { force: true });
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port });
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      // The student's user connects to it; the folder around it (0711) lets it in, nothing more.
      chmodSync(socketPath, 0o777);
      resolve(server);
    });
  });
}
