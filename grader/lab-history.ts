import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabResult } from './lab-result.ts';

/**
 * What the lab runner remembers between runs, in `.work/lab-history.json` (never committed:
 * .work/ is ignored): each lab's last score, for `--list`, and which checks failed last
 * time, so that a check failing a second time in a row shows its full recipe.
 */
export interface LabHistory {
  [lab: string]: LabRecord | undefined;
}

export interface LabRecord {
  /** The last whole-lab run (a `--todo` run leaves it as it was). */
  last?: { score: number; max_score: number; at: string };
  /** Names of the checks that failed in the last run that graded them. */
  failed: string[];
}

export function historyFile(root: string): string {
  return join(root, '.work', 'lab-history.json');
}

export function readHistory(root: string): LabHistory {
  try {
    const parsed = JSON.parse(readFileSync(historyFile(root), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as LabHistory) : {};
  } catch {
    return {};
  }
}

/**
 * The history after a run: the checks it graded replace their earlier state (failed or
 * not); a whole-lab run also sets the last score.
 */
export function recordRun(history: LabHistory, result: LabResult, wholeLab: boolean, at: Date = new Date()): LabHistory {
  const before = history[result.lab] ?? { failed: [] };
  const graded = new Set(result.checks.map((c) => c.name));
  const failed = [...before.failed.filter((name) => !graded.has(name)), ...result.checks.filter((c) => c.status === 'failed').map((c) => c.name)];
  const last = wholeLab ? { score: result.score, max_score: result.max_score, at: at.toISOString() } : before.last;
  return { ...history, [result.lab]: { ...(last ? { last } : {}), failed } };
}

export function writeHistory(root: string, history: LabHistory): void {
  const file = historyFile(root);
  mkdirSync(join(root, '.work'), { recursive: true });
  // Written whole, then renamed: two runs at once never leave half a file.
  writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(history, null, 2)}\n`);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

/** Checks that failed last time too: their recipe is shown now. */
export function failedBefore(history: LabHistory, lab: string): Set<string> {
  return new Set(history[lab]?.failed ?? []);
}
