import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { build, transformSync, type BuildOptions, type Metafile, type Plugin } from 'esbuild';

/**
 * The student edition's trusted runtime, compiled from its entry points (DESIGN §8a: "the
 * student edition holds no readable reference: the emulator ships as a bundled build").
 *
 * Bundled, with esbuild, minified, no comments, every package of node_modules left external:
 * - the runtime entries (RUNTIME_ENTRIES: the lab runner, the standalone emulator, the
 *   GitHub Classroom self-check),
 * - every visible lab check (checks/NN-name.check.ts; hidden checks never enter a build),
 * - and every module the bundled code loads by path at run time (found, not listed: see
 *   "Run-time references" below), e.g. checks/vitest.config.ts, which the lab runner hands
 *   to vitest, the reporter the config names, sandbox/agent.ts, which the grader compiles
 *   for the student's process.
 *
 * Layout in the edition:
 * - a TypeScript entry keeps its path, as a two-line stub that re-exports its bundle:
 *   `export * from '../runtime/checks/02-buckets.check.js'`. Everything that finds the file
 *   by path (`tsx scripts/lab.ts`, grader/labs.ts looking for checks/<id>.check.ts, vitest's
 *   include pattern, the workflow running grader/reports/classroom-cli.ts) is unchanged, and
 *   vite/tsx parse a stub, never minified JavaScript as TypeScript (where `a<b>(c)` would
 *   read as a generic call).
 * - runtime/<entry path>.js: the bundles, and runtime/chunks/: code shared by several
 *   entries, once (esbuild's code splitting), so that a module two entries import in one
 *   process (a vitest setup file and a check) is still one module instance, as with the
 *   sources.
 * - a JavaScript entry (.mjs/.cjs/.js, e.g. sandbox/network-guard.mjs) is replaced in place
 *   by a self-contained bundle of itself: such a file may be read and copied elsewhere (the
 *   grader copies the network guard into the student's work folder), so it cannot point
 *   at runtime/.
 *
 * `import.meta` moves with the code into runtime/, so every `import.meta.url` (and
 * `.dirname`, `.filename`, and `.resolve` of a relative specifier) is rewritten to the
 * location of the source module it was written in: `new URL('../fixtures/notes.json',
 * import.meta.url)` still finds fixtures/notes.json, `new URL('..', import.meta.url)` still
 * finds the project root. (Code that is bundled AGAIN at run time, sandbox/agent.ts, would
 * get its source location too rather than the final bundle's; it uses no import.meta.)
 *
 * Run-time references. Every project module compiled into a bundle is scanned (comments and
 * types stripped) for string literals that name an existing project file, relative to the
 * module or to the root, other than its imports: 'checks/vitest.config.ts' (run by the lab
 * runner with the root as cwd), './checks/support/lab-reporter.ts' (the config's reporter),
 * new URL('../sandbox/agent.ts', import.meta.url). A code file found that way is bundled as
 * an entry too (until nothing new is found), unless the edition ships it as source (labs/,
 * the student's; the visible case table). A file read with `new URL(<literal>,
 * import.meta.url)` that is not code is an asset (fixtures/notes.json, fixtures/website/):
 * the release fails if the edition leaves it out.
 * A run-time reference to emulator source, the lab 06 reference or a hidden check fails the
 * release: it would have to ship.
 */

/** The runtime a student runs, besides the lab checks. */
export const RUNTIME_ENTRIES = ['scripts/lab.ts', 'scripts/emulator.ts', 'grader/reports/classroom-cli.ts'];

/** Where the bundles go in the edition. */
export const RUNTIME_DIR = 'runtime';

/** Never an entry (they would ship by path); their code may only be inside bundles. */
const NEVER_BY_PATH = [/^emulator\//, /^fixtures\/policy\/lab-06-reference\.ts$/, /\.hidden\.check\.ts$/];

const TS_ENTRY = /\.(ts|mts|cts)$/;
const JS_ENTRY = /\.(mjs|cjs|js)$/;
/** Project code by extension; .js under fixtures/ is website content, not code. */
export const isCode = (path: string): boolean => TS_ENTRY.test(path) || (JS_ENTRY.test(path) && !path.startsWith('fixtures/'));

/** Stands for the path from an output file back to the project root, in rewritten import.meta expressions. */
const ROOT_TOKEN = '__EDITION_ROOT__/';

export interface BundledFile {
  /** Path in the edition, with forward slashes. */
  path: string;
  text: string;
}

export interface EditionBundles {
  /** Stubs at the entries' paths, the bundles and chunks under runtime/, in-place JavaScript bundles. */
  files: BundledFile[];
  /** Every entry bundled, project-relative. */
  entries: string[];
  /** Every project source compiled into some bundle. */
  sources: string[];
  /** What the bundled code reads at run time through `new URL(<literal>, import.meta.url)` and is not code. */
  assets: Array<{ path: string; readBy: string }>;
}

/** The visible checks of the project, project-relative. */
export function checkEntries(root: string): string[] {
  const dir = join(root, 'checks');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((name) => name.endsWith('.check.ts') && !name.endsWith('.hidden.check.ts'))
    .map((name) => `checks/${name}`);
}

interface Scan {
  /** Code files this module names at run time. */
  code: string[];
  /** Non-code files and folders this module reads through new URL(<literal>, import.meta.url). */
  assets: string[];
}

/**
 * Bundles the runtime of `root` for the edition (nothing is written). `shipsAsSource`: the
 * code files the edition ships readable (the labs, the visible case table), which a run-time
 * reference leaves as they are.
 */
export async function bundleEdition(root: string, shipsAsSource: (path: string) => boolean): Promise<EditionBundles> {
  root = resolve(root);
  const scans = new Map<string, Scan>();
  let entries = [...RUNTIME_ENTRIES.filter((entry) => existsSync(join(root, entry))), ...checkEntries(root)];
  for (;;) {
    const result = await buildAll(root, entries, scans);
    const found = new Set<string>();
    for (const source of result.sources) {
      for (const path of scans.get(source)?.code ?? []) if (!entries.includes(path) && !shipsAsSource(path)) found.add(path);
    }
    if (found.size === 0) {
      const assets = result.sources.flatMap((source) => (scans.get(source)?.assets ?? []).map((path) => ({ path, readBy: source })));
      return { ...result, entries: [...entries].sort(), assets };
    }
    for (const path of found) {
      const offender = NEVER_BY_PATH.find((pattern) => pattern.test(path));
      const by = result.sources.filter((source) => scans.get(source)?.code.includes(path));
      if (offender) throw new Error(`${by.join(', ')} load(s) ${path} by path at run time; the student edition cannot ship it. Import it instead, so that it is bundled.`);
    }
    entries = [...entries, ...found];
  }
}

async function buildAll(root: string, entries: string[], scans: Map<string, Scan>): Promise<Omit<EditionBundles, 'entries' | 'assets'>> {
  const tsEntries = entries.filter((entry) => TS_ENTRY.test(entry));
  const jsEntries = entries.filter((entry) => !TS_ENTRY.test(entry));
  const files: BundledFile[] = [];
  const sources = new Set<string>();
  const common: BuildOptions = {
    ...bundleBase(root),
    // The AWS SDK, vitest, dynalite, tsx...: installed by `npm ci` in the edition, never copied.
    packages: 'external',
    plugins: [rewriteImportMeta(root, scans)],
  };

  if (tsEntries.length > 0) {
    const result = await build({
      ...common,
      entryPoints: tsEntries.map((entry) => join(root, entry)),
      format: 'esm',
      splitting: true,
      outdir: join(root, RUNTIME_DIR),
      outbase: root,
      entryNames: '[dir]/[name]',
      chunkNames: 'chunks/[name]-[hash]',
      write: false,
      metafile: true,
    });
    collectSources(result.metafile, sources);
    for (const output of result.outputFiles) {
      const path = relative(root, output.path).split(sep).join('/');
      files.push({ path, text: resolveRootToken(output.text, path) });
    }
    for (const [outPath, meta] of Object.entries(result.metafile.outputs)) {
      // (A dynamic import's chunk has an entry point too: only the entries get a stub.)
      if (!meta.entryPoint || !tsEntries.includes(meta.entryPoint)) continue;
      const bundle = outPath.split(sep).join('/');
      files.push({ path: meta.entryPoint, text: stub(meta.entryPoint, bundle, meta.exports) });
    }
  }
  for (const entry of jsEntries) {
    // One build per file: self-contained, no chunk shared with anything.
    const result = await build({ ...common, entryPoints: [join(root, entry)], format: entry.endsWith('.cjs') ? 'cjs' : 'esm', outfile: join(root, entry), allowOverwrite: true, write: false, metafile: true });
    collectSources(result.metafile, sources);
    files.push({ path: entry, text: resolveRootToken(result.outputFiles[0]!.text, entry) });
  }
  return { files: files.sort((a, b) => a.path.localeCompare(b.path)), sources: [...sources].sort() };
}

/**
 * What every bundle of the course shares (the edition's runtime here, the standalone emulator
 * in standalone-bundles.ts): Node 20, minified, no comments, esbuild's own messages silenced
 * (a failure throws with them).
 */
export function bundleBase(root: string): BuildOptions {
  return { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', minify: true, legalComments: 'none', charset: 'utf8', logLevel: 'silent' };
}

function collectSources(metafile: Metafile, into: Set<string>): void {
  for (const input of Object.keys(metafile.inputs)) if (!input.includes('node_modules/')) into.add(input.split(sep).join('/'));
}

const STUB_HEADER = '// The course\'s grading runtime, bundled by `npm run release` (see runtime/README.md).';

/** The file at an entry's own path: re-exports its bundle. */
function stub(entry: string, bundle: string, exports: string[]): string {
  const specifier = posix.relative(posix.dirname(entry), bundle);
  const from = JSON.stringify(specifier.startsWith('.') ? specifier : `./${specifier}`);
  const lines = [STUB_HEADER, `export * from ${from};`];
  if (exports.includes('default')) lines.push(`export { default } from ${from};`);
  return `${lines.join('\n')}\n`;
}

/** True for a stub written by this module (the edition test tells stubs from sources with it). */
export function isRuntimeStub(text: string): boolean {
  const lines = text.trimEnd().split('\n');
  return (
    lines[0] === STUB_HEADER &&
    lines.length <= 3 &&
    lines.slice(1).every((line) => /^export (\*|\{ default \}) from "(\.\.?\/)+runtime\/[\w./-]+\.js";$/.test(line))
  );
}

/** The token replaced by the way from this output file back to the root ("../../"). */
function resolveRootToken(text: string, outputPath: string): string {
  const depth = outputPath.split('/').length - 1;
  return text.split(ROOT_TOKEN).join('../'.repeat(depth));
}

/**
 * An esbuild plugin: each project module's `import.meta` is rewritten to its source
 * location (see the module comment), and the module is scanned for run-time references.
 */
function rewriteImportMeta(root: string, scans: Map<string, Scan>): Plugin {
  return {
    name: 'edition-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mts|cts|mjs|cjs|js)$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const path = relative(root, args.path).split(sep).join('/');
        const loader = TS_ENTRY.test(path) ? 'ts' : 'js';
        const source = readFileSync(args.path, 'utf8');
        if (!scans.has(path)) scans.set(path, scanReferences(root, path, source, loader));
        const code = compiled(source, loader);
        return { contents: rewriteSource(path, code ?? source), loader: code === undefined ? loader : 'js' };
      });
    },
  };
}

/**
 * The module as esbuild would compile it, without comments (and types), as JavaScript: what
 * rewriteSource reads, so that an apostrophe in a comment cannot open a string. Undefined on
 * a syntax error, which the build then reports on the source.
 */
function compiled(source: string, loader: 'ts' | 'js'): string | undefined {
  try {
    return transformSync(source, { loader, target: 'esnext', legalComments: 'none' }).code;
  } catch {
    return undefined;
  }
}

/**
 * Rewrites every `import.meta.<member>` of the code, and none inside a quoted string (the
 * agent's bundle banner writes `createRequire(import.meta.url)` as text for the student's
 * process, where it must stay as written). Template literal text is not told apart from code.
 */
function rewriteSource(path: string, source: string): string {
  const here = `new URL(${JSON.stringify(ROOT_TOKEN + path)}, import.meta.url)`;
  let needsUrlHelpers = false;
  const codeOrString = /(["'])(?:\\.|(?!\1)[^\\\n])*\1|\bimport\.meta\.(url|dirname|filename|resolve)\b/g;
  const rewritten = source.replace(codeOrString, (match, quote: string | undefined, member: string) => {
    if (quote) return match;
    switch (member) {
      case 'url':
        return `(${here}.href)`;
      case 'filename':
        needsUrlHelpers = true;
        return `__editionFileURLToPath(${here})`;
      case 'dirname':
        needsUrlHelpers = true;
        return `__editionDirname(__editionFileURLToPath(${here}))`;
      default:
        // Relative specifiers from the source's place; packages resolve the same from anywhere in the project.
        return `((specifier) => (/^\\.{1,2}\\//.test(specifier) ? new URL(specifier, ${here}).href : import.meta.resolve(specifier)))`;
    }
  });
  if (!needsUrlHelpers) return rewritten;
  const helpers = "import { fileURLToPath as __editionFileURLToPath } from 'node:url';\nimport { dirname as __editionDirname } from 'node:path';\n";
  const shebang = /^#!.*\n/.exec(rewritten)?.[0] ?? '';
  return shebang + helpers + rewritten.slice(shebang.length);
}

/** String literals of a module (comments and types stripped) that name project files. */
function scanReferences(root: string, path: string, source: string, loader: 'ts' | 'js'): Scan {
  let code: string;
  try {
    code = transformSync(source, { loader, format: 'esm', target: 'esnext', legalComments: 'none' }).code;
  } catch {
    // esbuild's build reports the syntax error itself.
    return { code: [], assets: [] };
  }
  const moduleDir = dirname(join(root, path));
  const scan: Scan = { code: [], assets: [] };
  const literal = /(["'`])((?:\\.|(?!\1)[^\\\n])*)\1/g;
  for (let match = literal.exec(code); match; match = literal.exec(code)) {
    const value = match[2]!;
    const before = code.slice(Math.max(0, match.index - 24), match.index);
    if (/(\bfrom|\bimport|\bimport\s*\(|\brequire\s*\()\s*$/.test(before)) continue;
    if (!/^[\w@.\/-]+$/.test(value) || !/[A-Za-z]/.test(value)) continue;
    const viaImportMeta = /^\s*,\s*import\.meta\.url\s*\)/.test(code.slice(match.index + match[0].length)) && /new\s+URL\(\s*$/.test(before);
    const candidates = new Set([resolve(moduleDir, value), ...(viaImportMeta ? [] : [resolve(root, value)])]);
    for (const candidate of candidates) {
      const target = relative(root, candidate).split(sep).join('/');
      if (target === '' || target.startsWith('..') || isAbsolute(target) || /(^|\/)(node_modules|\.git|\.work)(\/|$)/.test(target)) continue;
      if (!existsSync(candidate)) continue;
      const isFile = statSync(candidate).isFile();
      if (isFile && isCode(target)) {
        if (target !== path && !scan.code.includes(target)) scan.code.push(target);
      } else if (viaImportMeta && !scan.assets.includes(target)) {
        scan.assets.push(isFile ? target : `${target}/`);
      }
    }
  }
  return scan;
}
