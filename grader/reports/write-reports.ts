import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listLabs } from '../labs.ts';
import { classroomRunnerId, encodeClassroomResult, toClassroomResult } from './classroom.ts';
import { toGradebookCsv } from './gradebook.ts';
import { toGradescope } from './gradescope.ts';
import { toJunit } from './junit.ts';
import type { HiddenVisibility, StudentReport } from './student-report.ts';
import { toSummaryMarkdown } from './summary.ts';

export const STUDENT_RESULT = 'result.json';

/** lab.json's "hidden_visibility": how Gradescope shows the lab's hidden checks. */
export function hiddenVisibilityFrom(root: string): HiddenVisibility {
  const byLab = new Map<string, 'hidden' | 'after_due_date'>();
  for (const lab of listLabs(root)) {
    const raw = JSON.parse(readFileSync(join(lab.dir, 'lab.json'), 'utf8')) as { hidden_visibility?: string };
    if (raw.hidden_visibility !== undefined && raw.hidden_visibility !== 'hidden' && raw.hidden_visibility !== 'after_due_date') {
      throw new Error(`labs/${lab.id}/lab.json: hidden_visibility must be "hidden" or "after_due_date", not ${JSON.stringify(raw.hidden_visibility)}`);
    }
    byLab.set(lab.id, raw.hidden_visibility ?? 'after_due_date');
  }
  return (labId) => byLab.get(labId) ?? 'after_due_date';
}

/**
 * One student's files, written as soon as the student is graded:
 * result.json (everything), results.json (Gradescope), junit.xml, and per lab
 * classroom-<runner>.b64 (GitHub Classroom runner output).
 */
export function writeStudentReports(dir: string, report: StudentReport, hiddenVisibility: HiddenVisibility): void {
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(toGradescope(report, hiddenVisibility), null, 2)}\n`);
  writeFileSync(join(dir, 'junit.xml'), toJunit([report]));
  for (const lab of report.labs) {
    writeFileSync(join(dir, `classroom-${classroomRunnerId(lab.lab)}.b64`), `${encodeClassroomResult(toClassroomResult(lab))}\n`);
  }
  // Last: its presence marks the student as done (a rerun skips them).
  writeFileSync(join(dir, STUDENT_RESULT), `${JSON.stringify(report, null, 2)}\n`);
}

/** Every student's result.json under `out`, by name. */
export function readStudentReports(out: string): StudentReport[] {
  if (!existsSync(out)) return [];
  return readdirSync(out, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(out, entry.name, STUDENT_RESULT)))
    .map((entry) => JSON.parse(readFileSync(join(out, entry.name, STUDENT_RESULT), 'utf8')) as StudentReport)
    .sort((a, b) => a.student.localeCompare(b.student));
}

/** The class's files: gradebook.csv, junit.xml, summary.md (also appended to $GITHUB_STEP_SUMMARY when set). */
export function writeClassReports(out: string, reports: StudentReport[], labIds: string[], env: NodeJS.ProcessEnv = process.env): void {
  writeFileSync(join(out, 'gradebook.csv'), toGradebookCsv(reports, labIds));
  writeFileSync(join(out, 'junit.xml'), toJunit(reports));
  const summary = toSummaryMarkdown(reports, labIds);
  writeFileSync(join(out, 'summary.md'), summary);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${summary}\n`);
}
