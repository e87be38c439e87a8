import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripSolutions } from '../solution-markers.ts';
import { fingerprint, K, similarity, type Fingerprint } from './code-fingerprint.ts';
import { csvField } from './gradebook.ts';

/**
 * The similarity flag of the instructor's reports: per lab, the code each student wrote
 * where the starter had TODO stubs, compared with the reference solution and with every
 * other student's (code-fingerprint.ts). A pair at or above THRESHOLD is flagged for a
 * human to look at: a short TODO has few ways to be written, and the reference is what
 * a good answer looks like.
 */
export const REFERENCE = 'reference solution';
export const THRESHOLD = 0.9;
/** Less code of one's own than this is not compared: a one-line TODO looks like everyone's. */
export const MIN_TOKENS = 50;
/** Bigger files are not hand-written lab code (and a submission is not trusted to keep them small). */
const MAX_FILE_BYTES = 512 * 1024;

export interface SimilarityPair {
  lab: string;
  student: string;
  /** Another student, or REFERENCE. */
  other: string;
  score: number;
}

export interface ClassSubmissions {
  /** The instructor's project: labs/NN-name holds the reference solution. */
  root: string;
  /** One folder per student, as `npm run grade --submissions` takes it. */
  submissions: string;
  students: string[];
  labIds: string[];
}

/** Every pair of a lab where both sides wrote at least MIN_TOKENS, by lab, then highest score first. */
export function compareClass(input: ClassSubmissions): SimilarityPair[] {
  const pairs: SimilarityPair[] = [];
  for (const lab of input.labIds) {
    const reference = codeFiles(join(input.root, 'labs', lab));
    const starters = new Map([...reference].map(([path, text]) => [path, stripSolutions(text, `labs/${lab}/${path}`).text]));
    const against = (files: Map<string, string>) => fingerprint([...files].map(([path, source]) => ({ source, starter: starters.get(path) ?? '' })));
    const candidates: Array<[string, Fingerprint]> = [[REFERENCE, against(reference)]];
    for (const student of input.students) candidates.push([student, against(codeFiles(labFolder(input.submissions, student, lab)))]);
    const compared = candidates.filter(([, print]) => print.tokens >= MIN_TOKENS);
    const labPairs: SimilarityPair[] = [];
    compared.forEach(([name, print], i) => {
      for (const [other, otherPrint] of compared.slice(i + 1)) {
        // The reference is always the `other` side: each row is about a student.
        const [student, versus] = name === REFERENCE ? [other, name] : [name, other];
        labPairs.push({ lab, student, other: versus, score: similarity(print, otherPrint) });
      }
    });
    pairs.push(...labPairs.sort((a, b) => b.score - a.score || a.student.localeCompare(b.student) || a.other.localeCompare(b.other)));
  }
  return pairs;
}

export function isFlagged(pair: SimilarityPair): boolean {
  return pair.score >= THRESHOLD;
}

/** similarity.csv: lab, student, other (a student or "reference solution"), score (0 to 1). */
export function toSimilarityCsv(pairs: SimilarityPair[]): string {
  const rows = [['lab', 'student', 'other', 'score'], ...pairs.map((p) => [p.lab, p.student, p.other, p.score.toFixed(2)])];
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** summary.md's Similarity section: the flagged pairs. */
export function toSimilarityMarkdown(pairs: SimilarityPair[]): string {
  const flagged = pairs.filter(isFlagged);
  const out = [
    '## Similarity',
    '',
    `A flag for a human to look at, not a verdict: short TODOs have few good answers, and the reference solution is one of them. ` +
      `Compared per lab: the code each student added to the starter (a diff of tokens), without comments and layout, names reduced to their kind ` +
      `(shared runs of ${K} tokens, Jaccard); only students with at least ${MIN_TOKENS} tokens of their own. ` +
      `Pairs at ${THRESHOLD.toFixed(2)} or above are listed; every score is in similarity.csv.`,
    '',
  ];
  if (flagged.length === 0) out.push('No pair reached the threshold.');
  else {
    out.push('| lab | student | other | score |', '|---|---|---|---:|');
    for (const pair of flagged) out.push(`| ${pair.lab} | ${cell(pair.student)} | ${cell(pair.other)} | ${pair.score.toFixed(2)} |`);
  }
  out.push('');
  return out.join('\n');
}

/**
 * Like grade-batch's labs folder: <student>/labs/<lab> in a clone of the student edition,
 * else <student>/<lab>. Folders only, never a link: a submission's `labs -> /` must not
 * send this walk through the grader's disk.
 */
function labFolder(submissions: string, student: string, lab: string): string {
  const base = join(submissions, student);
  return join(isFolder(join(base, 'labs')) ? join(base, 'labs') : base, lab);
}

/** The lab's code (.ts, tests left out) by path relative to the folder; regular files only, so a link or a FIFO is never read. */
function codeFiles(dir: string, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  if (!isFolder(dir)) return files;
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    const stat = lstatSync(full);
    if (stat.isDirectory()) for (const [path, text] of codeFiles(full, `${prefix}${name}/`)) files.set(path, text);
    else if (stat.isFile() && name.endsWith('.ts') && !name.endsWith('.test.ts') && stat.size <= MAX_FILE_BYTES) files.set(`${prefix}${name}`, readFileSync(full, 'utf8'));
  }
  return files;
}

function isFolder(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
