import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh folder per submission and lab in which the student's code runs:
 *
 *   <dir>/labs/           a copy of the student's labs/ (regular files only)
 *   <dir>/node_modules -> the instructor's node_modules (the SDK the labs import)
 *   <dir>/tmp/            the worker's TMPDIR
 *   <dir>/vitest-tmp/     vitest's compiled modules (the worker may read, not write)
 *   <dir>/aws/            empty AWS credentials and config files
 *   <dir>/progress.jsonl  the progress hook's log
 *
 * Symbolic links in a submission are NOT copied: Node's permission model follows them,
 * so a link to the instructor's solution would be readable through the copy.
 */
export interface Workspace {
  dir: string;
  labsDir: string;
  tmpDir: string;
  vitestTmpDir: string;
  progressFile: string;
  sharedCredentialsFile: string;
  configFile: string;
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

export function createWorkspace(options: { root: string; labsDir: string; label: string }): Workspace {
  // realpath: the permission model and vite compare real paths (/tmp may be a link).
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `grading-${options.label.replace(/[^a-zA-Z0-9_-]/g, '_')}-`)));
  const skipped: string[] = [];
  const labsDir = join(dir, 'labs');
  copyRegularFiles(options.labsDir, labsDir, skipped);
  symlinkSync(join(options.root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const tmpDir = join(dir, 'tmp');
  const vitestTmpDir = join(dir, 'vitest-tmp');
  const awsDir = join(dir, 'aws');
  for (const folder of [tmpDir, vitestTmpDir, awsDir]) mkdirSync(folder);
  const sharedCredentialsFile = join(awsDir, 'credentials');
  const configFile = join(awsDir, 'config');
  const progressFile = join(dir, 'progress.jsonl');
  for (const file of [sharedCredentialsFile, configFile, progressFile]) writeFileSync(file, '');
  return {
    dir,
    labsDir,
    tmpDir,
    vitestTmpDir,
    progressFile,
    sharedCredentialsFile,
    configFile,
    skipped,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
