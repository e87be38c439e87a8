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

/** The scorecard a student reads: per TODO its checks, points and status; hints and expected-vs-actual under failures. */
export function renderScorecard(result: LabResult, manifest: LabManifest, style: Style): string {
  const out: string[] = [];
  out.push('', style.bold(`Lab ${result.lab}: ${manifest.title}`), style.dim(`backend ${result.backend}, seed ${result.seed}`), '');
  const todos = [...new Set(result.checks.map((c) => c.todo))].sort((a, b) => a - b);
  for (const todo of todos) {
    const checks = result.checks.filter((c) => c.todo === todo);
    const gradable = checks.filter((c) => c.status !== 'not_gradable');
    const earned = gradable.reduce((s, c) => s + c.points, 0);
    const possible = gradable.reduce((s, c) => s + c.max_points, 0);
    const title = manifest.todos.find((t) => t.todo === todo)?.title ?? '';
    const points = `${earned}/${possible}`;
    const colour = earned === possible ? style.green : earned === 0 ? style.red : style.yellow;
    out.push(`${style.bold(`TODO ${todo}`)}  ${title}  ${colour(points)}`);
    for (const check of checks) out.push(...renderCheck(check, style));
    out.push('');
  }
  const total = `${result.score}/${result.max_score}`;
  const full = result.max_score > 0 && result.score === result.max_score;
  out.push(style.bold(`Total: ${full ? style.green(total) : style.red(total)}`) + (full ? '  all TODOs done!' : ''));
  const notGradable = result.checks.filter((c) => c.status === 'not_gradable');
  if (notGradable.length > 0) {
    const points = notGradable.reduce((s, c) => s + c.max_points, 0);
    out.push(style.dim(`${notGradable.length} check(s) worth ${points} point(s) not gradable on ${result.backend}; use the embedded backend to grade them.`));
  }
  out.push('');
  return out.join('\n');
}

function renderCheck(check: CheckResult, style: Style): string[] {
  const points = style.dim(`(${check.status === 'passed' ? check.points : 0}/${check.max_points})`);
  const hidden = check.hidden ? style.dim(' [hidden]') : '';
  switch (check.status) {
    case 'passed':
      return [`  ${style.green(MARK.passed)} ${check.name} ${points}${hidden}`];
    case 'not_gradable':
      return [`  ${style.yellow(MARK.not_gradable)} ${check.name} ${points}${hidden}`, style.dim(`      ${check.message}`)];
    case 'failed':
      return [
        `  ${style.red(MARK.failed)} ${check.name} ${points}${hidden}`,
        ...indent(check.message, '      '),
        ...indent(`Hint: ${check.hint}`, '      ').map((line) => style.yellow(line)),
      ];
  }
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}
