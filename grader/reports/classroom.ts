import type { CheckResult } from '../lab-result.ts';

/** What a runner result is made from: a graded lab, or `npm run lab:N -- --json` (no hints or hidden flags there). */
export interface ClassroomLabInput {
  lab: string;
  max_score: number;
  error?: string;
  checks: Array<Pick<CheckResult, 'todo' | 'name' | 'points' | 'max_points' | 'status' | 'message'> & Partial<Pick<CheckResult, 'hint' | 'hidden'>>>;
}

/**
 * GitHub Classroom's runner result, as classroom-resources/autograding-grading-reporter
 * reads it: base64 of `{version: 1, status, max_score, tests[]}` in the env variable
 * `<RUNNER-ID>_RESULTS`, one runner per lab. The reporter adds up `tests[].score`
 * and `max_score` per runner; status "fail" fails the workflow.
 */
export interface ClassroomTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  message: string;
  test_code: string;
  filename: string;
  line_no: number;
  execution_time: number;
  score: number;
}

export interface ClassroomRunnerResult {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: ClassroomTest[];
}

/** Visible checks only: a student's own workflow log must not show hidden checks. */
export function toClassroomResult(lab: ClassroomLabInput, options: { includeHidden?: boolean } = {}): ClassroomRunnerResult {
  const checks = lab.checks.filter((c) => c.status !== 'not_gradable' && (options.includeHidden || !c.hidden));
  const tests: ClassroomTest[] = checks.map((check) => ({
    name: `TODO ${check.todo}: ${check.name}`,
    status: check.status === 'passed' ? 'pass' : 'fail',
    message: check.status === 'passed' ? '' : check.hint ? `${check.message}\nHint: ${check.hint}` : check.message,
    test_code: `npm run lab:${Number(lab.lab.slice(0, 2))}`,
    filename: `labs/${lab.lab}`,
    line_no: 0,
    execution_time: 0,
    score: check.points,
  }));
  const maxScore = checks.reduce((sum, c) => sum + c.max_points, 0);
  const status = lab.error ? 'error' : tests.every((t) => t.status === 'pass') ? 'pass' : 'fail';
  return { version: 1, status, max_score: lab.error ? lab.max_score : maxScore, tests };
}

export function encodeClassroomResult(result: ClassroomRunnerResult): string {
  return Buffer.from(JSON.stringify(result), 'utf8').toString('base64');
}

/** The runner id for a lab: letters and digits only (the reporter's `runners` input pattern). */
export function classroomRunnerId(labId: string): string {
  return `lab${labId.slice(0, 2)}`;
}
