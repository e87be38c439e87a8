import type { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';

/**
 * Messages between the grader and the student process over a Unix socket: each one a
 * 4-byte length and the structured-clone serialisation Node's own IPC uses (plain data,
 * Dates, Uint8Arrays, Maps, Sets; no functions, no prototypes). A socket rather than the
 * IPC of a forked child, so the lab runner can start the student process while vitest
 * starts, and the checks' process connects to it when it is ready.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export function sendMessage(socket: Socket, message: unknown): void {
  const body = serialize(message);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  socket.write(Buffer.concat([head, body]));
}

/** Calls `onMessage` for each whole message; a message that is too large or not a message closes the socket. */
export function readMessages(socket: Socket, onMessage: (message: unknown) => void): void {
  let chunks: Buffer[] = [];
  let buffered = 0;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    while (buffered >= 4) {
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      chunks = [all];
      const length = all.readUInt32BE(0);
      if (length > MAX_MESSAGE_BYTES) {
        socket.destroy(new Error(`a message of ${length} bytes is over the ${MAX_MESSAGE_BYTES}-byte limit`));
        return;
      }
      if (buffered < 4 + length) return;
      let message: unknown;
      try {
        message = deserialize(all.subarray(4, 4 + length));
      } catch (error) {
        socket.destroy(error as Error);
        return;
      }
      chunks = [all.subarray(4 + length)];
      buffered -= 4 + length;
      onMessage(message);
    }
  });
}
