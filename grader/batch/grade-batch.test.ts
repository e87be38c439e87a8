import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { listLabs, type Lab } from '../labs.ts';
import { root } from './fixture-class.ts';
import { defaultGroupSize, gradeBatch, labParts } from './grade-batch.ts';
import { rootSandboxUnavailable } from './submission-sandbox.ts';

const labs = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `0${i + 1}-lab`, number: i + 1 }) as Lab);
const ids = (parts: Lab[][]) => parts.map((part) => part.map((lab) => lab.number));

it('keeps every lab in one part when there are as many groups as jobs, and deals them out when there are fewer', () => {
  expect(ids(labParts(labs(5), 2, 2))).toEqual([[1, 2, 3, 4, 5]]);
  expect(ids(labParts(labs(5), 13, 2))).toEqual([[1, 2, 3, 4, 5]]);
  // One student, two jobs: every other lab, so the costly last labs do not all land in one part.
  expect(ids(labParts(labs(5), 1, 2))).toEqual([[1, 3, 5], [2, 4]]);
  expect(ids(labParts(labs(2), 1, 4))).toEqual([[1], [2]]);
  expect(ids(labParts(labs(1), 1, 4))).toEqual([[1]]);
});

it('sizes groups so that every job has one, up to 8', () => {
  expect([defaultGroupSize(100, 2), defaultGroupSize(16, 2), defaultGroupSize(3, 2), defaultGroupSize(1, 2)]).toEqual([8, 8, 2, 1]);
});

const work = mkdtempSync(join(tmpdir(), 'batch-parts-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it("grades a class of one with two jobs, its labs split between them, into one report with every lab's score", async () => {
  const [identity, buckets] = listLabs(root);
  for (const lab of [identity!, buckets!]) cpSync(lab.dir, join(work, 'class', 'solo', 'labs', lab.id), { recursive: true });
  const outcome = await gradeBatch({ root, submissions: join(work, 'class'), out: join(work, 'out'), labs: [1, 2], jobs: 2, seed: 11 });
  const [report] = outcome.reports;
  expect(report!.status).toBe('graded');
  expect(report!.labs.map((lab) => [lab.lab, lab.score, lab.max_score])).toEqual([
    [identity!.id, 13, 13],
    [buckets!.id, 13, 13],
  ]);
  // Each part ran as a user of its own (root sandbox), or as this one (without root): its log says which, per part.
  const log = readFileSync(join(work, 'out', 'solo', 'grading.log'), 'utf8');
  const users = [...log.matchAll(/ran as user (\d+)/g)].map((m) => m[1]);
  expect(new Set(users).size).toBe(rootSandboxUnavailable(root) === undefined ? 2 : 0);
}, 180_000);
