/**
 * Fingerprints of the code a student wrote, for the similarity flag (similarity.ts).
 *
 * Code is tokenised with comments and layout dropped and names, strings and numbers
 * reduced to their kind, so renaming variables or reformatting does not hide a copy.
 * Only what the student added counts: every submission starts from the same starter, so
 * the tokens a diff against the starter matches say nothing about who wrote what. A
 * fingerprint is the set of K consecutive tokens of the rest (the k-grams MOSS and
 * JPlag compare).
 */
export const K = 5;
/** Tokens of one file compared with its starter: more is not a hand-written lab file, and the diff's table stays small. */
const MAX_TOKENS = 5000;

export interface Fingerprint {
  /** Tokens of the student's own code. */
  tokens: number;
  grams: Set<string>;
}

// A TODO's stub (stubFor() in solution-markers.ts: a test keeps them in step) is one token, so
// the diff never matches a student's `new X(...)` with pieces of it. Then comments, strings (a
// template literal is one token, its ${} included), numbers, names, any other character.
const TOKEN = /throw new Error\('TODO \d+ is not implemented yet'\);|\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:\\.|[^'\\\n])*'?|"(?:\\.|[^"\\\n])*"?|`(?:\\[\s\S]|[^`\\])*`?|\d[\w.]*|[A-Za-z_$][\w$]*|\S/g;

// Keywords shape the code; they stay as they are, unlike names.
const KEYWORDS = new Set(
  ('as async await break case catch class const continue default delete do else export extends false finally for from function if import in ' +
    'instanceof interface let new null of return static super switch this throw true try type typeof undefined var void while yield').split(' '),
);

/** The tokens of `source` a diff against `starter` (longest common subsequence) does not match, in order. */
export function ownTokens(source: string[], starter: string[]): string[] {
  // The stubs are a small part of the file: the common head and tail need no table.
  let head = 0;
  while (head < source.length && head < starter.length && source[head] === starter[head]) head++;
  let tail = 0;
  while (tail < source.length - head && tail < starter.length - head && source[source.length - 1 - tail] === starter[starter.length - 1 - tail]) tail++;
  const a = source.slice(head, source.length - tail);
  const b = starter.slice(head, starter.length - tail);
  // lcs[i * width + j]: the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const lcs = new Uint16Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const own: string[] = [];
  for (let i = 0, j = 0; i < a.length; ) {
    if (j < b.length && a[i] === b[j] && lcs[i * width + j] === lcs[(i + 1) * width + j + 1]! + 1) {
      i++;
      j++;
    } else if (j >= b.length || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) own.push(a[i++]!);
    else j++;
  }
  return own;
}

export function normalisedTokens(code: string): string[] {
  const tokens: string[] = [];
  for (const [token] of code.matchAll(TOKEN)) {
    if (token.startsWith('//') || token.startsWith('/*')) continue;
    if (token.startsWith('throw new Error(')) tokens.push('STUB');
    else if (/^['"`]/.test(token)) tokens.push('STR');
    else if (/^\d/.test(token)) tokens.push('NUM');
    else if (/^[A-Za-z_$]/.test(token)) tokens.push(KEYWORDS.has(token) ? token : 'ID');
    else tokens.push(token);
  }
  return tokens;
}

/** One lab's files of a submission against the same files of the starter (a file the starter lacks is all the student's). */
export function fingerprint(files: Array<{ source: string; starter: string }>): Fingerprint {
  const grams = new Set<string>();
  let count = 0;
  for (const { source, starter } of files) {
    const tokens = ownTokens(normalisedTokens(source).slice(0, MAX_TOKENS), normalisedTokens(starter));
    count += tokens.length;
    for (let i = 0; i + K <= tokens.length; i++) grams.add(tokens.slice(i, i + K).join(' '));
  }
  return { tokens: count, grams };
}

/** Jaccard similarity of two fingerprints: shared k-grams over all k-grams, 0 to 1. */
export function similarity(a: Fingerprint, b: Fingerprint): number {
  const [small, large] = a.grams.size <= b.grams.size ? [a.grams, b.grams] : [b.grams, a.grams];
  let shared = 0;
  for (const gram of small) if (large.has(gram)) shared++;
  const union = a.grams.size + b.grams.size - shared;
  return union === 0 ? 0 : shared / union;
}
