import { createReadStream, createWriteStream, mkdtempSync, openSync, rmSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Store } from '../../core/store.ts';
import type { ObjectBody } from './s3-state.ts';

/** Bodies above this size live in files, so a 200 MB multipart upload does not live in memory. */
export const FILE_BODY_THRESHOLD = 1024 * 1024;

/** An inclusive byte range, as in a Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where object and part bytes live: small ones in memory, large ones in files
 * under one temp directory per emulator, removed on reset and on stop.
 *
 * A file's lifetime is tied to its readers: `stream()` opens the file at once (so the
 * object it was called for is the one read, whatever happens next) and holds it until
 * the stream closes; `release()` of a body that is being read unlinks the file only
 * when the last reader is done. A GET racing a DELETE or an overwrite of the same key
 * therefore reads the old bytes to the end, as S3 does, instead of failing with ENOENT.
 */
export class BodyStorage {
  private dir?: string;
  private sequence = 0;
  /** Readers (open streams, joins in progress) per file path. */
  private readonly holds = new Map<string, number>();
  /** Files released while someone still reads them: unlinked by the last reader. */
  private readonly released = new Set<string>();

  async save(data: Buffer): Promise<ObjectBody> {
    if (data.length <= FILE_BODY_THRESHOLD) return { kind: 'memory', data };
    const path = this.newPath();
    await writeFile(path, data);
    return { kind: 'file', path };
  }

  /** Joins bodies in order (CompleteMultipartUpload), streaming file parts instead of loading them. */
  async concat(bodies: ObjectBody[], totalSize: number): Promise<ObjectBody> {
    // Held for the whole join: an AbortMultipartUpload arriving meanwhile must not pull a part away.
    for (const body of bodies) this.hold(body);
    try {
      if (totalSize <= FILE_BODY_THRESHOLD) {
        return { kind: 'memory', data: Buffer.concat(await Promise.all(bodies.map((b) => this.read(b)))) };
      }
      const path = this.newPath();
      const self = this;
      try {
        await pipeline(
          Readable.from(
            (async function* () {
              for (const body of bodies) yield* self.stream(body);
            })(),
          ),
          createWriteStream(path),
        );
      } catch (error) {
        unlink(path).catch(() => undefined);
        throw error;
      }
      return { kind: 'file', path };
    } finally {
      for (const body of bodies) this.unhold(body);
    }
  }

  /** An independent copy (CopyObject): releasing one must not affect the other. */
  async duplicate(body: ObjectBody): Promise<ObjectBody> {
    if (body.kind === 'memory') return body;
    const source = this.stream(body);
    const path = this.newPath();
    try {
      await pipeline(source, createWriteStream(path));
    } catch (error) {
      unlink(path).catch(() => undefined);
      throw error;
    }
    return { kind: 'file', path };
  }

  /**
   * A stream of the body's bytes. The file is opened before this returns and stays
   * readable until the stream closes (ends, fails or is destroyed): a consumer must
   * end or destroy it, which `stream.pipeline` does.
   */
  stream(body: ObjectBody, range?: ByteRange): Readable {
    if (body.kind === 'memory') {
      const data = range ? body.data.subarray(range.start, range.end + 1) : body.data;
      return Readable.from([data]);
    }
    const fd = openSync(body.path, 'r');
    this.hold(body);
    const stream = createReadStream(body.path, { fd, autoClose: true, ...(range ? { start: range.start, end: range.end } : {}) });
    stream.once('close', () => this.unhold(body));
    return stream;
  }

  async read(body: ObjectBody): Promise<Buffer> {
    if (body.kind === 'memory') return body.data;
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(body)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Frees a body that no object or part refers to any more (at once, or when its last reader closes). */
  release(body: ObjectBody): void {
    if (body.kind !== 'file') return;
    if ((this.holds.get(body.path) ?? 0) > 0) this.released.add(body.path);
    else unlink(body.path).catch(() => undefined);
  }

  /** Open files (readers of file bodies) right now: for tests that look for leaks. */
  get openReaders(): number {
    let total = 0;
    for (const count of this.holds.values()) total += count;
    return total;
  }

  /**
   * Removes every file at once (reset, stop). Streams already open keep reading
   * their (now unlinked) files to the end, as POSIX allows.
   */
  clear(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.released.clear();
  }

  private hold(body: ObjectBody): void {
    if (body.kind === 'file') this.holds.set(body.path, (this.holds.get(body.path) ?? 0) + 1);
  }

  private unhold(body: ObjectBody): void {
    if (body.kind !== 'file') return;
    const left = (this.holds.get(body.path) ?? 1) - 1;
    if (left > 0) {
      this.holds.set(body.path, left);
      return;
    }
    this.holds.delete(body.path);
    if (this.released.delete(body.path)) unlink(body.path).catch(() => undefined);
  }

  private newPath(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'aws-emulator-s3-'));
    this.sequence += 1;
    return join(this.dir, `body-${this.sequence}`);
  }
}

const storages = new WeakMap<Store, BodyStorage>();

export function bodyStorage(store: Store): BodyStorage {
  let storage = storages.get(store);
  if (!storage) {
    storage = new BodyStorage();
    storages.set(store, storage);
  }
  return storage;
}
