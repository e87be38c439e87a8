import type { StudentReport } from './student-report.ts';

/** Histogram buckets: tenths of the maximum, full marks in the last. */
export const BUCKETS = 10;

/** One check across the class. */
export interface CheckStats {
  todo: number;
  name: string;
  hidden: boolean;
  max_points: number;
  hint: string;
  passed: number;
  failed: number;
  /** Students whose backend could not grade it (not in the pass rate). */
  not_gradable: number;
  /** passed / (passed + failed); undefined when no student was graded on it. */
  pass_rate?: number;
  /** Median of its measured times, in seconds (undefined when none was measured). */
  median_seconds?: number;
}

/** One lab across the class: what summary.md and report.html show. */
export interface LabStats {
  lab: string;
  /** Students with a result for the lab (graded or not). */
  students: number;
  /** Students with a score: graded, out of more than 0 points. */
  scored: number;
  /** Students whose lab could not be graded at all (its error). */
  errors: number;
  max: number;
  mean?: number;
  median?: number;
  full_marks: number;
  /** Students per bucket of score/max (BUCKETS of them), scored students only. */
  histogram: number[];
  /** Median grading time of the lab per student, in seconds. */
  median_seconds?: number;
  /** In the order the checks run. */
  checks: CheckStats[];
}

export function classStats(reports: StudentReport[], labIds: string[]): LabStats[] {
  return labIds.map((labId) => {
    const labs = reports.flatMap((r) => r.labs.filter((l) => l.lab === labId));
    const scoredLabs = labs.filter((l) => !l.error && l.max_score > 0);
    const scores = scoredLabs.map((l) => l.score);
    const histogram = new Array<number>(BUCKETS).fill(0);
    for (const lab of scoredLabs) histogram[bucketOf(lab.score, lab.max_score)]!++;
    const checks = new Map<string, CheckStats & { times: number[] }>();
    for (const lab of labs) {
      for (const check of lab.checks) {
        const key = `${check.todo}\0${check.name}`;
        let stats = checks.get(key);
        if (!stats) {
          stats = { todo: check.todo, name: check.name, hidden: check.hidden, max_points: check.max_points, hint: check.hint, passed: 0, failed: 0, not_gradable: 0, times: [] };
          checks.set(key, stats);
        }
        if (check.status === 'passed') stats.passed++;
        else if (check.status === 'failed') stats.failed++;
        else stats.not_gradable++;
        const seconds = (check as { seconds?: number }).seconds;
        if (typeof seconds === 'number') stats.times.push(seconds);
      }
    }
    return {
      lab: labId,
      students: labs.length,
      scored: scoredLabs.length,
      errors: labs.filter((l) => l.error).length,
      max: Math.max(0, ...scoredLabs.map((l) => l.max_score)),
      ...(scores.length ? { mean: mean(scores), median: median(scores) } : {}),
      full_marks: scoredLabs.filter((l) => l.score === l.max_score).length,
      histogram,
      ...(labs.length ? { median_seconds: median(labs.map((l) => l.seconds)) } : {}),
      checks: [...checks.values()].map(({ times, ...stats }) => ({
        ...stats,
        ...(stats.passed + stats.failed > 0 ? { pass_rate: stats.passed / (stats.passed + stats.failed) } : {}),
        ...(times.length ? { median_seconds: median(times) } : {}),
      })),
    };
  });
}

/** The checks most failed, most failures first (then in run order), at most `limit`; only checks someone failed. */
export function mostFailed(lab: LabStats, limit = 5): CheckStats[] {
  return lab.checks
    .map((check, order) => ({ check, order }))
    .filter(({ check }) => check.failed > 0)
    .sort((a, b) => b.check.failed - a.check.failed || a.order - b.order)
    .slice(0, limit)
    .map(({ check }) => check);
}

/** The histogram bucket of a score: tenths of the maximum, full marks in the last. */
export function bucketOf(score: number, max: number): number {
  if (max <= 0) return 0;
  return Math.min(BUCKETS - 1, Math.floor((score / max) * BUCKETS));
}

export function bucketLabel(index: number): string {
  return index === BUCKETS - 1 ? `${index * 10}-100 %` : `${index * 10}-${index * 10 + 9} %`;
}

export function percent(rate: number | undefined): string {
  return rate === undefined ? 'n/a' : `${Math.round(rate * 100)} %`;
}

export function seconds(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${value.toFixed(1)} s`;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
