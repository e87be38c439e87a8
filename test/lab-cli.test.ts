import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/server.ts';

/**
 * The student's lab runner end to end (scripts/lab.ts): --todo, the order of header,
 * program output and scorecard, the scorecard's captured output and code frames,
 * --program-only's scrubbed environment, --endpoint's question before it resets an
 * emulator the student runs, and a clear word for a wrong option.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'lab-cli-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function lab(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lab.ts', ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A copy of lab 02's solution with `change` applied to one file. */
function submission(name: string, changes: Record<string, (text: string) => string>): string {
  const dir = join(workDir, name, '02-buckets');
  cpSync(join(root, 'labs', '02-buckets'), dir, { recursive: true });
  for (const [file, change] of Object.entries(changes)) writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

function replaceSolution(text: string, body: string): string {
  const start = text.indexOf('  // BEGIN SOLUTION');
  const end = text.indexOf('  // END SOLUTION', start) + '  // END SOLUTION'.length;
  return `${text.slice(0, start)}${body}${text.slice(end)}`;
}

describe('npm run lab:N', () => {
  it('--todo N grades only that TODO', async () => {
    const run = await lab(['2', '--todo', '2', '--skip-program', '--json']);
    const result = JSON.parse(run.stdout) as { score: number; max_score: number; checks: Array<{ todo: number }> };
    expect(result.checks.map((c) => c.todo)).toEqual([2, 2, 2]);
    expect([result.score, result.max_score]).toEqual([4, 4]);
    expect(run.code).toBe(0);
  }, 180_000);

  it("shows a failed check's own output under it, and a syntax error once as a code frame before the program would run", async () => {
    const dir = submission('printing-and-broken', {
      'head-bucket.ts': (text) =>
        replaceSolution(text, "  console.log(`checking ${bucket}`);\n  try {\n    await client.send(new HeadBucketCommand({ Bucket: bucket }));\n    return 'owned-by-you';\n  } catch {\n    console.error('HeadBucket failed');\n    return 'available';\n  }"),
      'create-bucket.ts': (text) => text.replace('await client.send(', 'await client.send(('),
    });
    const run = await lab(['2', '--submission', dir]);
    expect(run.code).toBe(1);
    const out = run.stdout;
    // The frame, once, before the program's heading; the program is not run.
    expect(out).toMatch(/create-bucket\.ts:\d+:\d+: Expected "\)" but found ";"\n +\d+ \| .*await client\.send\(\(new CreateBucketCommand.*\n +\| +\^\n/);
    expect(out.split('Expected ")" but found ";"')).toHaveLength(2);
    // ... and not again in tsc's words on the TypeScript warning line.
    expect(out).not.toMatch(/create-bucket\.ts:\d+:\d+ TS\d+/);
    // The run's header, then the frame, then the program's heading: always in this order.
    expect(out.indexOf('Lab 02-buckets on embedded')).toBeGreaterThan(-1);
    expect(out.indexOf('Lab 02-buckets on embedded')).toBeLessThan(out.indexOf('Expected ")"'));
    expect(out.indexOf('Expected ")"')).toBeLessThan(out.indexOf('Running your program'));
    expect(out).toContain('Not run: fix the syntax error(s) above first.');
    expect(out).toMatch(/Your lab does not compile: see the syntax error at .*create-bucket\.ts:\d+:\d+ above\./);
    // The 403 check fails; what the student's code printed during it is under it.
    const failed = out.slice(out.indexOf("✘ says 'owned-by-another-account'"));
    expect(failed).toMatch(/^✘ says 'owned-by-another-account'.*\n(?: {6}.*\n)*? {6}Your code printed:\n {6}│ checking notes-bucket-[a-z0-9]+\n {6}│ HeadBucket failed\n/);
    // Passed checks' output only with --verbose; the scorecard comes last.
    expect(out).not.toMatch(/✔ says 'available'.*\n {6}Your code printed/);
    expect(out).toMatch(/\nTotal: \d+\/13\n/);
    expect(out.indexOf('Lab 02-buckets: Create a bucket safely')).toBeGreaterThan(out.indexOf('Not run: fix the syntax error(s) above first.'));
  }, 180_000);

  it("prints the run's header, then the program's whole output, then the scorecard (lab 04, whose program and checks run at once)", async () => {
    const run = await lab(['4']);
    // The order is what is tested here, not the score (0: full marks, 1: not; 2 would be a usage error).
    expect(run.code, run.stderr).not.toBe(2);
    const out = run.stdout;
    const order = [
      'Lab 04-website on embedded',
      '── Running your program: ',
      'Start of static website script',
      'End of static website script',
      'Lab 04-website: Static website',
      'TODO 1',
      'Total: ',
    ].map((text) => out.indexOf(text));
    expect(order).not.toContain(-1);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // Nothing of the program's after the scorecard began.
    expect(out.slice(out.indexOf('Lab 04-website: Static website'))).not.toMatch(/static website script|upload: /);
  }, 180_000);

  it('--program-only runs the program against an emulator, never with the AWS settings of the shell', async () => {
    const hostile = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'real', AWS_PROFILE: 'production', AWS_ENDPOINT_URL: 'https://s3.amazonaws.com' };
    const run = await lab(['2', '--program-only'], hostile);
    expect(run.stdout).toContain('your program alone on embedded');
    expect(run.stdout).toContain('End of create bucket script');
    expect(run.stdout).not.toContain('TODO 1');
    expect(run.code).toBe(0);
  }, 180_000);

  it('--endpoint at an emulator the student runs asks before grading resets it', async () => {
    const emulator = await startEmulator();
    try {
      const run = await lab(['2', '--endpoint', emulator.endpoint, '--skip-program']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`Grading resets the emulator at ${emulator.endpoint} before every check`);
      expect(run.stderr).toContain('run again with --reset-endpoint');
      expect(run.stdout).not.toContain('TODO 1');
    } finally {
      await emulator.stop();
    }
  }, 180_000);

  it('says which option was meant', async () => {
    const run = await lab(['2', '--hitn']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('Unknown option --hitn. Did you mean --hint? `npm run lab -- --help` lists the options.\n');
  }, 60_000);
});
