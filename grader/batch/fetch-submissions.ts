/**
 * The instructor workflows' first step (templates/instructor/*.yml):
 *
 *   npx tsx grader/batch/fetch-submissions.ts <dest> "<repositories>"
 *
 * clones each student repository (`gh repo clone`, depth 1, with the workflow's GH_TOKEN)
 * into <dest>/<name>, one folder per student as `npm run grade --submissions` takes them.
 * The list comes from a single-line form field, so commas, spaces and new lines all
 * separate names.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** GitHub's owner and repository name characters. */
const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;

/** "a/x, b/y c/z" -> ["a/x", "b/y", "c/z"]; an entry that is not owner/name, or two repositories of the same name, is an error. */
export function parseRepositories(text: string): string[] {
  const repositories = text.split(/[\s,]+/).filter(Boolean);
  const bad = repositories.filter((repo) => !REPOSITORY.test(repo) || repo.endsWith('/.') || repo.endsWith('/..'));
  if (bad.length > 0) throw new Error(`Not owner/name: ${bad.map((b) => JSON.stringify(b)).join(', ')}. Separate repositories with commas or spaces, e.g. "classroom/lab-ada, classroom/lab-bo".`);
  const byName = new Map<string, string>();
  for (const repo of repositories) {
    const name = repo.split('/')[1]!;
    const other = byName.get(name);
    if (other && other !== repo) throw new Error(`${other} and ${repo} would both be the student "${name}": one folder per student is named after the repository.`);
    byName.set(name, repo);
  }
  return [...new Set(repositories)];
}

export function fetchSubmissions(dest: string, repositories: string[], gh = 'gh'): void {
  mkdirSync(dest, { recursive: true });
  for (const repo of repositories) {
    const target = join(dest, repo.split('/')[1]!);
    const run = spawnSync(gh, ['repo', 'clone', repo, target, '--', '--depth', '1', '--quiet'], { stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`gh repo clone ${repo} failed (exit code ${run.status ?? run.error?.message}).`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const [dest, list = ''] = process.argv.slice(2);
    if (!dest) throw new Error('usage: fetch-submissions.ts <dest> "<owner/name, owner/name ...>"');
    const repositories = parseRepositories(list);
    fetchSubmissions(dest, repositories);
    console.log(`Fetched ${repositories.length} submission(s) into ${dest}.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
