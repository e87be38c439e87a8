import type { LabManifest } from './labs.ts';
import type { CheckResult, LabResult } from './lab-result.ts';

export interface Style {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** Colours only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  const color = Boolean(stream.isTTY) && !env.NO_COLOR;
  if (!color) return { green: plain, red: plain, yellow: plain, dim: plain, bold: plain };
  return { green: ansi(32, 39), red: ansi(31, 39), yellow: ansi(33, 39), dim: ansi(2, 22), bold: ansi(1, 22) };
}

const MARK: Record<CheckResult['status'], string> = { passed: '✔', failed: '✘', not_gradable: '–' };

/** Lines of the student's output shown under a failed check without --verbose (the last ones). */
export const OUTPUT_LINES = 15;

export interface ScorecardOptions {
  /** `--verbose`: all of the student's captured output, under every check that has some. */
  verbose?: boolean;
  /** Whether a failed check shows its full recipe (`--hint`, or its second failure in a row). */
  showRecipe?: (check: CheckResult) => boolean;
  /** TypeScript's complaints about the lab's files (tsx runs code without type checking). */
  typeErrors?: TypeErrorSummary;
  /** `--todo N`: only that TODO was graded. */
  todo?: number;
  /** `file:line:column` of syntax errors already shown above the scorecard: failures they cause point there. */
  syntaxErrorsShown?: string[];
  /** The terminal's width: hints and recipes wrap under their indent (default: no wrapping). */
  width?: number;
  /** How the student asks for recipes, for the closing line (e.g. "npm run lab:2 -- --hint"). */
  hintCommand?: string;
}

export interface TypeErrorSummary {
  /** `file:line:column TSnnnn message`, the first few. */
  first: string[];
  count: number;
}

/** The scorecard a student reads: per TODO its checks, points and status; hints and expected-vs-actual under failures. */
export function renderScorecard(result: LabResult, manifest: LabManifest, style: Style, options: ScorecardOptions = {}): string {
  const out: string[] = [];
  out.push('', style.bold(`Lab ${result.lab}: ${manifest.title}`), style.dim(`backend ${result.backend}, seed ${result.seed}`), '');
  const todos = [...new Set(result.checks.map((c) => c.todo))].sort((a, b) => a - b);
  const shownMessages = new Map<string, string>();
  let recipesHeld = 0;
  for (const todo of todos) {
    const checks = result.checks.filter((c) => c.todo === todo);
    const gradable = checks.filter((c) => c.status !== 'not_gradable');
    const earned = gradable.reduce((s, c) => s + c.points, 0);
    const possible = gradable.reduce((s, c) => s + c.max_points, 0);
    const title = manifest.todos.find((t) => t.todo === todo)?.title ?? '';
    const points = `${earned}/${possible}`;
    const colour = earned === possible ? style.green : earned === 0 ? style.red : style.yellow;
    out.push(`${style.bold(`TODO ${todo}`)}  ${title}  ${colour(points)}`);
    for (const check of checks) {
      const recipe = check.status === 'failed' && check.recipe !== undefined && (options.showRecipe?.(check) ?? false);
      if (check.status === 'failed' && check.recipe !== undefined && !recipe) recipesHeld++;
      out.push(...renderCheck(check, style, { recipe, verbose: options.verbose ?? false, shownMessages, shownAbove: options.syntaxErrorsShown ?? [], width: options.width }));
    }
    out.push('');
  }
  const typeErrors = options.typeErrors && withoutShownSyntaxErrors(options.typeErrors, options.syntaxErrorsShown ?? []);
  if (typeErrors && typeErrors.count > 0) out.push(...renderTypeErrors(typeErrors, style), '');
  const total = `${result.score}/${result.max_score}`;
  const full = result.max_score > 0 && result.score === result.max_score;
  const label = options.todo === undefined ? 'Total' : `TODO ${options.todo} alone`;
  out.push(style.bold(`${label}: ${full ? style.green(total) : style.red(total)}`) + (full ? (options.todo === undefined ? '  all TODOs done!' : '  done!') : ''));
  if (options.todo !== undefined) out.push(style.dim('Only this TODO was graded; run without --todo for the whole lab.'));
  const notGradable = result.checks.filter((c) => c.status === 'not_gradable');
  if (notGradable.length > 0) {
    const points = notGradable.reduce((s, c) => s + c.max_points, 0);
    out.push(style.dim(`${notGradable.length} check(s) worth ${points} point(s) not gradable on ${result.backend}; use the embedded backend to grade them.`));
  }
  if (recipesHeld > 0) {
    out.push(style.dim(`Stuck after the hint? ${options.hintCommand ?? '--hint'} shows the full recipe (so does a second failure of the same check).`));
  }
  out.push('');
  return out.join('\n');
}

function renderCheck(check: CheckResult, style: Style, how: { recipe: boolean; verbose: boolean; shownMessages: Map<string, string>; shownAbove: string[]; width: number | undefined }): string[] {
  const points = style.dim(`(${check.status === 'passed' ? check.points : 0}/${check.max_points})`);
  const hidden = check.hidden ? style.dim(' [hidden]') : '';
  const output = check.output && (how.verbose || check.status === 'failed') ? renderOutput(check.output, style, how.verbose) : [];
  switch (check.status) {
    case 'passed':
      return [`  ${style.green(MARK.passed)} ${check.name} ${points}${hidden}`, ...output];
    case 'not_gradable':
      return [`  ${style.yellow(MARK.not_gradable)} ${check.name} ${points}${hidden}`, style.dim(`      ${check.message}`)];
    case 'failed': {
      // The same failure under several checks (a file that does not compile) is shown once.
      const above = syntaxErrorAbove(check.message, how.shownAbove);
      const first = how.shownMessages.get(check.message);
      const message =
        above !== undefined
          ? [`      Your lab does not compile: see the syntax error at ${above} above.`]
          : first === undefined || !check.message.includes('\n')
            ? indent(check.message, '      ')
            : [style.dim(`      the same error as under "${first}" above`)];
      if (first === undefined) how.shownMessages.set(check.message, check.name);
      return [
        `  ${style.red(MARK.failed)} ${check.name} ${points}${hidden}`,
        ...message,
        ...wrap(`Hint: ${check.hint}`, '      ', how.width).map((line) => style.yellow(line)),
        ...(how.recipe && check.recipe ? wrap(`Recipe: ${check.recipe}`, '      ', how.width).map((line) => style.yellow(line)) : []),
        ...output,
      ];
    }
  }
}

/** The syntax error shown above the scorecard that this failure repeats (its code frame's `file:line:column`), if any. */
function syntaxErrorAbove(message: string, shownAbove: string[]): string | undefined {
  const location = /([\w./-]+\.ts:\d+:\d+): /.exec(message)?.[1];
  if (location === undefined) return undefined;
  return shownAbove.find((shown) => shown.endsWith(location) || location.endsWith(shown));
}

/** The student's own output during a check, set off by a bar; the last OUTPUT_LINES lines unless verbose. */
function renderOutput(output: string, style: Style, verbose: boolean): string[] {
  const lines = output.replace(/\n$/, '').split('\n');
  const shown = verbose ? lines : lines.slice(-OUTPUT_LINES);
  const left = lines.length - shown.length;
  return [
    style.dim('      Your code printed:'),
    ...(left > 0 ? [style.dim(`      │ … ${left} earlier line(s); --verbose shows all`)] : []),
    ...shown.map((line) => `${style.dim('      │')} ${line}`),
  ];
}

/**
 * tsc's errors less those in a file already shown above as a code frame: a file that does not
 * parse gives tsc's own wording of the same syntax error (e.g. TS1005 ')' expected), and the
 * student should read it once.
 */
function withoutShownSyntaxErrors(summary: TypeErrorSummary, syntaxErrorsShown: string[]): TypeErrorSummary {
  const fileOf = (location: string) => location.replace(/:\d+:\d+(?: .*)?$/s, '');
  const broken = new Set(syntaxErrorsShown.map(fileOf));
  const first = summary.first.filter((line) => !broken.has(fileOf(line)));
  return { first, count: summary.count - (summary.first.length - first.length) };
}

function renderTypeErrors(summary: TypeErrorSummary, style: Style): string[] {
  const more = summary.count - summary.first.length;
  return [
    style.yellow(`⚠ TypeScript: ${summary.count} type error(s) in your lab (the program and the checks ran anyway: tsx does not type-check)`),
    ...summary.first.map((line) => style.yellow(`    ${line}`)),
    ...(more > 0 ? [style.yellow(`    … and ${more} more (npx tsc --noEmit -p . lists them all)`)] : []),
  ];
}

/** Indented lines, cut at spaces to fit `width` (when given); a word longer than the line stays whole. */
function wrap(text: string, prefix: string, width: number | undefined): string[] {
  if (width === undefined || width <= prefix.length + 20) return indent(text, prefix);
  const room = width - prefix.length;
  return text.split('\n').flatMap((paragraph) => {
    const lines: string[] = [];
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > room) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
    return lines.map((l) => `${prefix}${l}`);
  });
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}
