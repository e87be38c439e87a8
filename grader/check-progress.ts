import { existsSync, readFileSync } from 'node:fs';

/**
 * What the progress hook (grader/batch/progress-hook.ts, a vitest setup file)
 * writes, one JSON line per check started and finished, synchronously and BEFORE the
 * student's code runs. If that code blocks the event loop (`while (true) {}`), vitest's
 * own timeout can never fire; the grading process reads here which check hung and stops
 * it from outside. Used by the lab runner and by batch grading.
 */
export interface ProgressLine {
  event: 'start' | 'end';
  name: string;
  /** The check's own timeout (ms), on 'start'. */
  timeout?: number;
  /** The process running the check, to stop exactly that process. */
  pid: number;
  /** Date.now() when written. */
  at: number;
}

/** Where the hook writes, outside the batch sandbox (the sandbox passes its own file). */
export const PROGRESS_FILE_ENV = 'LAB_PROGRESS_FILE';

/** Past its own timeout, a check gets this much longer before it is stopped from outside. */
export const HUNG_GRACE_MS = 2000;

export function readProgress(file: string): ProgressLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ProgressLine);
}

/** The check started and not finished, if any. */
export function runningCheck(lines: ProgressLine[]): ProgressLine | undefined {
  const last = lines[lines.length - 1];
  return last?.event === 'start' ? last : undefined;
}

/** The check's hard limit: its own timeout plus a grace, unless one is given. */
export function hardLimitMs(line: ProgressLine, overrideSeconds?: number): number {
  return overrideSeconds !== undefined ? overrideSeconds * 1000 : (line.timeout ?? 10_000) + HUNG_GRACE_MS;
}

export function hungMessage(limitMs: number): string {
  return `Your code did not finish within ${Math.round(limitMs / 1000)} s and was stopped (it kept the process busy: an endless loop?).`;
}

export function killQuietly(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** vitest matches -t against "<file> <test name>": keep every check but the excluded ones. */
export function excludingPattern(names: string[]): string | undefined {
  if (names.length === 0) return undefined;
  return `^(?!.*(?:^| )(?:${names.map(escapeRegExp).join('|')})$)`;
}
