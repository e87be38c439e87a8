import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { stripSolutions } from './solution-markers.ts';

/**
 * The student edition of the course: the project without its answers.
 * - In labs/, every solution region becomes a `TODO n is not implemented yet` stub.
 * - Left out: hidden checks (checks/*.hidden.check.ts), the known-wrong submissions
 *   (fixtures/submissions) and the fixture class (fixtures/class), solution-only files
 *   (`*.solution.*` under labs/), the self-tests that need the solutions, the
 *   instructor's templates, and what is not source (.git, node_modules, .work, coverage, logs).
 * - templates/student/ is laid over the result: the student's README.md and the
 *   GitHub Actions workflow (.github/workflows/classroom.yml) that self-checks on push.
 */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.work', 'coverage', 'fixtures/submissions', 'fixtures/class', 'templates']);
const SKIPPED_FILES = [
  /^checks\/[^/]+\.hidden\.check\.ts$/,
  /^test\/self-validation[^/]*\.test\.ts$/,
  /^test\/release[^/]*\.test\.ts$/,
  /\.log$/,
  /^labs\/.*\.solution\.[^/]+$/,
  /^test\/self-validation-runner\.ts$/,
  /^test\/(batch-grading|reports|student-edition)[^/]*\.ts$/,
];
/** Laid over the edition's root: the student's README and workflow. */
const STUDENT_OVERLAY = 'templates/student';
const CODE = /\.(ts|js|mjs|cjs)$/;

export interface EditionFile {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  text: Buffer | string;
  /** TODO numbers of the solution regions replaced in this file. */
  todos: number[];
}

/** Everything the edition will contain, transformed in memory: marker errors surface before anything is written. */
export function planStudentEdition(root: string, exclude: string[] = []): EditionFile[] {
  const excluded = exclude.map((p) => resolve(p));
  const files: EditionFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      const path = relative(root, full).split(sep).join('/');
      if (excluded.includes(full)) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(path) && !SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && !SKIPPED_FILES.some((pattern) => pattern.test(path))) {
        files.push(editionFile(full, path));
      }
    }
  };
  walk(root);
  return overlayStudentTemplates(root, files);
}

/** templates/student/<path> replaces or adds <path> in the edition (README.md, .github/workflows/...). */
function overlayStudentTemplates(root: string, files: EditionFile[]): EditionFile[] {
  const overlayDir = join(root, STUDENT_OVERLAY);
  if (!existsSync(overlayDir)) return files;
  const byPath = new Map(files.map((file) => [file.path, file]));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const path = relative(overlayDir, full).split(sep).join('/');
        byPath.set(path, { path, text: readFileSync(full), todos: [] });
      }
    }
  };
  walk(overlayDir);
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}

function editionFile(full: string, path: string): EditionFile {
  if (path.startsWith('labs/') && CODE.test(path)) {
    const { text, todos } = stripSolutions(readFileSync(full, 'utf8'), path);
    return { path, text, todos };
  }
  return { path, text: readFileSync(full), todos: [] };
}

/** Writes the student edition of `root` to `out`, which must not exist yet or be empty. */
export function writeStudentEdition(root: string, out: string): EditionFile[] {
  const target = resolve(out);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(`${out} is not empty; give --out a new or empty folder.`);
  }
  const files = planStudentEdition(resolve(root), [target]);
  for (const file of files) {
    const destination = join(target, file.path);
    mkdirSync(dirname(destination), { recursive: true });
    writeFileSync(destination, file.text);
  }
  return files;
}
