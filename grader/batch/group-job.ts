import type { SandboxPolicy } from '../student-sandbox.ts';

/** What grade-batch.ts hands the grading child (grade-submission.ts): a group of one or more submissions. */
export interface GroupMemberJob {
  student: string;
  /** The student's labs folder. */
  labsDir: string;
  /** Where this student's lab results go (<out>/<student>). */
  outDir: string;
  sandbox: SandboxPolicy;
}

export interface GroupJob {
  members: GroupMemberJob[];
  labs: number[];
  seed: number;
  /** A member's budget in a group of several: seconds of its own checks, over all labs. */
  budgetSeconds: number;
}

/** What the child writes to <temp dir>/over-budget.json when it stopped the group for one member. */
export const OVER_BUDGET_FILE = 'over-budget.json';
export interface OverBudget {
  student: string;
  seconds: number;
}

/**
 * A line of the grading child's output about one member: the student's name quoted as
 * JSON first, so "ann" never claims a line of "ann lee" when the batch hands each member
 * its own lines (memberLines).
 */
export function memberLine(student: string, text: string): string {
  return `${JSON.stringify(student)} ${text}\n`;
}

/** The lines of `output` about `student`, without their prefix. */
export function memberLines(output: string, student: string): string[] {
  const prefix = `${JSON.stringify(student)} `;
  return output.split('\n').filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length));
}

/** The lines of `output` about no member of `students` (the run's own output). */
export function otherLines(output: string, students: string[]): string[] {
  const prefixes = students.map((student) => `${JSON.stringify(student)} `);
  return output.split('\n').filter((line) => line.trim() && !prefixes.some((prefix) => line.startsWith(prefix)));
}
