import type { Store } from '../../core/store.ts';

/**
 * Writes to one object key, one at a time. A conditional write (If-None-Match: *,
 * If-Match) checks the current object and then awaits (a large body is written to a
 * file, multipart parts are joined) before it stores: without this, sixteen
 * concurrent `If-None-Match: *` PUTs would all see "absent" and all succeed, where S3
 * lets exactly one win and answers the others 412 PreconditionFailed
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 * Writes to different keys still run side by side.
 */
const chains = new WeakMap<Store, Map<string, Promise<unknown>>>();

export async function withKeyLock<T>(store: Store, bucket: string, key: string, write: () => Promise<T>): Promise<T> {
  let locks = chains.get(store);
  if (!locks) chains.set(store, (locks = new Map()));
  const name = `${bucket}/${key}`;
  const before = locks.get(name) ?? Promise.resolve();
  const mine = before.then(write, write);
  // The chain goes on whether this write succeeds or fails; the map forgets a key when its last write is done.
  const tail = mine.then(
    () => undefined,
    () => undefined,
  );
  locks.set(name, tail);
  try {
    return await mine;
  } finally {
    if (locks.get(name) === tail) locks.delete(name);
  }
}
