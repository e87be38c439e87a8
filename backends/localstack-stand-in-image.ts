import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { bundleStandalone, EMULATOR_ENTRY } from '../grader/standalone-bundles.ts';

const run = promisify(execFile);

/**
 * Builds the LocalStack stand-in image (localstack-stand-in.ts says what it imitates) from
 * files on this machine, with no registry: Node's own binary and the shared libraries it
 * links (as `ldd` lists them), the standalone emulator bundle (the same one as
 * `npm run build:emulator` and docker/Dockerfile), and the stand-in's front, put in a root
 * file system and turned into an image by `docker import`.
 *
 * The tag is a hash of everything in the image, so an unchanged image is found and reused
 * (`docker image inspect`) rather than imported again, and older tags are removed when a new
 * one is built; the build folder is removed after every build, whatever happens.
 */

export const STAND_IN_REPOSITORY = 'aws-dev-labs/localstack-stand-in';

/** Where the files go inside the image. */
const APP_DIR = '/app';
const EMULATOR_FILE = `${APP_DIR}/emulator.mjs`;
const FRONT_FILE = `${APP_DIR}/localstack-stand-in.mjs`;
const FRONT_ENTRY = 'backends/localstack-stand-in.ts';

export interface StandInImage {
  /** repository:tag */
  image: string;
  /** False when an image with this content was already there. */
  built: boolean;
}

export interface StandInOptions {
  /** The docker CLI (default `docker` on PATH). */
  docker?: string;
  /** Called with the build folder's path while it exists (tests check that it is gone after). */
  onBuildFolder?: (path: string) => void;
}

/** The stand-in image for this checkout and this machine's Node, built if it is not there yet. */
export async function ensureStandInImage(root: string, options: StandInOptions = {}): Promise<StandInImage> {
  const docker = options.docker ?? 'docker';
  const [emulator, front] = await Promise.all([bundleStandalone(root, EMULATOR_ENTRY), bundleStandalone(root, FRONT_ENTRY)]);
  const runtime = await nodeRuntimeFiles();

  const hash = createHash('sha256').update(`${emulator.hash}\n${front.hash}\n`);
  for (const file of runtime) {
    const stat = statSync(file.source);
    hash.update(`${file.target} ${stat.size} ${stat.mtimeMs}\n`);
  }
  const image = `${STAND_IN_REPOSITORY}:${hash.digest('hex').slice(0, 16)}`;
  if (await imageExists(docker, image)) return { image, built: false };

  const folder = await mkdtemp(join(tmpdir(), 'localstack-stand-in-'));
  try {
    options.onBuildFolder?.(folder);
    const rootfs = join(folder, 'rootfs');
    for (const file of runtime) place(rootfs, file.target, () => copyFileSync(file.source, join(rootfs, file.target)), 0o755);
    place(rootfs, EMULATOR_FILE, (path) => writeFileSync(path, emulator.text), 0o644);
    place(rootfs, FRONT_FILE, (path) => writeFileSync(path, front.text), 0o644);
    // S3 keeps object bodies and multipart parts in temp files (os.tmpdir()).
    mkdirSync(join(rootfs, 'tmp'), { recursive: true });
    chmodSync(join(rootfs, 'tmp'), 0o1777);

    const archive = join(folder, 'rootfs.tar');
    await run('tar', ['-C', rootfs, '--numeric-owner', '--owner=0', '--group=0', '-cf', archive, '.']);
    const node = runtime[0]!.target;
    await run(docker, [
      'import',
      '--change', `ENTRYPOINT ${JSON.stringify([node, FRONT_FILE, EMULATOR_FILE])}`,
      '--change', 'EXPOSE 4566/tcp',
      '--change', `WORKDIR ${APP_DIR}`,
      '--change', 'LABEL org.opencontainers.image.description="aws-dev-labs emulator behind a LocalStack-shaped gateway (test stand-in, not LocalStack)"',
      archive,
      image,
    ], { maxBuffer: 1024 * 1024 });
    await removeOlderImages(docker, image);
    return { image, built: true };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Earlier stand-in images (each about Node's size) go when a new one is built, so a
 * developer's engine does not collect one per emulator change. `docker rmi` without force:
 * an image a container still uses stays.
 */
async function removeOlderImages(docker: string, keep: string): Promise<void> {
  const { stdout } = await run(docker, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', STAND_IN_REPOSITORY]);
  const older = stdout.split('\n').filter((name) => name && name !== keep);
  if (older.length > 0) await run(docker, ['rmi', ...older]).catch(() => undefined);
}

/** Writes one file of the root file system at its absolute path inside the image. */
function place(rootfs: string, target: string, write: (path: string) => void, mode: number): void {
  const path = join(rootfs, target);
  mkdirSync(dirname(path), { recursive: true });
  write(path);
  chmodSync(path, mode);
}

interface RuntimeFile {
  /** The file to read on this machine (symbolic links followed). */
  source: string;
  /** Its path inside the image: the path the binary or the dynamic loader looks for. */
  target: string;
}

/** Node's binary first, then every shared library it links, as `ldd` resolves them here. */
export async function nodeRuntimeFiles(): Promise<RuntimeFile[]> {
  const node = process.execPath;
  const files: RuntimeFile[] = [{ source: realpathSync(node), target: node }];
  let listing: string;
  try {
    ({ stdout: listing } = await run('ldd', [node]));
  } catch (error) {
    // A statically linked Node: ldd says "not a dynamic executable" and exits 1.
    if (/not a dynamic executable/.test(String((error as { stderr?: string }).stderr))) return files;
    throw new Error(`ldd ${node} failed: cannot list the libraries Node needs in the stand-in image (${(error as Error).message})`);
  }
  for (const line of listing.split('\n')) {
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)";
    // linux-vdso.so.1 is the kernel's own and has no file.
    const path = /=>\s+(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)\s+\(/.exec(line)?.[1];
    if (path && !files.some((file) => file.target === path)) files.push({ source: realpathSync(path), target: path });
  }
  return files;
}

/** Whether the engine has the image; an engine that does not answer is an error, said at once. */
async function imageExists(docker: string, image: string): Promise<boolean> {
  try {
    await run(docker, ['image', 'inspect', '--format', '{{.Id}}', image]);
    return true;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    if (/no such image/i.test(stderr)) return false;
    throw new Error(`cannot build the LocalStack stand-in image: docker image inspect failed (${stderr || (error as Error).message})`);
  }
}
