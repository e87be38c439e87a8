import type { StudentReport } from './student-report.ts';

/**
 * JUnit XML (the Ant/Surefire shape CI dashboards read): a testsuite per student and lab, a
 * testcase per check. A testcase's time is the check's own, as vitest measured it (grade-lab.ts);
 * a suite's is the lab's wall time for that student (start of grading to its end: set-up included).
 */
export function toJunit(reports: StudentReport[]): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  let time = 0;
  for (const report of reports) {
    for (const lab of report.labs) {
      const cases: string[] = [];
      let suiteFailures = 0;
      let suiteSkipped = 0;
      if (lab.error) {
        suiteFailures++;
        cases.push(`      <testcase classname="${xml(`${report.student}.${lab.lab}`)}" name="lab could not be graded" time="0">\n        <failure message="${xml(firstLine(lab.error))}">${xml(lab.error)}</failure>\n      </testcase>`);
      }
      for (const check of lab.checks) {
        const open = `      <testcase classname="${xml(`${report.student}.${lab.lab}`)}" name="${xml(`TODO ${check.todo}: ${check.name}`)}" time="${(check.seconds ?? 0).toFixed(3)}">`;
        if (check.status === 'passed') cases.push(`${open}</testcase>`);
        else if (check.status === 'not_gradable') {
          suiteSkipped++;
          cases.push(`${open}\n        <skipped message="${xml(check.message)}"/>\n      </testcase>`);
        } else {
          suiteFailures++;
          cases.push(`${open}\n        <failure message="${xml(firstLine(check.message))}">${xml(`${check.message}\nHint: ${check.hint}`)}</failure>\n      </testcase>`);
        }
      }
      const count = cases.length;
      tests += count;
      failures += suiteFailures;
      skipped += suiteSkipped;
      time += lab.seconds;
      suites.push(
        `  <testsuite name="${xml(`${report.student} / ${lab.lab}`)}" tests="${count}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" time="${lab.seconds.toFixed(1)}">\n` +
          `    <properties>\n      <property name="score" value="${lab.score}"/>\n      <property name="max_score" value="${lab.max_score}"/>\n    </properties>\n` +
          `${cases.join('\n')}\n  </testsuite>`,
      );
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="lab grading" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(1)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** Escapes for attributes and text; drops characters XML 1.0 cannot carry (a student's output may contain any byte). */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
