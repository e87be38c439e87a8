import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { bundleEdition, isCode, RUNTIME_DIR, type EditionBundles } from './edition-bundles.ts';
import { stripSolutions } from './solution-markers.ts';

/**
 * The student edition of the course: the project without its answers (DESIGN §8a: "the
 * student edition holds no readable reference").
 * - In labs/, every solution region becomes a `TODO n is not implemented yet` stub.
 * - No code outside labs/ ships as source: not the emulator (whose policy engine is lab 06's
 *   answer), not the lab 06 reference, not the grader, the backends, the checks or their
 *   support. The runtime a student runs is compiled from its entry points into minified
 *   bundles (edition-bundles.ts: runtime/, and a stub at each entry's path). The one
 *   exception, READABLE_CODE, is test data the checks name in their failures.
 * - Left out as well: hidden checks (checks/*.hidden.check.ts, which no bundle includes),
 *   the known-wrong submissions (fixtures/submissions), the fixture class (fixtures/class),
 *   the hidden SigV4 test vectors (fixtures/sigv4/hidden), solution-only files (`*.solution.*`
 *   under labs/), the instructors' docs (docs/, which also describe the emulator's engine),
 *   the maintainers' CI (.ci/), the instructor's templates, the emulator's container build
 *   (docker/: it bundles the emulator from source, with `npm run build:emulator`, which the
 *   edition has not), and what is not source (.git, node_modules, .work, dist, coverage, logs).
 * - templates/student/ is laid over the result: the student's README.md and the
 *   GitHub Actions workflow (.github/workflows/classroom.yml) that self-checks on push.
 * - package.json keeps its dependencies (package-lock.json is copied as is, so `npm ci`
 *   works) and loses the scripts whose files the edition does not have (release, grade,
 *   conformance, bench); tsconfig.json type-checks what ships as source.
 */
/**
 * fixtures/sigv4/hidden: the SigV4 test vectors only lab 10's hidden checks read. The visible
 * vectors (fixtures/sigv4/aws-sig-v4-test-suite) ship: lab 10's checks read them and its
 * README points students at them.
 */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.work', 'dist', 'coverage', 'fixtures/submissions', 'fixtures/class', 'fixtures/sigv4/hidden', 'templates', 'docs', 'docker', '.ci']);
const SKIPPED_FILES = [/^checks\/[^/]+\.hidden\.check\.ts$/, /\.log$/, /^labs\/.*\.solution\.[^/]+$/];
/** Code outside labs/ that ships readable: lab 06's visible case table, which its checks name in every table failure. */
const READABLE_CODE = ['fixtures/policy/lab-06-cases.ts'];
/** Laid over the edition's root: the student's README and workflow. */
const STUDENT_OVERLAY = 'templates/student';
const LAB_CODE = /\.(ts|js|mjs|cjs)$/;

export interface EditionFile {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  text: Buffer | string;
  /** TODO numbers of the solution regions replaced in this file. */
  todos: number[];
}

export interface StudentEdition {
  files: EditionFile[];
  bundles: EditionBundles;
}

/** Code the edition ships as source: the labs (stubbed) and READABLE_CODE. */
export function shipsAsSource(path: string): boolean {
  return path.startsWith('labs/') || READABLE_CODE.includes(path);
}

/**
 * The edition's files that are not compiled: labs (stubbed), data, docs of the labs, the
 * student overlay, transformed in memory (marker errors surface before anything is
 * written). Synchronous and without the bundles: batch grading reads the starters here.
 */
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
      } else if (entry.isFile() && !SKIPPED_FILES.some((pattern) => pattern.test(path)) && (!isCode(path) || shipsAsSource(path))) {
        files.push(editionFile(full, path));
      }
    }
  };
  walk(root);
  return overlayStudentTemplates(root, files);
}

/** The whole edition: the plan, the runtime bundles, package.json and tsconfig.json for it. */
export async function buildStudentEdition(root: string, exclude: string[] = []): Promise<StudentEdition> {
  root = resolve(root);
  const planned = planStudentEdition(root, exclude);
  const bundles = await bundleEdition(root, shipsAsSource);
  const byPath = new Map(planned.map((file) => [file.path, file]));
  for (const file of bundles.files) {
    if (byPath.has(file.path)) throw new Error(`${file.path} is both a file of the edition and a bundle.`);
    byPath.set(file.path, { path: file.path, text: file.text, todos: [] });
  }
  byPath.set(`${RUNTIME_DIR}/README.md`, { path: `${RUNTIME_DIR}/README.md`, text: RUNTIME_README, todos: [] });
  const paths = [...byPath.keys()];
  const missing = bundles.assets.filter((asset) => !(asset.path.endsWith('/') ? paths.some((p) => p.startsWith(asset.path)) : byPath.has(asset.path)));
  if (missing.length > 0) {
    throw new Error(`The edition leaves out what its runtime reads: ${missing.map((a) => `${a.path} (read by ${a.readBy})`).join(', ')}.`);
  }
  for (const [path, adapt] of [
    ['package.json', adaptPackageJson],
    ['tsconfig.json', adaptTsconfig],
  ] as const) {
    const file = byPath.get(path);
    if (file) byPath.set(path, { ...file, text: adapt(file.text.toString(), byPath) });
  }
  return { files: [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path)), bundles };
}

const RUNTIME_README = `# runtime/

The course's own machinery, compiled: the lab runner (\`npm run lab:N\`), the AWS emulator
(\`npm run emulator\`) and the graded checks. \`npm run release\` bundles and minifies it from
the instructor's sources; a file such as \`scripts/lab.ts\` or \`checks/02-buckets.check.ts\`
only re-exports its bundle here.

It is not part of the exercises: you never need to read or change it. Everything you work
on is in \`labs/\`, and each lab's README says what is graded and how.
`;

/**
 * Scripts that run a file the edition does not have are dropped; dependencies stay as they
 * are. A script that runs an entry through tsx (`tsx scripts/lab.ts 3`) runs its bundle with
 * plain node instead (`node runtime/scripts/lab.js 3`): the bundle is JavaScript already, and
 * tsx's module hooks cost every `npm run lab:N` about 0.4 s (measured on 2 cores).
 */
function adaptPackageJson(text: string, files: Map<string, EditionFile>): string {
  const manifest = JSON.parse(text) as { scripts?: Record<string, string> };
  if (!manifest.scripts) return text;
  const runsMissingFile = (command: string) => (command.match(/[\w./-]+\.(ts|mts|cts|mjs|cjs|js)\b/g) ?? []).some((file) => !files.has(file.replace(/^\.\//, '')));
  const scripts = Object.fromEntries(
    Object.entries(manifest.scripts)
      .filter(([, command]) => !runsMissingFile(command))
      .map(([name, command]) => [name, withPlainNode(command, files)]),
  );
  return `${JSON.stringify({ ...manifest, scripts }, null, 2)}\n`;
}

/** `tsx <entry>.ts args` as `node runtime/<entry>.js args` when the edition has that entry's bundle. */
function withPlainNode(command: string, files: Map<string, unknown>): string {
  const match = /^tsx ([\w./-]+)\.ts(?= |$)/.exec(command);
  if (!match) return command;
  const bundle = `${RUNTIME_DIR}/${match[1]!.replace(/^\.\//, '')}.js`;
  return files.has(bundle) ? `node ${bundle}${command.slice(match[0].length)}` : command;
}

/** `npm run typecheck` in the edition: the folders with code that ships as source (the stubs re-export plain JavaScript). */
function adaptTsconfig(text: string, files: Map<string, EditionFile>): string {
  const config = JSON.parse(text) as { include?: string[] };
  if (!config.include) return text;
  const readable = [...files.keys()].filter((path) => isCode(path) && shipsAsSource(path));
  const include = config.include.filter((pattern) =>
    pattern.includes('*') ? readable.some((path) => !path.includes('/') && path.endsWith(pattern.replace(/^\*/, ''))) : readable.some((path) => path === pattern || path.startsWith(`${pattern}/`)),
  );
  if (include.length === config.include.length) return text;
  return `${JSON.stringify({ ...config, include }, null, 2)}\n`;
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
  if (path.startsWith('labs/') && LAB_CODE.test(path)) {
    const { text, todos } = stripSolutions(readFileSync(full, 'utf8'), path);
    return { path, text, todos };
  }
  return { path, text: readFileSync(full), todos: [] };
}

/** Writes the student edition of `root` to `out`, which must not exist yet or be empty. */
export async function writeStudentEdition(root: string, out: string): Promise<StudentEdition> {
  const target = resolve(out);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(`${out} is not empty; give --out a new or empty folder.`);
  }
  const edition = await buildStudentEdition(resolve(root), [target]);
  for (const file of edition.files) {
    const destination = join(target, file.path);
    mkdirSync(dirname(destination), { recursive: true });
    writeFileSync(destination, file.text);
  }
  return edition;
}
