import type { HiddenVisibility, StudentReport, Visibility } from './student-report.ts';

/**
 * Gradescope's autograder results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
 * top-level score/max_score/output/execution_time/visibility/stdout_visibility and one
 * `tests[]` entry per check with score, max_score, status ("passed"/"failed"), name,
 * number, output, tags, visibility. Hidden checks get the lab's hidden visibility.
 * Checks the backend could not grade are left out (they count in neither total).
 */
export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  tags: string[];
  visibility: Visibility;
}

export interface GradescopeResults {
  score: number;
  max_score: number;
  execution_time: number;
  output: string;
  visibility: Visibility;
  stdout_visibility: Visibility;
  tests: GradescopeTest[];
}

export function toGradescope(report: StudentReport, hiddenVisibility: HiddenVisibility): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const lab of report.labs) {
    const labNumber = Number(lab.lab.slice(0, 2));
    if (lab.error) {
      tests.push({
        name: `Lab ${lab.lab}: could not be graded`,
        number: `${labNumber}.0`,
        score: 0,
        max_score: lab.max_score,
        status: 'failed',
        output: lab.error,
        tags: [lab.lab],
        visibility: 'visible',
      });
    }
    lab.checks
      .filter((check) => check.status !== 'not_gradable')
      .forEach((check, index) => {
        const output = check.status === 'passed' ? '' : `${check.message}\n\nHint: ${check.hint}`;
        tests.push({
          name: `Lab ${lab.lab} TODO ${check.todo}: ${check.name}`,
          number: `${labNumber}.${index + 1}`,
          score: check.points,
          max_score: check.max_points,
          status: check.status === 'passed' ? 'passed' : 'failed',
          output,
          tags: [lab.lab, `TODO ${check.todo}`, ...(check.hidden ? ['hidden'] : [])],
          visibility: check.hidden ? hiddenVisibility(lab.lab) : 'visible',
        });
      });
  }
  const summary = report.labs.map((lab) => `Lab ${lab.lab}: ${lab.score}/${lab.max_score}`);
  if (report.message) summary.push(report.message);
  return {
    score: report.score,
    max_score: report.max_score,
    execution_time: Math.round(report.seconds),
    output: summary.join('\n'),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests,
  };
}
