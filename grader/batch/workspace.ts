import { chmodSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A fresh folder per submission and lab, inside the submission's temp folder (which the
 * batch removes after the grading process ends, however it ended):
 *
 *   <dir>/labs/   a copy of the student's labs/ (regular files only)
 *   <dir>/work/   the grading run's temp files: results, the student processes' folders
 *
 * Symbolic links in a submission are NOT copied: a link to the instructor's solution
 * would otherwise be compiled as the student's own file.
 */
export interface Workspace {
  dir: string;
  labsDir: string;
  workDir: string;
  /** Paths (relative to labs/) that were symbolic links or special files, left out. */
  skipped: string[];
  remove(): void;
}

const SKIPPED_NAMES = new Set(['node_modules', '.git']);

function copyRegularFiles(from: string, to: string, skipped: string[], prefix = ''): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (SKIPPED_NAMES.has(name)) continue;
    const source = join(from, name);
    const stat = lstatSync(source);
    if (stat.isDirectory()) copyRegularFiles(source, join(to, name), skipped, `${prefix}${name}/`);
    else if (stat.isFile()) copyFileSync(source, join(to, name));
    else skipped.push(`${prefix}${name}`);
  }
}

/** Names are short: the student process's Unix socket lives below, and socket paths are limited. */
export function createWorkspace(options: { parent: string; labsDir: string }): Workspace {
  // realpath: the permission model compares real paths (/tmp may be a link).
  const dir = realpathSync(mkdtempSync(join(options.parent, 'w-')));
  const skipped: string[] = [];
  const labsDir = join(dir, 'labs');
  copyRegularFiles(options.labsDir, labsDir, skipped);
  // Read by the trusted side only (it compiles the lab): no student's user, this one's included, may read the copy.
  chmodSync(labsDir, 0o700);
  const workDir = join(dir, 'work');
  mkdirSync(workDir);
  return { dir, labsDir, workDir, skipped, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
