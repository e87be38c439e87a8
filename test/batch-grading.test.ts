/**
 * `npm run grade` on the fixture class (fixtures/class, lab 02): every student's EXACT
 * score, the failures their code must cause (sandbox refusals included), and the reports
 * (Gradescope fields, JUnit parsed with fast-xml-parser, gradebook columns, GitHub
 * Classroom runner output, summary). A rerun skips what is already graded.
 *
 * The real CLI runs once for the whole class with --jobs 2 and a 5 s hard limit per
 * check (the busy-loop student costs that check, not the batch).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradescopeResults } from '../grader/reports/gradescope.ts';
import type { ClassroomRunnerResult } from '../grader/reports/classroom.ts';
import type { StudentReport } from '../grader/reports/student-report.ts';
import { buildClass, LAB, root, type ClassFixture } from '../grader/batch/fixture-class.ts';

const workDir = join(root, '.work', `batch-grading-${process.pid}`);
const submissions = join(workDir, 'submissions');
const out = join(workDir, 'out');
const stepSummary = join(workDir, 'step-summary.md');
const seed = Math.floor(Math.random() * 1_000_000);

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function grade(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/grade.ts', '--submissions', submissions, '--out', out, '--labs', '2', '--jobs', '2', '--seed', String(seed), ...args],
      { cwd: root, env: { ...process.env, GITHUB_STEP_SUMMARY: stepSummary } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let fixtures: ClassFixture[];
let run: CliRun;
const report = (student: string) => JSON.parse(readFileSync(join(out, student, 'result.json'), 'utf8')) as StudentReport;

beforeAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  fixtures = buildClass(submissions);
  writeFileSync(stepSummary, '# earlier step\n');
  run = await grade([]);
}, 240_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe(`npm run grade on the fixture class (seed ${seed})`, () => {
  it('grades at least 8 students and exits 0', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    for (const fixture of fixtures) expect(run.stdout).toContain(`${fixture.student}: `);
  });

  it.each(['correct', 'partly-wrong', 'not-started', 'crash-at-import', 'infinite-loop', 'reads-solutions', 'network', 'prints-a-lot'])(
    '%s scores exactly what its expected.json says and fails exactly its checks',
    (student) => {
      const fixture = fixtures.find((f) => f.student === student)!;
      const { labs, score, max_score, status } = report(student);
      const lab = labs.find((l) => l.lab === LAB)!;
      const failed = lab.checks.filter((c) => c.status !== 'passed');
      const detail = `seed ${seed}: ${JSON.stringify(failed.map((c) => [c.name, c.message]), null, 2)}`;
      expect(status).toBe('graded');
      expect(lab.error, detail).toBeUndefined();
      expect(lab.checks).toHaveLength(8);
      expect(lab.score, detail).toBe(fixture.score);
      expect([score, max_score]).toEqual([fixture.score, 13]);
      if (fixture.failing === 'all') {
        for (const check of lab.checks) expect(check.message).toMatch(new RegExp(`^TODO ${check.todo} is not implemented yet`));
      } else {
        expect(failed.map((c) => c.name).sort(), detail).toEqual([...fixture.failing].sort());
      }
      for (const text of fixture.messages) expect(failed.some((c) => c.message.includes(text)), `${text}\n${detail}`).toBe(true);
    },
  );

  it('the sandbox refused what the cheating students tried, with the reason in the failure', () => {
    const messages = (student: string) => report(student).labs[0]!.checks.map((c) => c.message);
    expect(messages('reads-solutions').filter((m) => m.includes('Access to this API has been restricted'))).toHaveLength(3);
    expect(messages('reads-solutions').filter((m) => m.includes(`${join(root, 'labs', LAB, 'create-bucket.ts')} is outside your submission`))).toHaveLength(2);
    expect(messages('network').filter((m) => m.includes('Network access is blocked during grading: connection to 10.255.255.1:80'))).toHaveLength(3);
  });

  it('keeps a student who prints megabytes to a bounded, truncated log', () => {
    const log = join(out, 'prints-a-lot', 'labs', `${LAB}.log`);
    expect(statSync(log).size).toBeLessThan(100_000);
    expect(readFileSync(log, 'utf8')).toMatch(/\[\.\.\. \d+ characters of output left out \.\.\.\]/);
  });

  it('writes a Gradescope results.json per student with the official fields', () => {
    for (const fixture of fixtures) {
      const results = JSON.parse(readFileSync(join(out, fixture.student, 'results.json'), 'utf8')) as GradescopeResults;
      expect(results.score).toBe(fixture.score);
      expect(results.max_score).toBe(13);
      expect(typeof results.output).toBe('string');
      expect(typeof results.execution_time).toBe('number');
      expect(results.tests).toHaveLength(8);
      expect(results.tests.reduce((sum, t) => sum + t.score, 0)).toBe(fixture.score);
      for (const test of results.tests) {
        expect(Object.keys(test).sort()).toEqual(['max_score', 'name', 'number', 'output', 'score', 'status', 'tags', 'visibility']);
        expect(['passed', 'failed']).toContain(test.status);
        expect(test.visibility).toBe('visible');
        expect(test.score).toBe(test.status === 'passed' ? test.max_score : 0);
        if (test.status === 'failed') expect(test.output).toContain('Hint: ');
      }
    }
  });

  it('writes GitHub Classroom runner output: base64 JSON with version, status, max_score, tests', () => {
    const decode = (student: string) =>
      JSON.parse(Buffer.from(readFileSync(join(out, student, 'classroom-lab02.b64'), 'utf8').trim(), 'base64').toString('utf8')) as ClassroomRunnerResult;
    const correct = decode('correct');
    expect(correct).toMatchObject({ version: 1, status: 'pass', max_score: 13 });
    expect(correct.tests.map((t) => t.score).reduce((a, b) => a + b, 0)).toBe(13);
    const partly = decode('partly-wrong');
    expect(partly.status).toBe('fail');
    expect(partly.tests.reduce((a, t) => a + t.score, 0)).toBe(8);
    for (const test of partly.tests) expect(Object.keys(test)).toEqual(expect.arrayContaining(['name', 'status', 'score', 'message']));
  });

  it('writes a junit.xml that parses, a suite per student with a testcase per check', () => {
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(join(out, 'junit.xml'), 'utf8')) as {
      testsuites: { tests: string; failures: string; testsuite: Array<{ name: string; tests: string; failures: string; testcase: Array<{ name: string; failure?: unknown }> }> };
    };
    const suites = parsed.testsuites.testsuite;
    expect(suites).toHaveLength(fixtures.length);
    expect(Number(parsed.testsuites.tests)).toBe(8 * fixtures.length);
    for (const fixture of fixtures) {
      const suite = suites.find((s) => s.name === `${fixture.student} / ${LAB}`)!;
      expect(suite.testcase).toHaveLength(8);
      const failures = suite.testcase.filter((c) => c.failure !== undefined).length;
      expect(Number(suite.failures)).toBe(failures);
      expect(failures).toBe(fixture.failing === 'all' ? 8 : fixture.failing.length);
    }
  });

  it('writes gradebook.csv: a row per student, a column per lab, the total', () => {
    const [header, ...rows] = readFileSync(join(out, 'gradebook.csv'), 'utf8').trim().split('\r\n').map((line) => line.split(','));
    expect(header).toEqual(['student', LAB, 'total', 'max_total', 'status']);
    expect(rows.map((r) => r[0])).toEqual(fixtures.map((f) => f.student));
    for (const fixture of fixtures) expect(rows.find((r) => r[0] === fixture.student)).toEqual([fixture.student, String(fixture.score), String(fixture.score), '13', 'graded']);
  });

  it('writes summary.md with the class histogram and appends it to $GITHUB_STEP_SUMMARY', () => {
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain(`## Lab ${LAB}`);
    const rows = [...summary.matchAll(/^\| (\d+)-(\d+) % \| (\d+) \|/gm)].map((m) => Number(m[3]));
    expect(rows).toHaveLength(10);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(fixtures.length);
    // Two students at full marks (correct, prints-a-lot) land in the top bucket; not-started in the first.
    expect(rows[9]).toBe(fixtures.filter((f) => f.score === 13).length);
    expect(rows[0]).toBe(fixtures.filter((f) => f.score === 0).length);
    const step = readFileSync(stepSummary, 'utf8');
    expect(step.startsWith('# earlier step\n')).toBe(true);
    expect(step).toContain(summary);
  });

  it('a rerun skips the students already graded, and regrades one whose result is gone', async () => {
    const before = statSync(join(out, 'correct', 'result.json')).mtimeMs;
    rmSync(join(out, 'not-started'), { recursive: true });
    const again = await grade([]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('correct: already graded');
    expect(again.stdout).toMatch(/not-started: 0\/13/);
    expect(statSync(join(out, 'correct', 'result.json')).mtimeMs).toBe(before);
    expect(existsSync(join(out, 'not-started', 'results.json'))).toBe(true);
  }, 120_000);
});
