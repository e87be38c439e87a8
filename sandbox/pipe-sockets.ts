import type { Socket } from 'node:net';

/** Joins two connections both ways; when either fails or ends, both close. */
export function pipeSockets(a: Socket, b: Socket): void {
  a.pipe(b).pipe(a);
  const close = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', close);
  b.on('error', close);
}
