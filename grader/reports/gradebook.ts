import type { StudentReport } from './student-report.ts';

/** gradebook.csv: a row per student, a column per lab (its score), then the total and the maximum (RFC 4180 quoting). */
export function toGradebookCsv(reports: StudentReport[], labIds: string[]): string {
  const header = ['student', ...labIds, 'total', 'max_total', 'status'];
  const rows = reports.map((report) => {
    const byLab = new Map(report.labs.map((lab) => [lab.lab, lab]));
    return [report.student, ...labIds.map((id) => (byLab.has(id) ? String(byLab.get(id)!.score) : '')), String(report.score), String(report.max_score), report.status];
  });
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** RFC 4180: quoted when it holds a quote, a comma or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
