import type { StudentReport } from './student-report.ts';

const BUCKETS = 10;

/** summary.md: per lab, the class's scores as a histogram (tenths of the maximum), mean and median; then a row per student. */
export function toSummaryMarkdown(reports: StudentReport[], labIds: string[]): string {
  const out = ['# Grading summary', '', `${reports.length} submission(s) graded.`, ''];
  for (const labId of labIds) {
    const labs = reports.flatMap((r) => r.labs.filter((l) => l.lab === labId));
    if (labs.length === 0) continue;
    const max = Math.max(...labs.map((l) => l.max_score));
    const scores = labs.map((l) => l.score);
    out.push(`## Lab ${labId}`, '', `mean ${mean(scores).toFixed(1)} / ${max}, median ${median(scores)} / ${max}, full marks: ${labs.filter((l) => l.max_score > 0 && l.score === l.max_score).length}`, '');
    out.push('| score | students | |', '|---|---:|---|');
    const counts = new Array<number>(BUCKETS).fill(0);
    for (const lab of labs) counts[bucketOf(lab.score, lab.max_score)]!++;
    counts.forEach((count, i) => {
      const range = i === BUCKETS - 1 ? `${i * 10}-100 %` : `${i * 10}-${i * 10 + 9} %`;
      out.push(`| ${range} | ${count} | ${'█'.repeat(count)} |`);
    });
    out.push('');
  }
  out.push('## Students', '', `| student | ${labIds.join(' | ')} | total | status |`, `|---|${labIds.map(() => '---:').join('|')}|---:|---|`);
  for (const report of reports) {
    const byLab = new Map(report.labs.map((l) => [l.lab, l]));
    const cells = labIds.map((id) => (byLab.has(id) ? `${byLab.get(id)!.score}/${byLab.get(id)!.max_score}` : ''));
    out.push(`| ${report.student.replace(/\|/g, '\\|')} | ${cells.join(' | ')} | ${report.score}/${report.max_score} | ${report.status} |`);
  }
  out.push('');
  return out.join('\n');
}

/** The histogram bucket of a score: tenths of the maximum, full marks in the last. */
export function bucketOf(score: number, max: number): number {
  if (max <= 0) return 0;
  return Math.min(BUCKETS - 1, Math.floor((score / max) * BUCKETS));
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
