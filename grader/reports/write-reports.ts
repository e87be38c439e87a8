import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listLabs } from '../labs.ts';
import { classroomRunnerId, encodeClassroomResult, toClassroomResult } from './classroom.ts';
import { toGradebookCsv } from './gradebook.ts';
import { toGradescope } from './gradescope.ts';
import { toJunit } from './junit.ts';
import { createSanitizer, sanitizeDeep } from './sanitize.ts';
import { compareClass, toSimilarityCsv, toSimilarityMarkdown } from './similarity.ts';
import { toReportHtml } from './report-html.ts';
import { onlyLabs, type HiddenVisibility, type StudentReport } from './student-report.ts';
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
 *
 * This and writeClassReports are the only way out for report text, so they sanitise it
 * (sanitize.ts). result.json stays as graded: it is the instructor's record, the source
 * the class reports are made from, never handed to a student.
 */
export function writeStudentReports(dir: string, report: StudentReport, hiddenVisibility: HiddenVisibility): void {
  const clean = sanitizeDeep(report, createSanitizer());
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(toGradescope(clean, hiddenVisibility), null, 2)}\n`);
  writeFileSync(join(dir, 'junit.xml'), toJunit([clean]));
  for (const lab of clean.labs) {
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

export interface ClassInputs {
  /** The instructor's project root (the reference solutions, and a path to hide). */
  root: string;
  /** The folder of submissions, one folder per student, for the similarity flag; without it, no pair is compared (and summary.md says so). */
  submissions: string | undefined;
  /** The gradebook's columns: every class report shows these labs, and totals of these only. */
  labIds: string[];
}

/**
 * The class's files: gradebook.csv, junit.xml, similarity.csv, summary.md (also appended
 * to $GITHUB_STEP_SUMMARY when set), report.html. The similarity flag compares the
 * students of `reports`. Each report is cut to the labs of `labIds`, its total theirs.
 */
export function writeClassReports(out: string, reports: StudentReport[], inputs: ClassInputs, env: NodeJS.ProcessEnv = process.env): void {
  const sanitize = createSanitizer({ root: inputs.root });
  const clean = sanitizeDeep(
    reports.map((report) => onlyLabs(report, inputs.labIds)),
    sanitize,
  );
  const submissions = inputs.submissions;
  const pairs = submissions ? sanitizeDeep(compareClass({ root: inputs.root, submissions, labIds: inputs.labIds, students: reports.map((r) => r.student) }), sanitize) : [];
  writeFileSync(join(out, 'gradebook.csv'), toGradebookCsv(clean, inputs.labIds));
  writeFileSync(join(out, 'junit.xml'), toJunit(clean));
  writeFileSync(join(out, 'similarity.csv'), toSimilarityCsv(pairs));
  writeFileSync(join(out, 'report.html'), toReportHtml(clean, inputs.labIds));
  const similarity = submissions ? toSimilarityMarkdown(pairs) : '## Similarity\n\nNot compared: the submissions were not given (`--merge` without `--submissions`).\n';
  const summary = `${toSummaryMarkdown(clean, inputs.labIds)}\n${similarity}`;
  writeFileSync(join(out, 'summary.md'), summary);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${summary}\n`);
}
