import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Report text comes from code the student controls (failure messages, stack frames), so
 * before it enters any report it is made plain and anonymous:
 * - ANSI escape sequences and other control characters go (\n and \t stay; \r\n becomes
 *   \n); so do bidi overrides, which can make a line read differently than it is;
 * - a path inside a grading workspace's copy of the labs becomes relative to the
 *   submission (`labs/02-buckets/create-bucket.ts:12`), whatever temp folder or realpath
 *   it was reached by; the rest of a workspace becomes `<tmp>/...`;
 * - paths under the OS temp folder become `<tmp>/...`, under the project root `<grader>/...`;
 *   a caller that knows more (where a lab was compiled to) names those paths itself;
 * - each text is cut to MAX_TEXT characters, saying so.
 */
export type Sanitize = (text: string) => string;

export const MAX_TEXT = 4000;

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

// CSI (colours, cursor moves), OSC (titles, hyperlinks) and DCS/SOS/PM/APC strings, other
// two-character escapes, then the 8-bit CSI.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]|\x9b[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// grader/batch/workspace.ts: mkdtemp(`.../grading-<student>-<lab>-`) adds 6 characters, and
// the folder may sit inside another grading-* folder. The lab copy: the first such folder
// followed by labs/. Anything else of a workspace: up to the last one. A match starts only
// where a path can start, after a character no path segment holds: each segment is then
// scanned from one start only, which keeps both linear on any text.
const WORKSPACE_LABS = /(?<![^\s'"`(<[{=,:])(?:file:\/\/)?(?:\/[^\s/'"`()<>[\]{}=,;:]+)*?\/grading-[\w-]+?-[A-Za-z0-9]{6}\/labs\//g;
const WORKSPACE = /(?<![^\s'"`(<[{=,:])(?:file:\/\/)?(?:\/[^\s/'"`()<>[\]{}=,;:]+)*\/grading-[\w-]+?-[A-Za-z0-9]{6}\//g;

export interface SanitizeOptions {
  /** The project root (default: this project). */
  root?: string;
  /** What stands for the root in reports (default `<grader>`). */
  rootAs?: string;
  /** More absolute paths and what stands for them, rewritten first (e.g. a compiled copy of a lab -> `labs/02-buckets`). */
  paths?: Record<string, string>;
}

export function createSanitizer(options: SanitizeOptions = {}): Sanitize {
  const explicit = prefixPatterns(Object.entries(options.paths ?? {}));
  const generic = prefixPatterns([
    [options.root ?? PROJECT_ROOT, options.rootAs ?? '<grader>'],
    [tmpdir(), '<tmp>'],
  ]);
  return (text) => {
    let clean = text.replace(ANSI, '').replace(/\r\n?/g, '\n').replace(CONTROL, '');
    for (const [pattern, placeholder] of explicit) clean = clean.replace(pattern, placeholder);
    clean = clean.replace(WORKSPACE_LABS, 'labs/').replace(WORKSPACE, '<tmp>/');
    for (const [pattern, placeholder] of generic) clean = clean.replace(pattern, placeholder);
    return bound(clean);
  };
}

/** Every string in a JSON-like value, sanitised; numbers, booleans and the shape stay. */
export function sanitizeDeep<T>(value: T, sanitize: Sanitize): T {
  if (typeof value === 'string') return sanitize(value) as T;
  if (Array.isArray(value)) return value.map((item) => sanitizeDeep(item, sanitize)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sanitizeDeep(item, sanitize)])) as T;
  }
  return value;
}

/** At most MAX_TEXT characters, the note included, so sanitising twice changes nothing. */
function bound(text: string): string {
  if (text.length <= MAX_TEXT) return text;
  const note = `\n[... cut to ${MAX_TEXT} of ${text.length} characters ...]`;
  return text.slice(0, MAX_TEXT - note.length) + note;
}

/** A pattern per path and its realpath (with or without file://), longest first: a project checked out under the temp folder is still the project. */
function prefixPatterns(paths: Array<[string, string]>): Array<[RegExp, string]> {
  return paths
    .flatMap(([path, placeholder]) => withRealpath(resolve(path)).map((variant) => [variant, placeholder] as [string, string]))
    .filter(([path]) => path !== '/')
    .sort((a, b) => b[0].length - a[0].length)
    .map(([path, placeholder]) => [new RegExp(`(?:file://)?${escapeRegExp(path)}(?![\\w.~-])`, 'g'), placeholder]);
}

function withRealpath(path: string): string[] {
  try {
    const real = realpathSync(path);
    return real === path ? [path] : [path, real];
  } catch {
    return [path];
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
