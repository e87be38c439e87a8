import { PassThrough } from 'node:stream';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, readMessages, sendMessage } from './channel.ts';

/** A stream standing in for a socket: what is written is what is read. */
function loop(): Socket {
  return new PassThrough() as unknown as Socket;
}

describe('channel', () => {
  it('delivers whole messages, whatever chunks they arrive in', () => {
    const written = loop();
    const frames: Buffer[] = [];
    written.on('data', (chunk: Buffer) => frames.push(chunk));
    const messages = [{ t: 'call', id: 1, args: [new Date(0), new Uint8Array([1, 2]), new Map([['a', 1]])] }, { t: 'result', id: 1, ok: true, value: 'x'.repeat(100_000) }];
    for (const message of messages) sendMessage(written, message);
    const bytes = Buffer.concat(frames);
    const received: unknown[] = [];
    const reading = loop();
    readMessages(reading, (message) => received.push(message));
    for (let at = 0; at < bytes.length; at += 7_777) reading.emit('data', bytes.subarray(at, at + 7_777));
    expect(received).toEqual(messages);
  });

  it('closes the connection on a message over the limit or one that is not a message', async () => {
    const tooLarge = loop();
    readMessages(tooLarge, () => undefined);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(MAX_MESSAGE_BYTES + 1);
    let closed: Error | undefined;
    (tooLarge as unknown as PassThrough).on('error', (error) => (closed = error));
    tooLarge.emit('data', head);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed?.message).toMatch(/over the .*-byte limit/);

    const garbage = loop();
    let received = false;
    readMessages(garbage, () => (received = true));
    let failed = false;
    (garbage as unknown as PassThrough).on('error', () => (failed = true));
    const body = Buffer.from('not a v8 serialisation');
    const frame = Buffer.alloc(4);
    frame.writeUInt32BE(body.length);
    garbage.emit('data', Buffer.concat([frame, body]));
    await new Promise((resolve) => setImmediate(resolve));
    expect([received, failed]).toEqual([false, true]);
  });
});
