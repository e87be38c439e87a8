import { ServiceError } from '../core/service-error.ts';

/**
 * How fast a request body must keep arriving: at least `minBytes` in every `windowMs`,
 * until it ends. A body that stops, or trickles (a byte every few seconds), is answered
 * with S3's 400 RequestTimeout at most two windows after it fell behind; a slow but steady upload
 * is never cut, however long it takes. S3 does the same: it answers RequestTimeout to a
 * connection that was "not read from or written to within the timeout period" (S3 API
 * Reference, Error responses), not to an upload that is still sending; it does not
 * document the period.
 */
export interface BodyProgressLimits {
  windowMs: number;
  minBytes: number;
}

/**
 * Windows of 20 s with a floor of 16 KiB each (0.8 KiB/s): S3 does not document its
 * period, and these are bounds that any client still sending passes many times over, even
 * on a machine loaded enough to slow every process tenfold, while a stuck or trickling
 * client is answered within 40 s instead of holding its connection for minutes.
 */
export const DEFAULT_BODY_PROGRESS: BodyProgressLimits = { windowMs: 20_000, minBytes: 16 * 1024 };

export function requestTimeout(): ServiceError {
  return new ServiceError('RequestTimeout', 'Your socket connection to the server was not read from or written to within the timeout period.', 400);
}

export interface BodyProgressWatch {
  /** Count bytes that arrived. */
  received(bytes: number): void;
  /** The body ended (or was refused): no more verdicts. */
  stop(): void;
}

/**
 * Watches a body's progress window by window and calls `tooSlow` once when a window
 * ends with fewer than `minBytes` received.
 *
 * The verdict waits for the event loop's poll phase. Node runs due timers before it reads
 * the sockets, so after a stall (a process starved of CPU on a loaded machine, a long
 * synchronous task) every window timer is due at once, while the bytes the client sent
 * meanwhile are still unread in the socket: judged at once, a client that never stopped
 * sending looks silent (the soak's IncompleteBody on a 1.5 MiB upload). setImmediate runs
 * after the poll phase, when those bytes have been counted.
 */
export function watchBodyProgress(limits: BodyProgressLimits, tooSlow: () => void): BodyProgressWatch {
  let inWindow = 0;
  let stopped = false;
  const timer = setTimeout(() => setImmediate(judge), limits.windowMs);
  const judge = () => {
    if (stopped) return;
    if (inWindow < limits.minBytes) {
      stopped = true;
      tooSlow();
      return;
    }
    inWindow = 0;
    timer.refresh();
  };
  return {
    received: (bytes) => {
      inWindow += bytes;
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
