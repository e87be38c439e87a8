import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { copyFile, unlink, writeFile } from 'node:fs/promises';
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
 */
export class BodyStorage {
  private dir?: string;
  private sequence = 0;

  async save(data: Buffer): Promise<ObjectBody> {
    if (data.length <= FILE_BODY_THRESHOLD) return { kind: 'memory', data };
    const path = this.newPath();
    await writeFile(path, data);
    return { kind: 'file', path };
  }

  /** Joins bodies in order (CompleteMultipartUpload), streaming file parts instead of loading them. */
  async concat(bodies: ObjectBody[], totalSize: number): Promise<ObjectBody> {
    if (totalSize <= FILE_BODY_THRESHOLD) {
      return { kind: 'memory', data: Buffer.concat(await Promise.all(bodies.map((b) => this.read(b)))) };
    }
    const path = this.newPath();
    const out = createWriteStream(path);
    const self = this;
    await pipeline(
      Readable.from(
        (async function* () {
          for (const body of bodies) yield* self.stream(body);
        })(),
      ),
      out,
    );
    return { kind: 'file', path };
  }

  /** An independent copy (CopyObject): releasing one must not affect the other. */
  async duplicate(body: ObjectBody): Promise<ObjectBody> {
    if (body.kind === 'memory') return body;
    const path = this.newPath();
    await copyFile(body.path, path);
    return { kind: 'file', path };
  }

  stream(body: ObjectBody, range?: ByteRange): Readable {
    if (body.kind === 'memory') {
      const data = range ? body.data.subarray(range.start, range.end + 1) : body.data;
      return Readable.from([data]);
    }
    return createReadStream(body.path, range ? { start: range.start, end: range.end } : {});
  }

  async read(body: ObjectBody): Promise<Buffer> {
    if (body.kind === 'memory') return body.data;
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(body.path)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Frees a body that no object or part refers to any more. */
  release(body: ObjectBody): void {
    if (body.kind === 'file') unlink(body.path).catch(() => undefined);
  }

  /** Removes every file at once (reset, stop). */
  clear(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
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
