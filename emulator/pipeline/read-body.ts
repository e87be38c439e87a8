import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../core/service-error.ts';
import { DEFAULT_BODY_PROGRESS, requestTimeout, watchBodyProgress, type BodyProgressLimits } from './body-progress.ts';

export interface ReadBodyOptions {
  /** The error for a body over the limit (S3 says EntityTooLarge for an object, MaxMessageLengthExceeded for an XML document). */
  tooLarge?: () => ServiceError;
  /** How fast the body must keep arriving (body-progress.ts). */
  progress?: BodyProgressLimits;
}

/**
 * Reads the whole body, bounded in size and in progress, so an oversize, stalled or
 * truncated body becomes an AWS-shaped error instead of memory growth or a hang.
 * A Content-Length over the limit is refused before a byte is buffered; a body that
 * stops arriving is answered with RequestTimeout (body-progress.ts); one the client
 * abandoned with IncompleteBody.
 */
export function readBody(req: IncomingMessage, maxBytes: number, options: ReadBodyOptions = {}): Promise<Buffer> {
  const tooLarge = options.tooLarge ?? (() => entityTooLarge(maxBytes));
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  if (abandoned(req)) return Promise.reject(incompleteBody());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error?: ServiceError) => {
      if (settled) return;
      settled = true;
      progress.stop();
      req.off('data', onData);
      if (error) {
        req.resume();
        reject(error);
      } else resolve(Buffer.concat(chunks, received));
    };
    const progress = watchBodyProgress(options.progress ?? DEFAULT_BODY_PROGRESS, () => finish(requestTimeout()));
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      progress.received(chunk.length);
      if (received > maxBytes) return finish(tooLarge());
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish());
    req.once('aborted', () => finish(incompleteBody()));
    req.once('error', () => finish(incompleteBody()));
  });
}

export function entityTooLarge(maxBytes: number): ServiceError {
  return new ServiceError(
    'EntityTooLarge',
    `Your proposed upload exceeds the maximum allowed size of ${maxBytes} bytes for a single request to the emulator; use multipart upload for large objects.`,
    400,
    { MaxSizeAllowed: String(maxBytes) },
  );
}

function incompleteBody(): ServiceError {
  return new ServiceError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.', 400);
}

/** The client closed the connection before the body ended: no more bytes, and no 'aborted' event to wait for. */
function abandoned(req: IncomingMessage): boolean {
  return !req.complete && (req.destroyed || req.socket.destroyed);
}

/**
 * Reads and drops what is left of a request body that was refused before it was read
 * (bad signature, over a limit), so the client, still sending, gets the error response
 * instead of a connection closed under its feet (EPIPE), as a server that answers
 * before the body would otherwise cause. Nothing is kept; at most `maxBytes` more are
 * read, held to the same progress rule as readBody. Resolves true when the body ended.
 */
export function discardBody(req: IncomingMessage, maxBytes: number, limits: BodyProgressLimits = DEFAULT_BODY_PROGRESS): Promise<boolean> {
  if (req.complete || req.readableEnded) return Promise.resolve(true);
  if (abandoned(req)) return Promise.resolve(false);
  return new Promise((resolve) => {
    let dropped = 0;
    let settled = false;
    const finish = (ended: boolean) => {
      if (settled) return;
      settled = true;
      progress.stop();
      req.off('data', onData);
      resolve(ended);
    };
    const progress = watchBodyProgress(limits, () => finish(false));
    const onData = (chunk: Buffer) => {
      dropped += chunk.length;
      progress.received(chunk.length);
      if (dropped > maxBytes) finish(false);
    };
    req.on('data', onData);
    req.once('end', () => finish(true));
    req.once('aborted', () => finish(false));
    req.once('error', () => finish(false));
    req.resume();
  });
}
