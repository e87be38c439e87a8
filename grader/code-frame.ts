import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { transform } from 'esbuild';

/** Where a compile error is: esbuild's location (line 1-based, column 0-based, in characters). */
export interface SourceLocation {
  /** The path as the student should read it, e.g. labs/02-buckets/create-bucket.ts. */
  file: string;
  line: number;
  column: number;
  lineText: string;
}

/**
 * A compile error as a student reads it, once:
 *
 *   labs/02-buckets/create-bucket.ts:12:19: Expected ";" but found "bar"
 *     12 |   const x = foo bar;
 *        |                 ^
 *
 * The caret line copies the source line's tabs, so it points at the right column however
 * the terminal draws a tab.
 */
export function codeFrame(location: SourceLocation, message: string): string {
  const number = String(location.line);
  const gutter = ' '.repeat(number.length);
  const lead = location.lineText.slice(0, location.column).replace(/[^\t]/g, ' ');
  return [`${location.file}:${location.line}:${location.column + 1}: ${message}`, `  ${number} | ${location.lineText}`, `  ${gutter} | ${lead}^`].join('\n');
}

interface EsbuildMessage {
  text: string;
  location?: { line: number; column: number; lineText: string } | null;
}

/** esbuild's first error of a failed build or transform, as a code frame (or its bare text without a location). */
export function frameOfEsbuildError(error: unknown, file: string): string {
  const first = (error as { errors?: EsbuildMessage[] }).errors?.[0];
  if (!first) return `${file}: could not compile: ${error instanceof Error ? error.message : String(error)}`;
  if (!first.location) return `${file}: ${first.text}`;
  return codeFrame({ file, line: first.location.line, column: first.location.column, lineText: first.location.lineText }, first.text);
}

const isSource = (name: string) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts');

/** The lab's TypeScript files (relative paths), node_modules and dot-folders left out. */
export function labSourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') return [];
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return labSourceFiles(dir, path);
    return entry.isFile() && isSource(entry.name) ? [path] : [];
  });
}

/**
 * The syntax errors of a lab folder, one code frame per file that does not parse. Each
 * file is transformed on its own (milliseconds): this is what tsx would fail on when it
 * runs the program, without its 15-line stack trace.
 */
export async function findSyntaxErrors(labDir: string, shownFrom: string = process.cwd()): Promise<string[]> {
  const files = labSourceFiles(labDir);
  const frames = await Promise.all(
    files.map(async (file) => {
      const shown = relative(shownFrom, join(labDir, file)).split(sep).join('/');
      try {
        await transform(readFileSync(join(labDir, file), 'utf8'), { loader: 'ts', sourcefile: shown, logLevel: 'silent' });
        return undefined;
      } catch (error) {
        return frameOfEsbuildError(error, shown);
      }
    }),
  );
  return frames.filter((frame): frame is string => frame !== undefined);
}
