/**
 * `npm run bench -- --only batch`: grades 20 generated submissions of lab 02 (correct,
 * partly wrong, not started, crashing at import; five of each, from fixtures/class)
 * with --jobs = the number of cores, and prints submissions per minute.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildClass, root } from './fixture-class.ts';
import { gradeBatch } from './grade-batch.ts';

const KINDS = ['correct', 'partly-wrong', 'not-started', 'crash-at-import'];
const COUNT = 20;

const workDir = join(root, '.work', `bench-batch-${process.pid}`);
try {
  const templates = join(workDir, 'templates');
  buildClass(templates);
  const submissions = join(workDir, 'submissions');
  mkdirSync(submissions, { recursive: true });
  for (let i = 0; i < COUNT; i++) {
    const kind = KINDS[i % KINDS.length]!;
    cpSync(join(templates, kind), join(submissions, `${kind}-${String(i).padStart(2, '0')}`), { recursive: true });
  }
  const jobs = availableParallelism();
  const started = Date.now();
  const outcome = await gradeBatch({ root, submissions, out: join(workDir, 'out'), labs: [2], jobs });
  const minutes = (Date.now() - started) / 60_000;
  const expected = { correct: 13, 'partly-wrong': 8, 'not-started': 0, 'crash-at-import': 9 } as Record<string, number>;
  const wrong = outcome.reports.filter((r) => r.score !== expected[r.student.replace(/-\d+$/, '')]);
  if (wrong.length > 0) throw new Error(`unexpected scores: ${wrong.map((r) => `${r.student} ${r.score}`).join(', ')}`);
  console.log(`${COUNT} submissions of lab 02 in ${(minutes * 60).toFixed(1)} s with --jobs ${jobs}: ${(COUNT / minutes).toFixed(1)} submissions per minute`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
