import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { compileSubmission } from './compile-submission.ts';
import { IMPORTABLE_PACKAGES, importablePackagesOf, sandboxLayout, type SandboxLayout, type SandboxPolicy } from './student-sandbox.ts';

/*
 * Building a student process's work folder (student-sandbox.ts says what is in it): done
 * by the lab runner while vitest starts, so the checks' process only starts the agent.
 */
const AGENT_SOURCE = fileURLToPath(new URL('../sandbox/agent.ts', import.meta.url));
const NETWORK_GUARD_SOURCE = fileURLToPath(new URL('../sandbox/network-guard.mjs', import.meta.url));

/**
 * A work folder under `parent` with the lab compiled and the agent bundled; returns its
 * path. `labId` (default: the folder's name) picks the course's lab.json, whose import
 * list the compiler enforces.
 */
export async function prepareStudentWork(root: string, submissionDir: string, parent: string, policy: SandboxPolicy, labId = basename(submissionDir)): Promise<string> {
  const layout = sandboxLayout(mkdtempSync(join(parent, 's-')));
  await prepareSandbox(root, layout, policy);
  await compileSubmission(submissionDir, layout.labDir, importablePackagesOf(root, labId));
  return layout.dir;
}

/** Creates the folders, the SDK links and the agent bundle. */
export async function prepareSandbox(root: string, layout: SandboxLayout, policy: SandboxPolicy): Promise<void> {
  for (const folder of [layout.labDir, layout.exchangeDir, layout.tmpDir, layout.homeDir, join(layout.dir, 'node_modules')]) {
    mkdirSync(folder, { recursive: true });
  }
  for (const scope of IMPORTABLE_PACKAGES) {
    const name = scope.replace(/\/$/, '');
    const target = join(root, 'node_modules', name);
    // To the real folder: the permission model allows real paths (node_modules may itself be a link).
    if (existsSync(target) && !existsSync(join(layout.dir, 'node_modules', name))) symlinkSync(realpathSync(target), join(layout.dir, 'node_modules', name), 'dir');
  }
  writeFileSync(layout.networkGuard, readFileSync(NETWORK_GUARD_SOURCE));
  await build({
    entryPoints: [AGENT_SOURCE],
    outfile: layout.agent,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // The SDK stays outside (linked into node_modules above, shared with the student's
    // code); the agent's own libraries (fake-timers) go into the bundle.
    external: IMPORTABLE_PACKAGES.map((scope) => `${scope}*`),
    // fake-timers is CommonJS and requires Node's timers: an ES module has no require of its own.
    banner: { js: "import { createRequire as createAgentRequire } from 'node:module'; const require = createAgentRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  mkdirSync(join(layout.homeDir, '.aws'), { recursive: true });
  writeFileSync(join(layout.homeDir, '.aws', 'credentials'), '');
  writeFileSync(join(layout.homeDir, '.aws', 'config'), '');
  if (policy.uid !== undefined) {
    // The work folder stays the grader's; the student's user may enter it, read what is
    // handed over, and write only to its own temp and home folders.
    // mkdtemp makes 0700 folders: open the way (enter, not list) down to the work folder.
    const top = realpathSync(tmpdir());
    for (let dir = layout.dir; dir.startsWith(`${top}/`); dir = dirname(dir)) chmodSync(dir, statSync(dir).mode | 0o711);
    for (const folder of [layout.tmpDir, layout.homeDir, join(layout.homeDir, '.aws')]) chownSync(folder, policy.uid, policy.gid ?? policy.uid);
    // Its temp folder holds the socket the grader connects to, its home what it writes: no other user may reach either.
    chmodSync(layout.tmpDir, 0o700);
    chmodSync(layout.homeDir, 0o700);
  }
}

