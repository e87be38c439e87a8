import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Workspace } from './workspace.ts';

/**
 * What the process that runs a student's code (vitest's fork worker) may touch, and
 * how that is enforced. Travels from the grading process to vitest as one JSON
 * environment variable (GRADING_SANDBOX), read by grader/batch/vitest.config.ts.
 */
export interface Sandbox {
  /** Node permission model: the only paths the worker may read. */
  readPaths: string[];
  /** Node permission model: the only paths the worker may write. */
  writePaths: string[];
  /**
   * Modules vitest may compile for the worker (vitest compiles in its main process,
   * outside the permission model): files under these folders, or these exact files.
   */
  moduleRoots: string[];
  /** The emulator's port: the one network peer the worker may connect to (127.0.0.1). */
  emulatorPort: number;
  /** Where the progress hook appends one JSON line per check started and finished. */
  progressFile: string;
  /** vitest's temp folder (its main process's TMPDIR): compiled modules the worker reads but may not change. */
  vitestTmpDir: string;
  /** The worker's TMPDIR: the student's and the checks' temp files, snapshots. */
  tmpDir: string;
}

export const SANDBOX_ENV = 'GRADING_SANDBOX';

export const NETWORK_GUARD = fileURLToPath(new URL('./network-guard.mjs', import.meta.url));
export const PROGRESS_HOOK = fileURLToPath(new URL('./progress-hook.ts', import.meta.url));
/** What the progress hook imports (the progress file's name and format). */
const CHECK_PROGRESS_MODULE = fileURLToPath(new URL('../check-progress.ts', import.meta.url));
const SANDBOX_MODULE = fileURLToPath(import.meta.url);

export interface SandboxInput {
  /** The instructor's project root (checks/, labs/ with the solutions, node_modules/). */
  root: string;
  /** The grading workspace (see workspace.ts). */
  workspace: Workspace;
  /** The lab's check files, relative to root. */
  checkFiles: string[];
  emulatorPort: number;
}

/** Folders of fixtures/ the checks read that are not answers (known-wrong submissions and the test class are left out). */
function fixtureEntries(root: string): string[] {
  const dir = join(root, 'fixtures');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name !== 'submissions' && name !== 'class')
    .map((name) => join(dir, name));
}

/**
 * Read access: node_modules, the harness data the checks read (fixtures/ except
 * submissions), the grading workspace, the network guard. Write access: the copy of
 * the student's labs, the worker's temp folder, the progress file; NOT vitest's
 * compiled modules (a submission could otherwise rewrite the checks loaded after it).
 * NOT labs/ (the solutions), not checks/ (hidden checks), not other submissions.
 * Modules: the harness the checks import (checks/support, emulator, backends,
 * fixtures), the lab's own check files, node_modules, the workspace.
 */
export function buildSandbox(input: SandboxInput): Sandbox {
  const { root, workspace } = input;
  const fixtures = fixtureEntries(root);
  return {
    readPaths: [join(root, 'node_modules'), ...fixtures, workspace.dir, NETWORK_GUARD],
    writePaths: [workspace.labsDir, workspace.tmpDir, workspace.progressFile],
    moduleRoots: [
      join(root, 'node_modules'),
      join(root, 'checks', 'support'),
      join(root, 'emulator'),
      join(root, 'backends'),
      ...fixtures,
      ...input.checkFiles.map((file) => join(root, file)),
      PROGRESS_HOOK,
      CHECK_PROGRESS_MODULE,
      SANDBOX_MODULE,
      workspace.labsDir,
    ],
    emulatorPort: input.emulatorPort,
    progressFile: workspace.progressFile,
    vitestTmpDir: workspace.vitestTmpDir,
    tmpDir: workspace.tmpDir,
  };
}

/** The worker's Node flags: permission model (no child processes, no workers, no addons) and the network guard. */
export function workerExecArgv(sandbox: Sandbox): string[] {
  return [
    '--experimental-permission',
    ...sandbox.readPaths.map((path) => `--allow-fs-read=${path}`),
    ...sandbox.writePaths.map((path) => `--allow-fs-write=${path}`),
    '--import',
    NETWORK_GUARD,
    // The permission model's "experimental" warning would land in every student's log.
    '--no-warnings=ExperimentalWarning',
  ];
}

/** True when `path` is one of `roots` or inside one of them. */
export function isInside(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`));
}
