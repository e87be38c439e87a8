/**
 * The student edition's GitHub Actions self-check (templates/student/.github/workflows/classroom.yml):
 *
 *   npx tsx grader/reports/classroom-cli.ts
 *
 * runs `npm run lab:N -- --json` for every lab, prints each scorecard line, and hands
 * the results to GitHub Classroom's autograding-grading-reporter: `LABNN_RESULTS=<base64>`
 * lines appended to $GITHUB_ENV and `runners=lab02,lab03,...` to $GITHUB_OUTPUT.
 * Always exits 0: the reporter decides pass/fail from the results.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listLabs, manifestPoints } from '../labs.ts';
import { classroomRunnerId, encodeClassroomResult, toClassroomResult, type ClassroomLabInput } from './classroom.ts';
import { createSanitizer, sanitizeDeep } from './sanitize.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runners: string[] = [];
// The student's own checkout: their paths read as `./labs/...`.
const sanitize = createSanitizer({ root, rootAs: '.' });

for (const lab of listLabs(root)) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/lab.ts', String(lab.number), '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let input: ClassroomLabInput;
  try {
    input = JSON.parse(run.stdout) as ClassroomLabInput;
  } catch {
    input = { lab: lab.id, max_score: manifestPoints(lab), error: run.stderr.slice(-2000) || `exit code ${run.status}`, checks: [] };
  }
  const result = toClassroomResult(sanitizeDeep(input, sanitize));
  const runner = classroomRunnerId(lab.id);
  runners.push(runner);
  console.log(`${lab.id}: ${result.tests.reduce((sum, t) => sum + t.score, 0)}/${result.max_score} (${result.status})`);
  if (process.env.GITHUB_ENV) appendFileSync(process.env.GITHUB_ENV, `${runner.toUpperCase()}_RESULTS=${encodeClassroomResult(result)}\n`);
}
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `runners=${runners.join(',')}\n`);
