/**
 * The student-side agent: the one process that runs a student's code while it is
 * graded. Started by the grader (grader/student-process.ts), bundled into the grading
 * work folder, sandboxed there (permission model, and in batch grading its own user,
 * network namespace and limits). It loads the student's compiled lab modules, calls their
 * exported functions when the grader asks, and answers in plain data (sandbox/wire.ts).
 *
 * Nothing here is trusted by the grader: student code runs in this process and can
 * change anything in it, this file included. The grader treats every message from here
 * as what it is, the student's answer, and scores only what it observes itself.
 *
 *   node agent.mjs <compiled lab folder> <socket path> [service,...]
 *
 * It listens on the socket for the grader (one check file), loads the SDK clients of the
 * services named meanwhile, and runs until the grader stops it.
 */
import { createServer, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { join, normalize, sep } from 'node:path';
import { readMessages, sendMessage } from './channel.ts';
import { startLoopbackBridge } from './loopback-bridge.ts';
import { seededRandom } from './seeded-random.ts';
import { VirtualTime } from './virtual-time.ts';
import { CLIENT_CONFIG_KEYS, isTagged, WIRE_TAG, type CheckEnvironment, type ClientSpec, type FromStudent, type ModuleShape, type Tagged, type ToStudent, type WireError } from './wire.ts';

const [compiledDir, socketPath, services = ''] = process.argv.slice(2);
if (!compiledDir || !socketPath) {
  process.stderr.write('usage: node agent.mjs <compiled lab folder> <socket path> [service,...] (started by the grader)\n');
  process.exit(2);
}
let grader: Socket | undefined;
const send = (message: FromStudent) => {
  if (grader && !grader.destroyed) sendMessage(grader, message);
};

// --- objects that stay here: handles by number ------------------------------------------

const handles = new Map<number, unknown>();
let nextHandle = 1;
function keep(value: unknown): number {
  const id = nextHandle++;
  handles.set(id, value);
  return id;
}

// --- the grader's seeded random sources --------------------------------------------------

/** The grader's seeded random sources, by id: one sequence each, however often it is handed over. */
const randoms = new Map<number, () => number>();

// --- callbacks into the grader ---------------------------------------------------------

const pendingCallbacks = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
let nextCallback = 1;

function graderFunction(fn: number): (...args: unknown[]) => Promise<unknown> {
  return (...args) =>
    new Promise((resolve, reject) => {
      const id = nextCallback++;
      pendingCallbacks.set(id, { resolve, reject });
      send({ t: 'callback', id, fn, args: args.map((arg) => encode(arg)) });
    });
}

// --- values out (student -> grader) -----------------------------------------------------

const MAX_DEPTH = 64;

function isSdkClient(value: object): value is { config: Record<string, unknown>; send: (command: unknown) => Promise<unknown>; destroy?: () => void } {
  return 'send' in value && typeof (value as { send: unknown }).send === 'function' && typeof (value as { config?: unknown }).config === 'object';
}

function errorOf(value: unknown): WireError {
  if (!(value instanceof Error)) return { name: 'NonErrorThrown', message: `a non-Error value was thrown: ${String(value)}` };
  const aws = value as Error & { $metadata?: WireError['$metadata']; $fault?: string; $retryable?: { throttling?: unknown }; code?: unknown };
  const metadata = aws.$metadata;
  return {
    name: String(value.name),
    message: String(value.message),
    stack: typeof value.stack === 'string' ? value.stack : undefined,
    $metadata: metadata ? { httpStatusCode: metadata.httpStatusCode, requestId: metadata.requestId, attempts: metadata.attempts, totalRetryDelay: metadata.totalRetryDelay } : undefined,
    $retryable: aws.$retryable ? { throttling: aws.$retryable.throttling === true } : undefined,
    $fault: typeof aws.$fault === 'string' ? aws.$fault : undefined,
    code: typeof aws.code === 'string' ? aws.code : undefined,
  };
}

function encode(value: unknown, seen: Set<object> = new Set(), depth = 0): unknown {
  if (typeof value === 'function') return { [WIRE_TAG]: 'handle', id: keep(value), kind: 'function', client: false } satisfies Tagged;
  if (typeof value !== 'object' || value === null) return typeof value === 'symbol' ? String(value) : value;
  if (depth > MAX_DEPTH) return '[nested too deep]';
  if (seen.has(value)) return '[circular]';
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (value instanceof Error) return { [WIRE_TAG]: 'error', error: errorOf(value) } satisfies Tagged;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => encode(item, seen, depth + 1));
    if (value instanceof Map) return new Map([...value].map(([k, v]) => [encode(k, seen, depth + 1), encode(v, seen, depth + 1)]));
    if (value instanceof Set) return new Set([...value].map((v) => encode(v, seen, depth + 1)));
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) if (key !== WIRE_TAG) out[key] = encode((value as Record<string, unknown>)[key], seen, depth + 1);
      return out;
    }
    const kind = typeof proto?.constructor?.name === 'string' ? proto.constructor.name : 'object';
    return { [WIRE_TAG]: 'handle', id: keep(value), kind, client: isSdkClient(value) } satisfies Tagged;
  } finally {
    seen.delete(value);
  }
}

// --- values in (grader -> student): clients are built here, from their description ------

async function buildClient(spec: ClientSpec): Promise<unknown> {
  const { headers, ...config } = spec.config;
  // Each client's middleware stack takes the same middleware; its type is per client.
  let client: { middlewareStack: { add: (...args: never[]) => void } };
  switch (spec.service) {
    case 's3':
      client = new (await import('@aws-sdk/client-s3')).S3Client(config);
      break;
    case 'iam':
      client = new (await import('@aws-sdk/client-iam')).IAMClient(config);
      break;
    case 'sts':
      client = new (await import('@aws-sdk/client-sts')).STSClient(config);
      break;
    case 'dynamodb':
    case 'dynamodb-document':
      client = new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient(config);
      break;
  }
  if (headers && Object.keys(headers).length > 0) {
    type Next = (args: { request: { headers: Record<string, string> } }) => unknown;
    const addHeaders = (next: Next) => (args: { request: { headers: Record<string, string> } }) => {
      Object.assign(args.request.headers, headers);
      return next(args);
    };
    (client.middlewareStack.add as (middleware: typeof addHeaders, options: object) => void)(addHeaders, { step: 'build', name: 'graderHeaders' });
  }
  if (spec.service === 'dynamodb-document') {
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    return DynamoDBDocumentClient.from(client as never);
  }
  return client;
}

async function decode(value: unknown): Promise<unknown> {
  if (typeof value !== 'object' || value === null || value instanceof Date || value instanceof Uint8Array) return value;
  if (isTagged(value)) {
    switch (value[WIRE_TAG]) {
      case 'client':
        return buildClient(value.spec);
      case 'handle':
        if (!handles.has(value.id)) throw new Error(`grading: object #${value.id} is no longer available`);
        return handles.get(value.id);
      case 'fn':
        return graderFunction(value.id);
      case 'random': {
        let random = randoms.get(value.id);
        if (!random) {
          random = seededRandom(value.seed);
          randoms.set(value.id, random);
        }
        return random;
      }
      case 'error':
        return Object.assign(new Error(value.error.message), value.error);
      case 'body':
        return value.bytes;
    }
  }
  if (Array.isArray(value)) return Promise.all(value.map(decode));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = await decode(item);
  return out;
}

// --- modules ------------------------------------------------------------------------

/** `dir/name.ts` -> the compiled `dir/name.mjs`, refusing anything outside the lab folder. */
function compiledUrl(file: string): string {
  const relative = normalize(file);
  if (relative.startsWith('..') || relative.startsWith(sep) || !relative.endsWith('.ts')) throw new Error(`grading: ${file} is not a file of the lab folder`);
  return pathToFileURL(join(compiledDir!, relative.replace(/\.ts$/, '.mjs'))).href;
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

/** Node caches modules too, but resolving the URL again on every call costs more than the call (lab 06 makes thousands). */
function loadModule(file: string): Promise<Record<string, unknown>> {
  let module = modules.get(file);
  if (!module) {
    module = import(compiledUrl(file)) as Promise<Record<string, unknown>>;
    modules.set(file, module);
  }
  return module;
}

function shapeOf(module: Record<string, unknown>): ModuleShape {
  const shape: ModuleShape = { functions: [], values: {} };
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'function') shape.functions.push(name);
    else shape.values[name] = encode(value);
  }
  return shape;
}

// --- virtual time (a check's option): the grader moves the clock when the code only waits --

/** Grader calls being answered now. */
let callsInFlight = 0;
const virtualTime = new VirtualTime(
  (untilMs) => send({ t: 'wait', untilMs }),
  () => callsInFlight > 0 && pendingCallbacks.size === 0,
);
/** The check whose clock setting is in force. */
let timeOfCheck: number | undefined;

function useTime({ check, virtualTimeFromMs }: CheckEnvironment): void {
  if (check === timeOfCheck) return;
  timeOfCheck = check;
  if (typeof virtualTimeFromMs === 'number' && Number.isFinite(virtualTimeFromMs)) virtualTime.start(virtualTimeFromMs);
  else virtualTime.stop();
}

// --- the environment of a check (AWS_REGION, keys, ...) on top of the one we started with --

const baseline = { ...process.env };
let environmentInUse: string | undefined;

/** Each check starts from the process's first environment plus its own variables; within a check, the student's changes stay. */
function useEnvironment(environment: CheckEnvironment): void {
  useTime(environment);
  const { check, vars } = environment;
  const key = `${check}:${JSON.stringify(vars)}`;
  if (key === environmentInUse) return;
  environmentInUse = key;
  for (const name of Object.keys(process.env)) if (!(name in baseline)) delete process.env[name];
  Object.assign(process.env, baseline);
  for (const [name, value] of Object.entries(vars)) {
    if (value === null) delete process.env[name];
    else process.env[name] = value;
  }
}

// --- requests ---------------------------------------------------------------------------

type Client = { config: Record<string, unknown>; send: (command: unknown) => Promise<unknown> };

const CLIENT_PACKAGES: Record<string, () => Promise<Record<string, unknown>>> = {
  S3Client: () => import('@aws-sdk/client-s3'),
  IAMClient: () => import('@aws-sdk/client-iam'),
  STSClient: () => import('@aws-sdk/client-sts'),
  DynamoDBClient: () => import('@aws-sdk/client-dynamodb'),
  DynamoDBDocumentClient: () => import('@aws-sdk/lib-dynamodb'),
};

/** The client class of each service lab.json may name. */
const SERVICE_CLIENTS: Record<string, string> = { s3: 'S3Client', iam: 'IAMClient', sts: 'STSClient', dynamodb: 'DynamoDBClient' };

/**
 * Loads a service's client and resolves what its first request would (region, the
 * credential chain, which imports its providers lazily), without sending anything.
 */
async function warmService(service: string): Promise<void> {
  const name = SERVICE_CLIENTS[service];
  if (!name) return;
  if (service === 'dynamodb') await CLIENT_PACKAGES.DynamoDBDocumentClient!();
  const Client = (await CLIENT_PACKAGES[name]!())[name] as new (config: object) => { config: { region(): Promise<unknown>; credentials(): Promise<unknown> }; destroy(): void };
  const client = new Client({});
  await Promise.all([client.config.region(), client.config.credentials()]).catch(() => undefined);
  client.destroy();
}

function clientHandle(id: number): Client {
  const value = handles.get(id);
  if (typeof value !== 'object' || value === null || !isSdkClient(value)) throw new Error(`grading: object #${id} is not an SDK client`);
  return value as Client;
}

/** Sends a command through a client the student built; a streamed Body comes back as bytes. */
async function sendCommand(id: number, command: string, input: unknown): Promise<unknown> {
  const client = clientHandle(id);
  const load = CLIENT_PACKAGES[Object.getPrototypeOf(client)?.constructor?.name as string];
  if (!load || !/^[A-Z][A-Za-z0-9]*Command$/.test(command)) throw new Error(`grading: cannot send ${command} with this client`);
  const Command = (await load())[command];
  if (typeof Command !== 'function') throw new Error(`grading: ${command} is not a command of this client`);
  const output = (await client.send(new (Command as new (input: unknown) => unknown)(await decode(input)))) as Record<string, unknown>;
  const body = output.Body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
  if (body && typeof body.transformToByteArray === 'function') {
    return { ...(encode({ ...output, Body: undefined }) as object), Body: { [WIRE_TAG]: 'body', bytes: await body.transformToByteArray() } };
  }
  return encode(output);
}

async function clientConfig(id: number, key: string): Promise<unknown> {
  if (!(CLIENT_CONFIG_KEYS as readonly string[]).includes(key)) throw new Error(`grading: config.${key} cannot be read`);
  const setting = clientHandle(id).config[key];
  const value = typeof setting === 'function' ? await (setting as () => unknown)() : setting;
  if (key === 'endpoint' && value && typeof value === 'object') {
    const { protocol, hostname, port, path } = value as { protocol: string; hostname: string; port?: number; path: string };
    return `${protocol}//${hostname}${port ? `:${port}` : ''}${path}`;
  }
  return encode(value);
}

async function handle(message: ToStudent): Promise<unknown> {
  switch (message.t) {
    case 'load':
      return shapeOf(await loadModule(message.file));
    case 'call': {
      useEnvironment(message.env);
      const fn = (await loadModule(message.file))[message.name];
      if (typeof fn !== 'function') throw new Error(`${message.file} has no exported function ${message.name}`);
      const args = await Promise.all(message.args.map(decode));
      return encode(await fn(...args));
    }
    case 'invoke': {
      useEnvironment(message.env);
      const fn = handles.get(message.handle);
      if (typeof fn !== 'function') throw new Error(`grading: object #${message.handle} is not a function`);
      const args = await Promise.all(message.args.map(decode));
      return encode(await fn(...args));
    }
    case 'send':
      return sendCommand(message.handle, message.command, message.input);
    case 'config':
      return clientConfig(message.handle, message.key);
    default:
      return undefined;
  }
}

function receive(message: ToStudent): void {
  switch (message.t) {
    case 'reply': {
      const pending = pendingCallbacks.get(message.id);
      pendingCallbacks.delete(message.id);
      if (!pending) return;
      void decode(message.value).then(message.ok ? pending.resolve : pending.reject, pending.reject);
      return;
    }
    case 'release':
      for (const id of message.handles) handles.delete(id);
      return;
    case 'advance':
      virtualTime.advanceTo(message.toMs);
      return;
    default:
      callsInFlight++;
      handle(message)
        .finally(() => callsInFlight--)
        .then(
        (value) => send({ t: 'result', id: message.id, ok: true, value }),
        (error: unknown) => send({ t: 'result', id: message.id, ok: false, value: { [WIRE_TAG]: 'error', error: errorOf(error) } }),
      );
  }
}

// A stray rejection or exception in the student's code must not end the process: the
// check that caused it fails on its own terms (or the grader's time limit).
process.on('unhandledRejection', (reason) => process.stderr.write(`Unhandled rejection in your code: ${String(reason instanceof Error ? reason.stack : reason)}\n`));
process.on('uncaughtException', (error) => process.stderr.write(`Uncaught exception in your code: ${error.stack ?? String(error)}\n`));

await startLoopbackBridge(process.env);
// Warm while the grader is still on its way; say ready once both are there.
const warmed = Promise.all(services.split(',').filter(Boolean).map((service) => warmService(service).catch(() => undefined)));
// Nobody to answer for a while (the grader stopped without stopping this process): end.
const IDLE_EXIT_MS = 60_000;
// The real timers (taken now, before any check fakes them).
const { setTimeout: realSetTimeout, clearTimeout: realClearTimeout } = globalThis;
let idle = realSetTimeout(() => process.exit(0), IDLE_EXIT_MS);

const server = createServer((socket) => {
  // One grader at a time: a check file, then maybe the next one of the same lab.
  if (grader && !grader.destroyed) {
    socket.destroy();
    return;
  }
  realClearTimeout(idle);
  grader = socket;
  readMessages(socket, (message) => receive(message as ToStudent));
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    // The next grader starts from real time.
    virtualTime.stop();
    timeOfCheck = undefined;
    idle = realSetTimeout(() => process.exit(0), IDLE_EXIT_MS);
  });
  void warmed.then(() => send({ t: 'ready' }));
});
server.listen(socketPath);
