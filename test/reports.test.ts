/**
 * The batch reports on hand-made results: hidden checks' Gradescope visibility (lab.json
 * "hidden_visibility"), labs that could not be graded, escaping in JUnit and CSV, the
 * Classroom runner output hiding hidden checks, the histogram's buckets, the class's
 * per-check statistics in summary.md and report.html, JUnit's measured times, class
 * reports cut to the labs they show, and no ANSI escape or grading path in any file a
 * report is made of.
 */
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { toClassroomResult } from '../grader/reports/classroom.ts';
import { toGradebookCsv } from '../grader/reports/gradebook.ts';
import { toGradescope } from '../grader/reports/gradescope.ts';
import { toJunit } from '../grader/reports/junit.ts';
import type { GradedLab, StudentReport } from '../grader/reports/student-report.ts';
import { bucketOf, toSummaryMarkdown } from '../grader/reports/summary.ts';
import { toReportHtml } from '../grader/reports/report-html.ts';
import { hiddenVisibilityFrom, STUDENT_RESULT, writeClassReports, writeStudentReports } from '../grader/reports/write-reports.ts';
import { root } from '../grader/batch/fixture-class.ts';

const workDir = join(root, '.work', `reports-${process.pid}`);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const check = (over: Partial<GradedLab['checks'][number]>): GradedLab['checks'][number] => ({
  todo: 1,
  name: 'does it',
  points: 2,
  max_points: 2,
  status: 'passed',
  message: '',
  hint: 'do it',
  hidden: false,
  ...over,
});

const lab = (over: Partial<GradedLab>): GradedLab => ({
  lab: '02-buckets',
  score: 2,
  max_score: 5,
  checks: [check({}), check({ name: 'also with <&> "quotes"', points: 0, max_points: 3, status: 'failed', message: 'expected 1\n  actual: 2 \u0007', hidden: true })],
  backend: 'embedded',
  seed: 1,
  problems: [],
  skipped: [],
  seconds: 1.5,
  ...over,
});

const student = (name: string, labs: GradedLab[]): StudentReport => ({
  student: name,
  labs,
  score: labs.reduce((s, l) => s + l.score, 0),
  max_score: labs.reduce((s, l) => s + l.max_score, 0),
  status: 'graded',
  seconds: 3,
});

describe('reports', () => {
  it('gives hidden checks the visibility lab.json asks for (default after_due_date)', () => {
    const project = join(workDir, 'project');
    for (const [id, extra] of [['02-buckets', {}], ['03-objects', { hidden_visibility: 'hidden' }]] as const) {
      mkdirSync(join(project, 'labs', id), { recursive: true });
      writeFileSync(join(project, 'labs', id, 'lab.json'), JSON.stringify({ title: id, services: [], program: 'main.ts', todos: [], capabilities: [], ...extra }));
    }
    const visibility = hiddenVisibilityFrom(project);
    const results = toGradescope(student('ada', [lab({}), lab({ lab: '03-objects' })]), visibility);
    expect(results.tests.map((t) => [t.number, t.visibility])).toEqual([
      ['2.1', 'visible'],
      ['2.2', 'after_due_date'],
      ['3.1', 'visible'],
      ['3.2', 'hidden'],
    ]);
    expect(results.tests[1]).toMatchObject({ status: 'failed', score: 0, max_score: 3, tags: ['02-buckets', 'TODO 1', 'hidden'] });
    expect(results.tests[1]!.output).toContain('Hint: do it');

    writeFileSync(join(project, 'labs', '03-objects', 'lab.json'), JSON.stringify({ title: 'x', services: [], program: 'main.ts', todos: [], capabilities: [], hidden_visibility: 'never' }));
    expect(() => hiddenVisibilityFrom(project)).toThrow('hidden_visibility must be "hidden" or "after_due_date"');
  });

  it('reports a lab that could not be graded as one failed test worth the whole lab', () => {
    const broken = lab({ score: 0, max_score: 13, checks: [], error: 'Grading was stopped after 300 s.' });
    const results = toGradescope(student('bo', [broken]), () => 'hidden');
    expect(results.tests).toEqual([expect.objectContaining({ name: 'Lab 02-buckets: could not be graded', score: 0, max_score: 13, status: 'failed', output: 'Grading was stopped after 300 s.' })]);
    expect(toClassroomResult(broken)).toMatchObject({ status: 'error', max_score: 13, tests: [] });
  });

  it('keeps hidden checks out of the Classroom runner output a student sees', () => {
    const result = toClassroomResult(lab({}));
    expect(result).toMatchObject({ version: 1, status: 'pass', max_score: 2 });
    expect(result.tests.map((t) => t.name)).toEqual(['TODO 1: does it']);
    expect(toClassroomResult(lab({}), { includeHidden: true })).toMatchObject({ status: 'fail', max_score: 5 });
  });

  it('escapes JUnit XML (markup, quotes, control characters) so it parses back to the same text', () => {
    const xml = toJunit([student('a&b', [lab({})])]);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { testsuite: { name: string; failures: string; testcase: Array<{ name: string; failure?: { message: string; '#text': string } }> } };
    };
    const suite = parsed.testsuites.testsuite;
    expect(suite.name).toBe('a&b / 02-buckets');
    expect(suite.failures).toBe('1');
    expect(suite.testcase[1]!.name).toBe('TODO 1: also with <&> "quotes"');
    expect(suite.testcase[1]!.failure!.message).toBe('expected 1');
    expect(xml).not.toContain('\u0007');
  });

  it('quotes CSV fields with commas and quotes, and leaves a lab a student was not graded on empty', () => {
    const csv = toGradebookCsv([student('Doe, "JD"', [lab({})]), student('eve', [])], ['02-buckets', '03-objects']);
    expect(csv).toBe('student,02-buckets,03-objects,total,max_total,status\r\n"Doe, ""JD""",2,,2,5,graded\r\neve,,,0,0,graded\r\n');
  });

  it('puts scores in tenths of the maximum, full marks in the top bucket', () => {
    expect([bucketOf(0, 13), bucketOf(1, 13), bucketOf(12, 13), bucketOf(13, 13), bucketOf(0, 0)]).toEqual([0, 0, 9, 9, 0]);
    const summary = toSummaryMarkdown([student('a', [lab({ score: 5 })]), student('b', [lab({ score: 0 })])], ['02-buckets']);
    expect(summary).toContain('mean 2.5 / 5, median 2.5 / 5, full marks: 1');
    expect(summary).toContain('| 90-100 % | 1 | █ |');
    expect(summary).toContain('| 0-9 % | 1 | █ |');
  });

  it('writes no ANSI escape, control character or grading path into any report, whatever the messages hold', () => {
    const workspace = join(realpathSync(tmpdir()), 'grading-ada-02-buckets-Ab12Cd');
    const dirty = [
      '\x1b[31mTypeError\x1b[39m: boom\x07',
      `    at createBucket (file://${workspace}/labs/02-buckets/create-bucket.ts:12:5)`,
      `    at ${join(tmpdir(), 'grading-ada-02-buckets-Ab12Cd')}/vitest-tmp/check.mjs:1:1`,
      `    at ${join(root, 'checks/support/check.ts')}:3:1`,
    ].join('\n');
    const graded = lab({
      checks: [check({ status: 'failed', points: 0, message: dirty, hint: `\x1b[2m${root}\x1b[22m` }), check({ status: 'failed', points: 0, message: 'x'.repeat(20_000) })],
      problems: [dirty],
      error: dirty,
    });
    const out = join(workDir, 'clean');
    mkdirSync(join(out, 'ada'), { recursive: true });
    mkdirSync(join(workDir, 'no-submissions'), { recursive: true });
    const report = { ...student('\x1b[1mada\x1b[0m', [graded]), status: 'crashed' as const, message: dirty };
    writeStudentReports(join(out, 'ada'), report, () => 'hidden');
    writeClassReports(out, [report], { root, submissions: join(workDir, 'no-submissions'), labIds: ['02-buckets'] }, {});

    const files = ['ada/results.json', 'ada/junit.xml', 'ada/classroom-lab02.b64', 'gradebook.csv', 'junit.xml', 'summary.md', 'similarity.csv', 'report.html'];
    expect(readdirSync(join(out, 'ada')).sort()).toEqual(['classroom-lab02.b64', 'junit.xml', STUDENT_RESULT, 'results.json'].sort());
    // What a reader sees: JSON's strings unescaped (an escaped \u001b is still an escape), base64 decoded.
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : typeof value === 'object' && value !== null ? Object.values(value).flatMap(strings) : [];
    const text = (file: string) => {
      const raw = readFileSync(join(out, file), 'utf8');
      if (file.endsWith('.b64')) return strings(JSON.parse(Buffer.from(raw.trim(), 'base64').toString('utf8'))).join('\n');
      return file.endsWith('.json') ? strings(JSON.parse(raw)).join('\n') : raw;
    };
    for (const file of files) {
      const content = text(file);
      expect(content, file).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
      for (const path of [`${tmpdir()}/`, `${realpathSync(tmpdir())}/`, resolve(root), 'grading-ada']) expect(content, `${file} holds ${path}`).not.toContain(path);
    }
    for (const file of ['ada/results.json', 'ada/junit.xml', 'ada/classroom-lab02.b64', 'junit.xml']) {
      expect(text(file), file).toContain('TypeError: boom\n    at createBucket (labs/02-buckets/create-bucket.ts:12:5)');
      expect(text(file), file).toContain('[... cut to 4000 of 20000 characters ...]');
    }
    const gradescope = JSON.parse(readFileSync(join(out, 'ada/results.json'), 'utf8')) as { output: string; tests: Array<{ output: string }> };
    expect(gradescope.tests[0]!.output).toContain('<tmp>/vitest-tmp/check.mjs:1:1\n    at <grader>/checks/support/check.ts:3:1');
    expect(gradescope.output).toContain('at createBucket (labs/02-buckets/create-bucket.ts:12:5)');
    expect(text('gradebook.csv')).toContain('\r\nada,2,2,5,crashed\r\n');
    expect(text('summary.md')).toContain('| ada | 2/5 | 2/5 | crashed |');
    // result.json is the instructor's record, kept as graded.
    expect(text(`ada/${STUDENT_RESULT}`)).toContain(workspace);
  });

  describe('class statistics', () => {
    const checks = (statuses: Array<'passed' | 'failed' | 'not_gradable'>, secondsEach: number[]) =>
      [
        check({ todo: 1, name: 'makes the client', max_points: 1, hint: 'use the chain' }),
        check({ todo: 2, name: 'says | available', max_points: 2, hint: 'read the\nstatus code' }),
        check({ todo: 3, name: 'waits', max_points: 3, hint: 'use a waiter', hidden: true }),
      ].map((c, i) => ({ ...c, status: statuses[i]!, points: statuses[i] === 'passed' ? c.max_points : 0, seconds: secondsEach[i] }));
    const graded = (name: string, statuses: Array<'passed' | 'failed' | 'not_gradable'>, times: number[], seconds: number) => {
      const list = checks(statuses, times);
      const gradable = list.filter((c) => c.status !== 'not_gradable');
      return student(name, [
        lab({ checks: list, score: gradable.reduce((a, c) => a + c.points, 0), max_score: gradable.reduce((a, c) => a + c.max_points, 0), seconds }),
        lab({ lab: '03-objects', checks: [], score: 0, max_score: 9, error: 'Grading was stopped after 300 s.', seconds: 300 }),
      ]);
    };
    const reports = [
      graded('ann', ['passed', 'passed', 'passed'], [0.5, 1, 4], 10),
      graded('ben', ['passed', 'failed', 'failed'], [0.7, 2, 6], 12),
      graded('<b>cy</b>', ['failed', 'failed', 'not_gradable'], [0.9, 3, 0], 20),
    ];

    it("summary.md: every check's pass rate and median time, the most-failed checks with their hints, the median time per submission", () => {
      const summary = toSummaryMarkdown(reports, ['02-buckets', '03-objects']);
      expect(summary).toContain('mean 2.3 / 6, median 1 / 6, full marks: 1; median time per submission 12.0 s');
      expect(summary).toContain('| 1 | makes the client | 1 | 2 | 1 | 67 % | 0.7 s |');
      expect(summary).toContain('| 2 | says \\| available | 2 | 1 | 2 | 33 % | 2.0 s |');
      // cy's backend could not grade it: 1 of 2, and cy's time is in the median.
      expect(summary).toContain('| 3 | waits (hidden) | 3 | 1 | 1 | 50 % | 4.0 s |');
      const mostFailed = summary.slice(summary.indexOf('### Most failed'), summary.indexOf('## Lab 03-objects'));
      expect(mostFailed.trim().split('\n').slice(2)).toEqual([
        '- **TODO 2: says | available**: failed by 2 of 3. Hint: read the status code',
        '- **TODO 1: makes the client**: failed by 1 of 3. Hint: use the chain',
        '- **TODO 3: waits**: failed by 1 of 2. Hint: use a waiter',
      ]);
    });

    it('summary.md: a histogram only for a lab someone has a score in', () => {
      const summary = toSummaryMarkdown(reports, ['02-buckets', '03-objects']);
      const objects = summary.slice(summary.indexOf('## Lab 03-objects'), summary.indexOf('## Students'));
      expect(objects).toContain('No scores: 3 of 3 submission(s) could not be graded');
      expect(objects).not.toMatch(/\| 0-9 % \|/);
      expect([...summary.matchAll(/^\| (\d+)-(\d+) % \| (\d+) \|/gm)].map((m) => Number(m[3]))).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    });

    it('report.html: self-contained, an SVG histogram per scored lab, the per-check table, text escaped', () => {
      const page = toReportHtml(reports, ['02-buckets', '03-objects']);
      expect(page).not.toMatch(/<script|<link|\bsrc=|@import|url\(/i);
      const svgs = [...page.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
      expect(svgs).toHaveLength(1);
      expect(svgs[0]).toContain('aria-label="Scores of lab 02-buckets in tenths of 6 points"');
      // One bar per tenth, each with its count: ann 6/6, ben 1/6 (16 %), cy 0/3 (TODO 3 not gradable for cy).
      expect([...svgs[0]!.matchAll(/<title>([^<]+)<\/title>/g)].map((m) => m[1])).toEqual([
        '0-9 %: 1 student(s)', '10-19 %: 1 student(s)', '20-29 %: 0 student(s)', '30-39 %: 0 student(s)', '40-49 %: 0 student(s)',
        '50-59 %: 0 student(s)', '60-69 %: 0 student(s)', '70-79 %: 0 student(s)', '80-89 %: 0 student(s)', '90-100 %: 1 student(s)',
      ]);
      expect(page).toMatch(/<tr><td class="n">2<\/td><td>says \| available<\/td><td class="n">2<\/td><td class="n">1<\/td><td class="n">2<\/td><td class="nowrap">.*33 %<\/td><td class="n">2\.0 s<\/td><\/tr>/);
      expect(page).toContain('<td>waits <span class="tag">hidden</span></td>');
      expect(page).toContain('No scores: 3 of 3 submission(s) could not be graded.');
      expect(page).toContain('<td>&lt;b&gt;cy&lt;/b&gt;</td>');
      expect(page).not.toContain('<b>cy');
    });

    it("junit.xml: each testcase's time is the check's measured time", () => {
      const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(toJunit([reports[1]!])) as {
        testsuites: { testsuite: Array<{ time: string; testcase: Array<{ time: string }> | { time: string } }> };
      };
      const [buckets] = parsed.testsuites.testsuite;
      expect(buckets!.time).toBe('12.0');
      expect((buckets!.testcase as Array<{ time: string }>).map((c) => c.time)).toEqual(['0.700', '2.000', '6.000']);
    });

    it('class reports show the labs asked for, and totals of those labs only', () => {
      const out = join(workDir, 'columns');
      mkdirSync(out, { recursive: true });
      mkdirSync(join(workDir, 'no-submissions'), { recursive: true });
      writeClassReports(out, reports, { root, submissions: join(workDir, 'no-submissions'), labIds: ['02-buckets'] }, {});
      expect(readFileSync(join(out, 'gradebook.csv'), 'utf8').split('\r\n').slice(0, 2)).toEqual(['student,02-buckets,total,max_total,status', 'ann,6,6,6,graded']);
      expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('| ann | 6/6 | 6/6 | graded |');
      expect(readFileSync(join(out, 'summary.md'), 'utf8')).not.toContain('03-objects');
      expect(readFileSync(join(out, 'junit.xml'), 'utf8')).not.toContain('03-objects');
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<td>ann</td><td class="n">6/6</td><td class="n">6/6</td>');
    });
  });
});
