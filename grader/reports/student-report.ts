import type { GradedLab } from '../batch/grade-lab.ts';

/** Everything the batch knows about one student: what every report is made from (OUT/<student>/result.json). */
export interface StudentReport {
  student: string;
  labs: GradedLab[];
  score: number;
  max_score: number;
  /** 'graded', or why grading stopped early (the labs not graded then score 0). */
  status: 'graded' | 'timed_out' | 'crashed';
  message?: string;
  seconds: number;
}

export type { GradedLab };

/** Gradescope's visibility values for a test. */
export type Visibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

/** How reports show each lab's hidden checks: lab.json's optional "hidden_visibility" (default after_due_date). */
export type HiddenVisibility = (labId: string) => Extract<Visibility, 'hidden' | 'after_due_date'>;

export function totals(labs: GradedLab[]): { score: number; max_score: number } {
  return { score: labs.reduce((s, l) => s + l.score, 0), max_score: labs.reduce((s, l) => s + l.max_score, 0) };
}

/** The report with only these labs (in this order), its totals theirs: every class report shows the columns it writes, and totals of those only. */
export function onlyLabs(report: StudentReport, labIds: string[]): StudentReport {
  const labs = labIds.flatMap((id) => report.labs.filter((lab) => lab.lab === id));
  return { ...report, labs, ...totals(labs) };
}
