/**
 * `npm run grade` on the fixture class (fixtures/class, lab 02): every student's EXACT
 * score, the failures their code must cause (sandbox refusals included), and the reports
 * (Gradescope fields, JUnit parsed with fast-xml-parser, gradebook columns, GitHub
 * Classroom runner output, summary). A rerun skips what is already graded.
 *
 * The class holds an adversarial submission per class of attack in docs/instructors.md
 * (fixtures/class/attack-*, plus one combining two) beside honest ones: each must score
 * exactly what its honest work earns, and afterwards no process of the batch is alive and
 * no temp folder is left. The attack that signals every process it can is graded only
 * where the batch runs as root (submission-sandbox.ts), as in CI; elsewhere it would
 * stop the test runner itself, so it is left out and the test says so.
 *
 * The real CLI runs once for the whole class with --jobs 2.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradescopeResults } from '../grader/reports/gradescope.ts';
import type { ClassroomRunnerResult } from '../grader/reports/classroom.ts';
import type { StudentReport } from '../grader/reports/student-report.ts';
import { buildClass, LAB, root, type ClassFixture } from '../grader/batch/fixture-class.ts';
import { rootSandboxUnavailable } from '../grader/batch/submission-sandbox.ts';

/** The grader's own secret, which the resources attack looks for in its environment. */
const CANARY = `canary-${process.pid}`;
const rootSandbox = rootSandboxUnavailable(root);
if (rootSandbox !== undefined) console.warn(`batch-grading: attack-kills-others left out: no root sandbox here (${rootSandbox})`);

/** Temp folders of batch grading (grade-batch.ts makes one `gs-*` per submission). */
/** The batch's own temp folder (its TMPDIR): another batch running beside this one (another test file) has its own. */
const batchTemp = mkdtempSync(join(tmpdir(), 'bg-'));
// As the OS temp folder is: the students' users (root sandbox) must pass through it to their work folders.
chmodSync(batchTemp, 0o711);
function gradingTempFolders(): string[] {
  return readdirSync(batchTemp).filter((name) => name.startsWith('gs-'));
}

/**
 * The users this batch ran its students' code as (root sandbox), from their grading.log:
 * another batch running beside this one (another test file) has users of its own.
 */
function studentUsers(): number[] {
  return readdirSync(out).flatMap((student) => {
    const log = join(out, student, 'grading.log');
    const uid = existsSync(log) ? /ran as user (\d+)/.exec(readFileSync(log, 'utf8'))?.[1] : undefined;
    return uid ? [Number(uid)] : [];
  });
}

/** Processes of the student users (root sandbox) or any agent of ours left running. */
function leftoverProcesses(): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        // A zombie is already dead (only its exit status waits to be collected).
        if (/^State:\s+Z/m.test(status)) return [];
        const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return studentUsers().includes(uid) || command.includes(workDir) ? [`${pid}: ${command}`] : [];
      } catch {
        return [];
      }
    });
}

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
      { cwd: root, env: { ...process.env, TMPDIR: batchTemp, GITHUB_STEP_SUMMARY: stepSummary, GRADER_CANARY: CANARY } },
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
  fixtures = buildClass(submissions, (fixture) => !fixture.needsRootSandbox || rootSandbox === undefined);
  writeFileSync(stepSummary, '# earlier step\n');
  run = await grade([]);
}, 900_000);

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  rmSync(batchTemp, { recursive: true, force: true });
});

describe(`npm run grade on the fixture class (seed ${seed})`, () => {
  it('grades at least 8 students and exits 0', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    // Not a terminal: the start line, then a counted plain line per finished submission.
    expect(run.stdout.split('\n')[0]).toBe(`Grading ${fixtures.length} submission(s), lab ${LAB}, --jobs 2, seed ${seed}`);
    // Then how the students' code is sandboxed here, and why when it is the weaker way.
    expect(run.stdout.split('\n')[1]).toBe(rootSandbox === undefined ? 'Sandbox: root (each submission its own user, network namespace and limits).' : `Sandbox: without root (${rootSandbox}): each submission runs as this user; see docs/instructors.md for what is weaker.`);
    for (const fixture of fixtures) expect(run.stdout).toMatch(new RegExp(`^\\[\\d+/${fixtures.length}\\] ${fixture.student}: \\d+/13`, 'm'));
    expect(run.stdout).not.toContain('\x1b');
  });

  it.each(readdirSync(join(root, 'fixtures/class'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name))(
    '%s scores exactly what its expected.json says and fails exactly its checks',
    (student) => {
      const fixture = fixtures.find((f) => f.student === student);
      if (!fixture) {
        expect(rootSandbox, `${student} was left out`).toBeDefined();
        return;
      }
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
      } else if (fixture.failing === 'every') {
        expect(failed, detail).toHaveLength(lab.checks.length);
      } else {
        expect(failed.map((c) => c.name).sort(), detail).toEqual([...fixture.failing].sort());
      }
      for (const text of fixture.messages) {
        expect(failed.some((c) => text.split('|').some((alternative) => c.message.includes(alternative))), `${text}\n${detail}`).toBe(true);
      }
    },
  );

  it('the sandbox refused what the cheating students tried, with the reason in the failure', () => {
    const messages = (student: string) => report(student).labs[0]!.checks.map((c) => c.message);
    expect(messages('reads-solutions').filter((m) => m.includes('Access to this API has been restricted'))).toHaveLength(3);
    expect(messages('reads-solutions').filter((m) => m.includes(`imports ${join(root, 'labs', LAB, 'create-bucket.ts')}: graded code may only import`))).toHaveLength(2);
    expect(messages('network').filter((m) => /Network access is blocked during grading: connection to 10\.255\.255\.1:80|ENETUNREACH/.test(m))).toHaveLength(3);
    expect(messages('attack-control-api').filter((m) => m.includes('the control API of this emulator is locked'))).toHaveLength(6);
  });

  it.runIf(rootSandbox === undefined)('runs each submission as a user of its own (root sandbox), named in its grading.log', () => {
    const users = studentUsers();
    expect(users).toHaveLength(fixtures.length);
    expect(new Set(users).size).toBe(fixtures.length);
  });

  it('leaves no process of the batch alive and no temp folder behind, whatever the attacks did', () => {
    expect(leftoverProcesses()).toEqual([]);
    expect(gradingTempFolders()).toEqual([]);
  });

  it('keeps a student who prints megabytes to a bounded, truncated log', () => {
    const log = join(out, 'prints-a-lot', 'labs', `${LAB}.log`);
    expect(statSync(log).size).toBeLessThan(100_000);
    // Graded alone: the run's output, head and tail; graded in a group: each check's output, its tail.
    expect(readFileSync(log, 'utf8')).toMatch(/\[\.\.\. \d+ characters of output left out \.\.\.\]|\[\.\.\. \d+ bytes before left out\]/);
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
      testsuites: { tests: string; failures: string; testsuite: Array<{ name: string; tests: string; failures: string; testcase: Array<{ name: string; time: string; failure?: unknown }> }> };
    };
    const suites = parsed.testsuites.testsuite;
    expect(suites).toHaveLength(fixtures.length);
    expect(Number(parsed.testsuites.tests)).toBe(8 * fixtures.length);
    for (const fixture of fixtures) {
      const suite = suites.find((s) => s.name === `${fixture.student} / ${LAB}`)!;
      expect(suite.testcase).toHaveLength(8);
      const failures = suite.testcase.filter((c) => c.failure !== undefined).length;
      expect(Number(suite.failures)).toBe(failures);
      expect(failures).toBe(fixture.failing === 'all' || fixture.failing === 'every' ? 8 : fixture.failing.length);
      // Real times: each check's own, as vitest measured it.
      const times = suite.testcase.map((c) => Number(c.time));
      expect(times.every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
      expect(times.reduce((a, b) => a + b, 0), fixture.student).toBeGreaterThan(0);
    }
  });

  it('writes gradebook.csv: a row per student, a column per lab, the total', () => {
    const [header, ...rows] = readFileSync(join(out, 'gradebook.csv'), 'utf8').trim().split('\r\n').map((line) => line.split(','));
    expect(header).toEqual(['student', LAB, 'total', 'max_total', 'status']);
    expect(rows.map((r) => r[0])).toEqual(fixtures.map((f) => f.student));
    for (const fixture of fixtures) expect(rows.find((r) => r[0] === fixture.student)).toEqual([fixture.student, String(fixture.score), String(fixture.score), '13', 'graded']);
  });

  it('records the run in run.json and writes a self-contained report.html', () => {
    const recorded = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { seed: number; labs: string[]; students: string[] };
    expect([recorded.seed, recorded.labs, [...recorded.students].sort()]).toEqual([seed, [LAB], fixtures.map((f) => f.student).sort()]);
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    expect(page.match(/<svg /g)).toHaveLength(1);
    for (const fixture of fixtures) expect(page).toContain(`<td>${fixture.student}</td>`);
  });

  it('writes summary.md with the class histogram and appends it to $GITHUB_STEP_SUMMARY', () => {
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain(`## Lab ${LAB}`);
    const rows = [...summary.matchAll(/^\| (\d+)-(\d+) % \| (\d+) \|/gm)].map((m) => Number(m[3]));
    expect(rows).toHaveLength(10);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(fixtures.length);
    // Students at full marks (correct, prints-a-lot) land in the top bucket; not-started and the attacks in the first.
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
