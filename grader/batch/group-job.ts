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
