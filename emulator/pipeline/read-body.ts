import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../core/service-error.ts';

/** A client that promised more bytes than it sends is answered after this much silence. */
const BODY_IDLE_TIMEOUT_MS = 5_000;

/**
 * Reads the whole body, bounded in size and in idle time, so an oversize or
 * truncated body becomes an AWS-shaped error instead of memory growth or a hang.
 * A Content-Length over the limit is refused before a byte is buffered; `tooLarge`
 * names the error (S3 says EntityTooLarge for an object, MaxMessageLengthExceeded for
 * an XML document).
 */
export function readBody(req: IncomingMessage, maxBytes: number, tooLarge: () => ServiceError = () => entityTooLarge(maxBytes)): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error?: ServiceError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.removeAllListeners('data');
      if (error) {
        req.resume();
        reject(error);
      } else resolve(Buffer.concat(chunks, received));
    };
    let timer = setTimeout(() => finish(incompleteBody()), BODY_IDLE_TIMEOUT_MS);
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) return finish(tooLarge());
      chunks.push(chunk);
      timer.refresh();
    });
    req.on('end', () => finish());
    req.on('aborted', () => finish(incompleteBody()));
    req.on('error', () => finish(incompleteBody()));
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

/**
 * Reads and drops what is left of a request body that was refused before it was read
 * (bad signature, over a limit), so the client, still sending, gets the error response
 * instead of a connection closed under its feet (EPIPE), as a server that answers
 * before the body would otherwise cause. Nothing is kept; at most `maxBytes` more are
 * read, each within the idle timeout. Resolves true when the body ended.
 */
export function discardBody(req: IncomingMessage, maxBytes: number): Promise<boolean> {
  if (req.complete || req.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    let dropped = 0;
    let settled = false;
    const finish = (ended: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      resolve(ended);
    };
    const timer = setTimeout(() => finish(false), BODY_IDLE_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > maxBytes) finish(false);
      else timer.refresh();
    };
    req.on('data', onData);
    req.once('end', () => finish(true));
    req.once('aborted', () => finish(false));
    req.once('error', () => finish(false));
    req.resume();
  });
}
