import { bucketLabel, classStats, mostFailed, percent, seconds, type LabStats } from './class-stats.ts';
import type { StudentReport } from './student-report.ts';

export { bucketOf } from './class-stats.ts';

/**
 * summary.md: per lab, the class's scores (mean, median, full marks, a histogram in tenths
 * of the maximum: only for a lab someone has a score in), the median grading time, every
 * check's pass rate and median time, and the most-failed checks with their hints; then a
 * row per student. `reports` hold only the labs of `labIds` (write-reports.ts sees to it).
 */
export function toSummaryMarkdown(reports: StudentReport[], labIds: string[]): string {
  const out = ['# Grading summary', '', `${reports.length} submission(s) graded${statusCounts(reports)}.`, ''];
  for (const lab of classStats(reports, labIds)) out.push(...labSection(lab));
  out.push('## Students', '', `| student | ${labIds.join(' | ')} | total | status |`, `|---|${labIds.map(() => '---:').join('|')}|---:|---|`);
  for (const report of reports) {
    const byLab = new Map(report.labs.map((l) => [l.lab, l]));
    const cells = labIds.map((id) => (byLab.has(id) ? `${byLab.get(id)!.score}/${byLab.get(id)!.max_score}` : ''));
    out.push(`| ${cell(report.student)} | ${cells.join(' | ')} | ${report.score}/${report.max_score} | ${report.status} |`);
  }
  out.push('');
  return out.join('\n');
}

function labSection(lab: LabStats): string[] {
  const out = [`## Lab ${lab.lab}`, ''];
  if (lab.students === 0) return [...out, 'No submission has a result for this lab.', ''];
  if (lab.scored === 0) {
    out.push(`No scores: ${lab.errors} of ${lab.students} submission(s) could not be graded (see each student's grading.log).`, '');
  } else {
    out.push(
      `mean ${lab.mean!.toFixed(1)} / ${lab.max}, median ${lab.median} / ${lab.max}, full marks: ${lab.full_marks}` +
        `${lab.errors ? `, not graded: ${lab.errors}` : ''}; median time per submission ${seconds(lab.median_seconds)}`,
      '',
      '| score | students | |',
      '|---|---:|---|',
      ...lab.histogram.map((count, i) => `| ${bucketLabel(i)} | ${count} | ${'█'.repeat(count)} |`),
      '',
    );
  }
  if (lab.checks.length > 0) {
    out.push('### Checks', '', '| TODO | check | points | passed | failed | pass rate | median time |', '|---:|---|---:|---:|---:|---:|---:|');
    for (const check of lab.checks) {
      out.push(
        `| ${check.todo} | ${cell(check.name)}${check.hidden ? ' (hidden)' : ''} | ${check.max_points} | ${check.passed} | ${check.failed} | ${percent(check.pass_rate)} | ${seconds(check.median_seconds)} |`,
      );
    }
    out.push('');
    const failed = mostFailed(lab);
    if (failed.length > 0) {
      out.push('### Most failed', '');
      for (const check of failed) {
        out.push(`- **TODO ${check.todo}: ${inline(check.name)}**: failed by ${check.failed} of ${check.passed + check.failed}. Hint: ${inline(check.hint) || '(none)'}`);
      }
      out.push('');
    }
  }
  return out;
}

function statusCounts(reports: StudentReport[]): string {
  const other = reports.filter((r) => r.status !== 'graded');
  if (other.length === 0) return '';
  const counts = new Map<string, number>();
  for (const report of other) counts.set(report.status, (counts.get(report.status) ?? 0) + 1);
  return ` (${[...counts].map(([status, count]) => `${count} ${status.replace('_', ' ')}`).join(', ')})`;
}

/** Text on one line: a table cell or a list item holds no line break. */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}
