import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { bundleBase } from './edition-bundles.ts';

/**
 * Standalone bundles: one project entry and every package it imports in ONE ES module
 * file, started with plain `node FILE` (no tsx compiling TypeScript at start, no
 * node_modules beside it). The standalone emulator is the one everybody uses: the
 * container image (docker/Dockerfile) copies it, the LocalStack stand-in image runs it,
 * and `npm run build:emulator` writes it to dist/ (gitignored). The options are the
 * edition's (bundleBase), so both ship the same minified code.
 *
 * Two things a bundler cannot follow on its own are handled here:
 * - `createRequire(import.meta.url)` in project code (dynalite-engine.ts loads dynalite's
 *   CommonJS modules by computed name, `dynalite/actions/${file}.js`): the require
 *   function it makes becomes a table of the modules its `require(...)` literals can name,
 *   each bundled (a template literal's `${...}` matches any file name there).
 * - packages that load native code by path at run time and that the emulator never calls
 *   (OMITTED_PACKAGES) are replaced by a stub that says so if anything does call them.
 */

/** The standalone emulator: `npm run emulator`'s own entry, so the same options and banner. */
export const EMULATOR_ENTRY = 'scripts/emulator.ts';

/** Where `npm run build:emulator` writes it (gitignored). */
export const EMULATOR_BUNDLE = 'dist/emulator.mjs';

/**
 * Packages replaced by a stub. `level` is dynalite's on-disk store (classic-level, a native
 * addon found through node-gyp-build next to its own files); dynalite opens it only when given
 * a `path`, and the emulator keeps tables in memory (memory-level, bundled).
 */
const OMITTED_PACKAGES: Record<string, { exports: string[]; why: string }> = {
  level: { exports: ['Level'], why: "dynalite's on-disk store; the emulator keeps its tables in memory" },
};

export interface StandaloneBundle {
  /** The module's text. */
  text: string;
  /** sha256 of the text, hex. */
  hash: string;
  /** Project sources compiled in (node_modules left out), for tests and messages. */
  sources: string[];
}

/** Bundles `entry` (project-relative) with every package it imports; nothing is written. */
export async function bundleStandalone(root: string, entry: string): Promise<StandaloneBundle> {
  root = resolve(root);
  const result = await build({
    ...bundleBase(root),
    entryPoints: [join(root, entry)],
    format: 'esm',
    outfile: join(root, 'standalone.mjs'),
    write: false,
    metafile: true,
    // Bundled CommonJS packages require Node built-ins (crypto, events...); in an ES module
    // that needs a real `require`, which esbuild's shim otherwise refuses.
    banner: { js: "import { createRequire as __standaloneCreateRequire } from 'node:module';\nconst require = __standaloneCreateRequire(import.meta.url);" },
    plugins: [inlineCreateRequire(root), omitPackages()],
  });
  const text = result.outputFiles[0]!.text;
  const sources = Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes('node_modules/') && !input.includes(':'))
    .map((input) => input.split(sep).join('/'))
    .sort();
  return { text, hash: createHash('sha256').update(text).digest('hex'), sources };
}

/**
 * Writes the bundle of `entry` to `outFile` (project-relative) and returns it. The file is
 * replaced in one rename, so a process starting it never reads half of it.
 */
export async function writeStandaloneBundle(root: string, entry: string, outFile: string): Promise<StandaloneBundle & { path: string }> {
  const bundle = await bundleStandalone(root, entry);
  const path = resolve(root, outFile);
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, bundle.text);
  renameSync(partial, path);
  return { ...bundle, path };
}

const INLINE_REQUIRE = 'standalone-inline-require';

/** See the module comment: createRequire(import.meta.url) in project code, bundled. */
function inlineCreateRequire(root: string): Plugin {
  return {
    name: 'standalone-inline-create-require',
    setup(build) {
      /** The generated require tables, by the project path of the module that makes one. */
      const tables = new Map<string, string>();
      build.onLoad({ filter: /\.(ts|mts|cts)$/, namespace: 'file' }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('createRequire(import.meta.url)')) return undefined;
        const path = relative(root, args.path).split(sep).join('/');
        const specifiers = requiredSpecifiers(root, args.path, source);
        if (specifiers.length === 0) {
          throw new Error(`${path} makes a require function with createRequire(import.meta.url) but requires nothing a bundle can find`);
        }
        const table = specifiers.map((specifier) => `  ${JSON.stringify(specifier)}: () => require(${JSON.stringify(specifier)}),`).join('\n');
        const module = [
          `const modules = {\n${table}\n};`,
          `export default function bundledRequire(id) {`,
          `  const load = modules[id];`,
          // A computed name that matched no file at build time: say so, as Node would say it cannot find it.
          `  if (!load) throw new Error(${JSON.stringify(`${path} requires `)} + id + ', which is not in this bundle');`,
          `  return load();`,
          `}`,
        ].join('\n');
        tables.set(path, module);
        const replaced = source.split('createRequire(import.meta.url)').join('__standaloneRequire');
        return {
          contents: `import __standaloneRequire from ${JSON.stringify(`${INLINE_REQUIRE}:${path}`)};\n${replaced}`,
          loader: 'ts',
          resolveDir: dirname(args.path),
        };
      });
      build.onResolve({ filter: new RegExp(`^${INLINE_REQUIRE}:`) }, (args) => ({ path: args.path.slice(INLINE_REQUIRE.length + 1), namespace: INLINE_REQUIRE }));
      build.onLoad({ filter: /.*/, namespace: INLINE_REQUIRE }, (args) => ({ contents: tables.get(args.path)!, loader: 'js', resolveDir: root }));
    },
  };
}

/**
 * Package specifiers a module's require(...) calls name: string literals as they are, and
 * template literals with each `${...}` matching any file name in that folder of the package.
 */
function requiredSpecifiers(root: string, file: string, source: string): string[] {
  const found = new Set<string>();
  const call = /\brequire\(\s*(['"`])((?:\\.|(?!\1)[^\\\n])*)\1\s*\)/g;
  const resolver = createRequire(join(root, 'package.json'));
  for (let match = call.exec(source); match; match = call.exec(source)) {
    const specifier = match[2]!;
    if (specifier.startsWith('.')) throw new Error(`${relative(root, file)}: require(${match[0]}) by relative path; import it instead`);
    if (match[1] !== '`' || !specifier.includes('${')) {
      found.add(specifier);
      continue;
    }
    const folder = posix.dirname(specifier);
    if (folder.includes('${')) throw new Error(`${relative(root, file)}: ${specifier}: only the file name may be computed`);
    const pattern = new RegExp(`^${posix.basename(specifier).split(/\$\{[^}]*\}/).map(escapeRegExp).join('[^/]+')}$`);
    const packageName = folder.startsWith('@') ? folder.split('/').slice(0, 2).join('/') : folder.split('/')[0]!;
    const packageDir = dirname(resolver.resolve(`${packageName}/package.json`));
    const dir = join(packageDir, folder.slice(packageName.length));
    for (const name of readdirSync(dir).sort()) if (pattern.test(name)) found.add(`${folder}/${name}`);
  }
  return [...found].sort();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** See OMITTED_PACKAGES. */
function omitPackages(): Plugin {
  const names = Object.keys(OMITTED_PACKAGES);
  return {
    name: 'standalone-omit-packages',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${names.map(escapeRegExp).join('|')})$`) }, (args) => ({ path: args.path, namespace: 'standalone-omitted' }));
      build.onLoad({ filter: /.*/, namespace: 'standalone-omitted' }, (args) => {
        const { exports, why } = OMITTED_PACKAGES[args.path]!;
        const message = JSON.stringify(`${args.path} is not in this bundle (${why})`);
        const lines = exports.map((name) => `exports.${name} = function ${name}() { throw new Error(${message}); };`);
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}
