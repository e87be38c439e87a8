import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_BODY_PROGRESS, type BodyProgressLimits } from './pipeline/body-progress.ts';

/**
 * Explicit limits, so one slow or stuck client cannot hold a connection (and its memory)
 * for minutes, while a client that is still sending is never cut. Node's defaults are 60 s
 * for headers and 300 s for a whole request, checked every 30 s.
 */
export interface ServerLimits {
  /** A client has this long to send its request line and headers (AWS SDKs send them at once). */
  headersTimeoutMs: number;
  /**
   * An idle connection between requests closes after this. Node announces it in
   * `Keep-Alive: timeout=` and closes 1 s later (Node 20), so that a client that honours
   * the hint drops the connection first; the SDK's agent opens a new one when it needs it.
   */
  keepAliveTimeoutMs: number;
  /** A socket on which nothing moves in either direction for this long is closed (a client that stopped reading a download). */
  socketIdleTimeoutMs: number;
  /**
   * A backstop on a whole request, headers and body, for a body no handler reads (the
   * bodies the pipeline reads are held to `body`, which cuts a trickle much sooner).
   * Set far above any honest upload: the largest body the emulator takes (64 MiB by
   * default) at 73 KiB/s, a rate any loopback client exceeds by far, even on a loaded
   * machine. A client still sending at a steady rate is not cut by anything else.
   */
  requestTimeoutMs: number;
  /** How fast a request body must keep arriving (pipeline/body-progress.ts). */
  body: BodyProgressLimits;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  socketIdleTimeoutMs: 60_000,
  requestTimeoutMs: 15 * 60_000,
  body: DEFAULT_BODY_PROGRESS,
};

export type ServerLimitOverrides = Partial<Omit<ServerLimits, 'body'>> & { body?: Partial<BodyProgressLimits> };

/** The defaults with the overrides (tests shorten them to run in seconds), each checked. */
export function serverLimits(overrides: ServerLimitOverrides = {}): ServerLimits {
  const limits: ServerLimits = {
    ...DEFAULT_SERVER_LIMITS,
    ...withoutUndefined(overrides),
    body: { ...DEFAULT_SERVER_LIMITS.body, ...withoutUndefined(overrides.body ?? {}) },
  };
  const counts: Array<[string, number]> = [
    ['headersTimeoutMs', limits.headersTimeoutMs],
    ['keepAliveTimeoutMs', limits.keepAliveTimeoutMs],
    ['socketIdleTimeoutMs', limits.socketIdleTimeoutMs],
    ['requestTimeoutMs', limits.requestTimeoutMs],
    ['body.windowMs', limits.body.windowMs],
    ['body.minBytes', limits.body.minBytes],
  ];
  for (const [name, value] of counts) {
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`server limit ${name} must be a positive whole number, not ${value}`);
  }
  // Node refuses a headers timeout longer than the request timeout.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) throw new Error('server limit headersTimeoutMs must not exceed requestTimeoutMs');
  return limits;
}

/** Node's own checks: headers, whole request, keep-alive; checked often enough for the shortest of them. */
export function nodeServerOptions(limits: ServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/**
 * Closes a socket that Node found idle (the keep-alive timeout between requests, the idle
 * timeout during one) only if it is still idle once the event loop has read its sockets.
 *
 * Node runs due timers before it reads the sockets: after a stall (the emulator's process
 * starved of CPU on a loaded machine), every idle timer is due at once while the requests
 * that clients sent meanwhile are still unread, and Node's default (destroy at once) resets
 * connections that were in use: the soak's ECONNRESET and EPIPE, the latter on a large
 * upload still being written. With a listener for the server's 'timeout' event Node leaves
 * the decision to us; setImmediate runs after the poll phase, and a socket that read or
 * wrote a byte by then is in use (that activity re-armed its timer).
 */
export function closeIdleSocketsAfterPoll(server: Server): void {
  server.on('timeout', (socket: Socket) => {
    const moved = socket.bytesRead + socket.bytesWritten;
    setImmediate(() => {
      if (socket.destroyed || socket.bytesRead + socket.bytesWritten !== moved) return;
      socket.destroy();
    });
  });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
