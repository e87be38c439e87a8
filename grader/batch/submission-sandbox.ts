import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning } from '../student-process.ts';
import { reachableByOthers } from '../student-sandbox.ts';

/**
 * Each submission's student processes run as a user of their own, when the grader can
 * arrange it: as root on Linux, with util-linux's setpriv/unshare/prlimit and iproute2's
 * ip, and a project whose node_modules other users can read. Users are plain numbers
 * (no /etc/passwd entry is needed to run as one), from a block each batch claims
 * (claimUsers). Elsewhere (a laptop, a non-root CI) the process split and the permission
 * model still hold; docs/instructors.md says what is weaker.
 */
export const FIRST_UID = 200_000;

const TOOLS = ['setpriv', 'unshare', 'prlimit', 'ip'];

/** Why the root sandbox cannot be used here, or undefined when it can. */
export function rootSandboxUnavailable(root: string): string | undefined {
  if (process.platform !== 'linux') return `not on Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'the grader does not run as root';
  const missing = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) return `missing ${missing.join(', ')} (Debian: util-linux, iproute2)`;
  if (!reachableByOthers(join(root, 'node_modules'))) return `${join(root, 'node_modules')} is not readable by other users`;
  return undefined;
}

/** Machine-wide (not $TMPDIR, which each batch may set to its own): every batch on the machine must see every lock. */
const USER_LOCKS = '/tmp/aws-dev-labs-users';

/** Users one batch may give out: a block of this many ids, one per submission. */
export const USERS_PER_BATCH = 10_000;
const BLOCKS = 100;

export interface ClaimedUsers {
  first: number;
  release(): void;
}

/**
 * A block of user ids of its own for one batch: two batches on one machine (CI jobs, test
 * files run side by side) must never give a user to two submissions, or one batch's
 * clean-up (which kills every process of its users) kills the other's student processes.
 * A block is held by an exclusive lock file naming the batch's pid, in a folder only root
 * may write (`dir`); a lock whose process is gone is taken over.
 */
export function claimUsers(students: number, dir = USER_LOCKS): ClaimedUsers {
  if (students > USERS_PER_BATCH) throw new Error(`A batch gives each submission a user of its own, at most ${USERS_PER_BATCH}; grade ${students} submissions in shards (--shard).`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Trusted only as root's own folder: not a link, nobody else's, nobody else may write in it.
  const folder = lstatSync(dir);
  if (!folder.isDirectory() || folder.uid !== process.getuid?.() || (folder.mode & 0o022) !== 0) {
    throw new Error(`${dir} must be a folder of this user that others cannot write to; remove it and grade again`);
  }
  for (let block = 0; block < BLOCKS; block++) {
    const lock = join(dir, `${block}.lock`);
    if (!takeLock(lock)) continue;
    return { first: FIRST_UID + block * USERS_PER_BATCH, release: () => rmSync(lock, { force: true }) };
  }
  throw new Error(`every block of users is held by a running batch (locks in ${dir})`);
}

function takeLock(lock: string): boolean {
  if (createLock(lock)) return true;
  if (holderAlive(lock)) return false;
  // Its batch is gone (killed before it could release). Two batches may see that at once:
  // only the one that makes the guard folder (mkdir is atomic) takes the block over, and
  // only if the lock is still the dead one's once it holds the guard.
  const guard = `${lock}.takeover`;
  removeIfOlderThan(guard, 60_000);
  try {
    mkdirSync(guard);
  } catch {
    return false;
  }
  try {
    if (holderAlive(lock)) return false;
    rmSync(lock, { force: true });
    return createLock(lock);
  } finally {
    rmSync(guard, { recursive: true, force: true });
  }
}

function createLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

/** Whether the lock names a running process (a lock that vanished meanwhile names none). */
function holderAlive(lock: string): boolean {
  try {
    const holder = Number(readFileSync(lock, 'utf8'));
    return Number.isInteger(holder) && holder > 0 && isRunning(holder);
  } catch {
    return false;
  }
}

/** A guard left by a batch killed in the middle of a takeover must not hold its block for ever. */
function removeIfOlderThan(path: string, ms: number): void {
  try {
    if (Date.now() - lstatSync(path).mtimeMs > ms) rmSync(path, { recursive: true, force: true });
  } catch {
    // Not there.
  }
}
