import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where and how the student's process runs. The same for `npm run lab:N` and
 * `npm run grade`; batch grading as root adds what only root can do.
 *
 * Always (any user, any OS Node 20 runs on):
 * - Node's permission model: reads limited to the compiled lab, the AWS SDK's packages
 *   (and theirs), the files a check hands over; writes to the process's own temp and
 *   home folders; no child processes, no worker threads, no native addons;
 * - an environment built from nothing (never the grader's): the lab's AWS_* variables,
 *   TMPDIR, HOME, PATH, LANG;
 * - a V8 heap limit, and the grader's time limits (it kills the process);
 * - a JavaScript network guard (sandbox/network-guard.mjs) that allows only the emulator.
 *
 * As root on Linux (batch grading in CI), on top:
 * - its own user id per submission (`setpriv`), so it can neither signal nor read
 *   another submission's processes or files, nor the grader's;
 * - its own network namespace (`unshare --net`): no interface but its own loopback; the
 *   emulator is reached through a Unix socket the grader forwards (loopback-bridge.ts);
 * - limits on processes, file size and open files (`prlimit`).
 */
/** The packages graded code may import (by scope), besides Node's built-ins and its own folder. */
export const IMPORTABLE_PACKAGES = ['@aws-sdk/', '@smithy/', '@aws-crypto/'] as const;

/**
 * The packages graded code of one lab may import: the course's own lab.json (never the
 * submission's copy, which the student controls) may name fewer than IMPORTABLE_PACKAGES
 * in `importablePackages` (lab 10 signs requests with node:crypto, no SDK signer).
 */
export function importablePackagesOf(root: string, labId: string): readonly string[] {
  const file = join(root, 'labs', labId, 'lab.json');
  if (!existsSync(file)) return IMPORTABLE_PACKAGES;
  const listed = (JSON.parse(readFileSync(file, 'utf8')) as { importablePackages?: unknown }).importablePackages;
  if (listed === undefined) return IMPORTABLE_PACKAGES;
  if (!Array.isArray(listed) || !listed.every((p): p is string => typeof p === 'string' && IMPORTABLE_PACKAGES.some((scope) => p.startsWith(scope)))) {
    throw new Error(`${file}: importablePackages must list packages of ${IMPORTABLE_PACKAGES.join(', ')}`);
  }
  return listed;
}

export interface SandboxPolicy {
  /** Run as this user and group (root only). */
  uid?: number;
  gid?: number;
  /** A network namespace of its own, reaching only the emulator (root only). */
  isolateNetwork: boolean;
  /** V8 heap limit of the student's process, MiB. */
  heapMiB: number;
  /** prlimit: processes (threads included) of the user, largest file written, open files. */
  limits?: { processes: number; fileBytes: number; openFiles: number };
}

export const SANDBOX_POLICY_ENV = 'LAB_SANDBOX';
/**
 * One policy per submission (a JSON array in the order of LAB_SUBMISSIONS), when a batch
 * grades several in one run: each submission's processes run as a user of their own.
 */
export const SANDBOX_POLICIES_ENV = 'LAB_SANDBOXES';

/** What a batch grader running as root can enforce (used by grader/batch), with the user id for this submission. */
export function rootSandboxPolicy(uid: number): SandboxPolicy {
  return { uid, gid: uid, isolateNetwork: true, heapMiB: 768, limits: { processes: 256, fileBytes: 256 * 1024 * 1024, openFiles: 1024 } };
}

export const DEFAULT_POLICY: SandboxPolicy = { isolateNetwork: false, heapMiB: 1024 };

/** The policy of submission `index` of the run (LAB_SANDBOXES), else the run's one policy (LAB_SANDBOX), else the default. */
export function policyFromEnv(env: NodeJS.ProcessEnv, index = 0): SandboxPolicy {
  const many = env[SANDBOX_POLICIES_ENV];
  if (many) {
    const policies = JSON.parse(many) as unknown;
    const policy = Array.isArray(policies) ? (policies[index] as SandboxPolicy | undefined) : undefined;
    if (!policy) throw new Error(`${SANDBOX_POLICIES_ENV} has no policy for submission ${index + 1}`);
    return policy;
  }
  const text = env[SANDBOX_POLICY_ENV];
  return text ? (JSON.parse(text) as SandboxPolicy) : DEFAULT_POLICY;
}

/** Kills every process of `uid` (what a submission's student process may have left); returns how many were alive. */
export function killProcessesOf(uid: number): number {
  let alive = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      // A zombie is dead already: only its exit status waits for its parent.
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) !== uid || /^State:\s+Z/m.test(status)) continue;
      alive += 1;
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  return alive;
}

/** Kills every process of `uid` and waits (up to `limitMs`) until none is left: a SIGKILL takes effect a moment later. */
export async function killAllOf(uid: number, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (killProcessesOf(uid) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * The work folder of one student process:
 *   agent.mjs                 the agent, bundled (sandbox/agent.ts)
 *   network-guard.mjs         preloaded when the network is not isolated
 *   node_modules/@aws-sdk ... links to the project's SDK scopes (nothing else resolves)
 *   lab/                      the compiled lab (compile-submission.ts)
 *   exchange/                 files checks hand to the student's code (read-only there)
 *   tmp/  home/               the process's TMPDIR and HOME (its only writable places)
 *   b.sock                    the Unix socket to the emulator, when the network is isolated
 *                             (short: a socket's path may not exceed 107 bytes)
 */
export interface SandboxLayout {
  dir: string;
  agent: string;
  networkGuard: string;
  labDir: string;
  exchangeDir: string;
  tmpDir: string;
  homeDir: string;
  bridgeSocket: string;
}


export function sandboxLayout(dir: string): SandboxLayout {
  return {
    dir,
    agent: join(dir, 'agent.mjs'),
    networkGuard: join(dir, 'network-guard.mjs'),
    labDir: join(dir, 'lab'),
    exchangeDir: join(dir, 'exchange'),
    tmpDir: join(dir, 'tmp'),
    homeDir: join(dir, 'home'),
    bridgeSocket: join(dir, 'b.sock'),
  };
}

/** The packages the SDK scopes need, transitively: the only part of node_modules the student's process may read. */
let closureCache: { root: string; dirs: string[] } | undefined;
export function sdkPackageDirs(root: string): string[] {
  if (closureCache?.root === root) return closureCache.dirs;
  const modules = join(root, 'node_modules');
  const found = new Set<string>();
  const visit = (dir: string) => {
    const real = realpathSync(dir);
    if (found.has(real)) return;
    found.add(real);
    const manifest = JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const names = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies });
    for (const name of names) {
      const location = locatePackage(real, modules, name);
      if (location) visit(location);
    }
  };
  for (const scope of IMPORTABLE_PACKAGES) {
    const scopeDir = join(modules, scope);
    if (!existsSync(scopeDir)) continue;
    for (const name of readdirSync(scopeDir)) visit(join(scopeDir, name));
  }
  closureCache = { root, dirs: [...found] };
  return closureCache.dirs;
}

/** Node's lookup: the package's own node_modules, then each parent's, up to the project's. */
function locatePackage(from: string, modules: string, name: string): string | undefined {
  for (let dir = from; dir.startsWith(modules) || dir === modules; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === modules) break;
  }
  const top = join(modules, name);
  return existsSync(join(top, 'package.json')) ? top : undefined;
}

/** The student process's environment: built from nothing but what the lab needs. */
export function studentEnv(layout: SandboxLayout, awsEnv: Record<string, string>, emulatorPort: number, policy: SandboxPolicy): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: layout.homeDir,
    TMPDIR: layout.tmpDir,
    ...awsEnv,
    AWS_SHARED_CREDENTIALS_FILE: join(layout.homeDir, '.aws', 'credentials'),
    AWS_CONFIG_FILE: join(layout.homeDir, '.aws', 'config'),
    ...(policy.isolateNetwork ? { GRADING_BRIDGE_SOCKET: layout.bridgeSocket, GRADING_BRIDGE_PORT: String(emulatorPort) } : { GRADING_ALLOWED_PORT: String(emulatorPort) }),
  };
}

/** The command that starts the agent under the policy: [command, ...args]. */
export function agentCommand(root: string, layout: SandboxLayout, policy: SandboxPolicy, socketPath: string, services: string[]): string[] {
  const reads = [layout.agent, layout.networkGuard, layout.labDir, layout.exchangeDir, layout.tmpDir, layout.homeDir, join(layout.dir, 'node_modules'), ...sdkPackageDirs(root)];
  const node = [
    process.execPath,
    '--experimental-permission',
    ...reads.map((path) => `--allow-fs-read=${path}`),
    `--allow-fs-write=${layout.tmpDir}`,
    `--allow-fs-write=${layout.homeDir}`,
    `--max-old-space-size=${policy.heapMiB}`,
    '--enable-source-maps',
    // The permission model's "experimental" warning would land in every student's output.
    '--no-warnings=ExperimentalWarning',
    ...(policy.isolateNetwork ? [] : ['--import', layout.networkGuard]),
    layout.agent,
    layout.labDir,
    socketPath,
    services.join(','),
  ];
  let command = node;
  if (policy.uid !== undefined) {
    command = ['setpriv', `--reuid=${policy.uid}`, `--regid=${policy.gid ?? policy.uid}`, '--clear-groups', '--no-new-privs', '--', ...command];
  }
  if (policy.limits) {
    const { processes, fileBytes, openFiles } = policy.limits;
    command = ['prlimit', `--nproc=${processes}`, `--fsize=${fileBytes}`, `--nofile=${openFiles}`, '--', ...command];
  }
  if (policy.isolateNetwork) {
    // A fresh namespace has its loopback down; bring it up (still root there), then drop to the student's user.
    command = ['unshare', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sandbox', ...command];
  }
  return command;
}

/** Whether a user other than the owner can reach `path`: every folder on the way enterable by others. */
export function reachableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

/** The services lab.json names, whose SDK clients the student process loads ahead; none when it cannot be read. */
export function labServices(labDir: string): string[] {
  try {
    const services = (JSON.parse(readFileSync(join(labDir, 'lab.json'), 'utf8')) as { services?: unknown }).services;
    return Array.isArray(services) ? services.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** The AWS_* variables of an environment: what the student process gets of the lab's (endpoint, keys, region, empty files). */
export function awsVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => /^AWS_/.test(entry[0]) && entry[1] !== undefined));
}
