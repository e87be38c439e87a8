import type { CheckResult } from '../checks/support/lab-reporter.ts';

/** The result of grading one lab: what `--json` prints and the scorecard shows. */
export interface LabResult {
  lab: string;
  /** Points earned. */
  score: number;
  /** Points of the checks that could be graded on this backend. */
  max_score: number;
  checks: CheckResult[];
  backend: string;
  seed: number;
}

export type { CheckResult };

export function summarise(lab: string, backend: string, seed: number, checks: CheckResult[]): LabResult {
  const gradable = checks.filter((c) => c.status !== 'not_gradable');
  return {
    lab,
    score: gradable.reduce((sum, c) => sum + c.points, 0),
    max_score: gradable.reduce((sum, c) => sum + c.max_points, 0),
    checks,
    backend,
    seed,
  };
}

/** Full marks: the only outcome that exits 0. */
export function isFullMarks(result: LabResult): boolean {
  return result.max_score > 0 && result.score === result.max_score;
}

/** The stable JSON shape of `--json`. */
export function toJson(result: LabResult): string {
  return JSON.stringify(
    {
      lab: result.lab,
      score: result.score,
      max_score: result.max_score,
      backend: result.backend,
      seed: result.seed,
      checks: result.checks.map(({ todo, name, points, max_points, status, message }) => ({ todo, name, points, max_points, status, message })),
    },
    null,
    2,
  );
}
