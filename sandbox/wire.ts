/**
 * What crosses the boundary between the trusted grader and the student's process, in
 * both directions, over Node's IPC channel with `serialization: 'advanced'` (the
 * structured clone algorithm: plain objects, arrays, strings, numbers, bigints, Dates,
 * Uint8Arrays, Maps, Sets). Nothing else crosses: no prototype, no getter, no function.
 *
 * Values that cannot be cloned travel as tagged objects `{ [WIRE_TAG]: kind, ... }`:
 * - `client`: an SDK client as a description (service and constructor config), built on
 *   the receiving side (the grader hands its clients to the student's functions so);
 * - `handle`: an object that stays in the student's process (a client their code built,
 *   any class instance), known to the grader by number and queried through narrow calls;
 * - `fn`: a function that stays where it was made; calling it is a message to that side;
 * - `random`: a seeded random source (sandbox/seeded-random.ts), one state per id;
 * - `error`: an Error's name, message, stack and AWS fields;
 * - `body`: the bytes of an SDK response body (a stream in the student's process).
 */
export const WIRE_TAG = '__grading_wire__';

export type ClientService = 's3' | 'iam' | 'sts' | 'dynamodb' | 'dynamodb-document';

/** Plain, cloneable SDK client configuration (no functions, no providers). */
export interface ClientSpec {
  service: ClientService;
  config: {
    endpoint?: string;
    region?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    forcePathStyle?: boolean;
    maxAttempts?: number;
    systemClockOffset?: number;
    /** Headers added to every request (the grader's simulated source IP, for example). */
    headers?: Record<string, string>;
  };
}

export interface WireError {
  name: string;
  message: string;
  stack?: string;
  /** AWS SDK errors: `$metadata.httpStatusCode`, `$fault`, `Code`. */
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number; totalRetryDelay?: number };
  $fault?: string;
  /** The SDK's retry hint on some errors: `{ throttling: true }`. */
  $retryable?: { throttling?: boolean };
  code?: string;
}

export type Tagged =
  | { [WIRE_TAG]: 'client'; spec: ClientSpec }
  | { [WIRE_TAG]: 'handle'; id: number; kind: string; client: boolean }
  | { [WIRE_TAG]: 'fn'; id: number }
  | { [WIRE_TAG]: 'random'; id: number; seed: number }
  | { [WIRE_TAG]: 'error'; error: WireError }
  | { [WIRE_TAG]: 'body'; bytes: Uint8Array };

export function isTagged(value: unknown): value is Tagged {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, WIRE_TAG);
}

/** Queries a grader may make of a client its student built: its configuration, nothing else. */
export const CLIENT_CONFIG_KEYS = ['region', 'maxAttempts', 'credentials', 'endpoint', 'forcePathStyle'] as const;
export type ClientConfigKey = (typeof CLIENT_CONFIG_KEYS)[number];

/** The environment a check sets for the student's code (null: unset), and which check it is (set afresh for each). */
export interface CheckEnvironment {
  check: number;
  vars: Record<string, string | null>;
  /**
   * Set when the check runs the student's code on virtual time (sandbox/virtual-time.ts):
   * the grader's virtual time, in ms; the student's faked clock starts there on the
   * check's first call (later calls of the check leave the running clock alone).
   */
  virtualTimeFromMs?: number;
}

/** Grader -> student process. */
export type ToStudent =
  | { t: 'load'; id: number; file: string }
  | { t: 'call'; id: number; file: string; name: string; args: unknown[]; env: CheckEnvironment }
  | { t: 'invoke'; id: number; handle: number; args: unknown[]; env: CheckEnvironment }
  | { t: 'send'; id: number; handle: number; command: string; input: unknown }
  | { t: 'config'; id: number; handle: number; key: ClientConfigKey }
  | { t: 'release'; handles: number[] }
  | { t: 'reply'; id: number; ok: boolean; value: unknown }
  /** Virtual time: the student's clock is now `toMs` (the grader moved the emulator's clock as far). */
  | { t: 'advance'; toMs: number };

/** Student process -> grader. */
export type FromStudent =
  | { t: 'ready' }
  | { t: 'result'; id: number; ok: boolean; value: unknown }
  | { t: 'callback'; id: number; fn: number; args: unknown[] }
  /** Virtual time: the student's code waits for nothing but a timer due at `untilMs`. */
  | { t: 'wait'; untilMs: number };

/** What `load` answers: each export, and whether it is a function (called remotely) or a value. */
export interface ModuleShape {
  functions: string[];
  values: Record<string, unknown>;
}
