import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY, reachableByOthers, rootSandboxPolicy, type SandboxPolicy } from '../student-sandbox.ts';

/**
 * Each submission's student processes run as a user of their own, when the grader can
 * arrange it: as root on Linux, with util-linux's setpriv/unshare/prlimit and iproute2's
 * ip, and a project whose node_modules other users can read. Users are plain numbers
 * (no /etc/passwd entry is needed to run as one): FIRST_UID + the submission's place in
 * the batch. Elsewhere (a laptop, a non-root CI) the process split and the permission
 * model still hold; docs/instructors.md says what is weaker.
 */
export const FIRST_UID = 200_000;

const TOOLS = ['setpriv', 'unshare', 'prlimit', 'ip'];

let rootAvailable: boolean | undefined;
/** Why the root sandbox cannot be used here, or undefined when it can. */
export function rootSandboxUnavailable(root: string): string | undefined {
  if (process.platform !== 'linux') return `not on Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'the grader does not run as root';
  const missing = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) return `missing ${missing.join(', ')} (Debian: util-linux, iproute2)`;
  if (!reachableByOthers(join(root, 'node_modules'))) return `${join(root, 'node_modules')} is not readable by other users`;
  rootAvailable = true;
  return undefined;
}

export function sandboxForSubmission(root: string, index: number): SandboxPolicy {
  if (rootAvailable === undefined && rootSandboxUnavailable(root) !== undefined) rootAvailable = false;
  return rootAvailable ? rootSandboxPolicy(FIRST_UID + index) : DEFAULT_POLICY;
}

/** Kills every process of `uid` (what a submission's student process may have left). */
export function killProcessesOf(uid: number): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      if (Number(real) === uid) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}
