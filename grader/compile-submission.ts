import { copyFileSync, existsSync, mkdirSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { frameOfEsbuildError } from './code-frame.ts';
import { IMPORTABLE_PACKAGES } from './student-sandbox.ts';

/**
 * The student's lab folder, compiled for the student process (sandbox/agent.ts) by the
 * trusted side: each `.ts` file becomes `.mjs` at the same place under `outDir`, other
 * files are copied (config.ini, policies/*.json). One esbuild run per file, nothing
 * bundled: the module graph stays the student's, so module state is shared as in their
 * program.
 *
 * Why here and not in the student's process: compiling TypeScript there would need a
 * loader thread or esbuild's child process, which the sandbox forbids. And why esbuild's
 * build API rather than vite: every import is resolved HERE, through `importPolicy`, and
 * nothing outside the lab folder is ever read (no source map is followed, no file inlined).
 *
 * Graded code may import the AWS SDK, Node built-ins and files of its own lab folder,
 * nothing else: the same rule for `npm run lab:N` and `npm run grade`. A file that breaks
 * it, or does not compile, becomes a module that throws the reason when it is loaded, so
 * only the checks that need that file fail, and they say why.
 */

export interface CompiledSubmission {
  /** The compiled mirror of the lab folder. */
  dir: string;
  /** Files that did not compile or import what they may not, with the message their module throws. */
  problems: Record<string, string>;
}

const SKIPPED = new Set(['node_modules', '.git']);

/** Every regular file under `dir` (relative paths), symbolic links left out. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return listFiles(join(dir, entry.name), path);
    return entry.isFile() ? [path] : [];
  });
}

const isGradedCode = (file: string) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts');

/**
 * Compiles the student's lab folder into `outDir`, one file at a time, under the import
 * policy: `packages` (default IMPORTABLE_PACKAGES; a lab may name fewer in the course's
 * lab.json, see importablePackagesOf), Node built-ins and the lab's own files.
 */
export async function compileSubmission(labDir: string, outDir: string, packages: readonly string[] = IMPORTABLE_PACKAGES): Promise<CompiledSubmission> {
  const realLabDir = realpathSync(labDir);
  const labName = labDir.split(sep).pop()!;
  const problems: Record<string, string> = {};
  const files = listFiles(labDir);
  await Promise.all(
    files.map(async (file) => {
      const out = join(outDir, isGradedCode(file) ? file.replace(/\.ts$/, '.mjs') : file);
      mkdirSync(dirname(out), { recursive: true });
      if (!isGradedCode(file)) {
        if (!file.endsWith('.test.ts')) copyFileSync(join(labDir, file), out);
        return;
      }
      const result = await build({
        entryPoints: [join(labDir, file)],
        outfile: out,
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        sourcemap: 'inline',
        sourcesContent: false,
        logLevel: 'silent',
        plugins: [importPolicy(labDir, realLabDir, labName, packages)],
      }).catch((error: { errors?: Array<{ text: string }> }) => {
        problems[file] = describeBuildErrors(error, labDir, labName);
        return undefined;
      });
      const code = result?.outputFiles[0]?.text ?? `throw new Error(${JSON.stringify(problems[file])});\n`;
      writeFileSync(out, code);
    }),
  );
  return { dir: outDir, problems };
}

/** The first error as a code frame (file:line:column, the line, a caret, the message), or the import policy's refusal as it is. */
function describeBuildErrors(error: { errors?: Array<{ text: string }> }, labDir: string, labName: string): string {
  const first = error.errors?.[0];
  if (first?.text.includes('graded code may only import')) return first.text;
  const location = (first as { location?: { file: string } | null } | undefined)?.location;
  const file = location ? `${labName}/${relative(labDir, resolve(location.file)).split(sep).join('/')}` : labName;
  return frameOfEsbuildError(error, file);
}

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}${sep}`);
}

/** Where a relative import of the lab's own file lands in the compiled mirror. */
function compiledSpecifier(spec: string, target: string): string {
  const ext = extname(target);
  if (ext === '.ts') return spec.replace(/\.ts$/, '.mjs');
  if (ext === '.js' && !existsSync(target) && existsSync(target.replace(/\.js$/, '.ts'))) return spec.replace(/\.js$/, '.mjs');
  if (ext === '' && existsSync(`${target}.ts`)) return `${spec}.mjs`;
  return spec;
}

function importPolicy(labDir: string, realLabDir: string, labName: string, packages: readonly string[]): Plugin {
  return {
    name: 'graded-import-policy',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const spec = args.path;
        if (spec.startsWith('node:') || isBuiltin(spec)) return { path: spec, external: true };
        if (packages.some((scope) => spec.startsWith(scope))) return { path: spec, external: true };
        if (spec.startsWith('.') || spec.startsWith('/')) {
          const target = resolve(dirname(args.importer), spec);
          let real = target;
          try {
            real = realpathSync(target);
          } catch {
            // Missing: Node says so when the module is loaded.
          }
          if (inside(target, labDir) && inside(real, realLabDir) && (!existsSync(target) || statSync(target).isFile() || existsSync(`${target}.ts`))) {
            return { path: compiledSpecifier(spec, target), external: true };
          }
        }
        const importer = `${labName}/${relative(labDir, args.importer).split(sep).join('/')}`;
        return {
          errors: [
            {
              text:
                packages.length > 0
                  ? `${importer} imports ${spec}: graded code may only import the AWS SDK (${packages.map((p) => `${p}*`).join(', ')}), Node built-ins (node:*) and files of its own lab folder (${labName}/).`
                  : `${importer} imports ${spec}: in this lab, graded code may only import Node built-ins (node:*) and files of its own lab folder (${labName}/), no package: the lab asks you to write it yourself.`,
            },
          ],
        };
      });
    },
  };
}
