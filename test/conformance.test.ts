import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../backends/backend.ts';
import { startEmbeddedBackend } from '../backends/embedded.ts';
import { startMotoBackend } from '../backends/moto.ts';
import { targetFor, type Target } from '../scripts/conformance/behaviour.ts';
import { BEHAVIOURS } from '../scripts/conformance/behaviours.ts';
import { compareBehaviour, formatReport, staleKnownDifferences, type Outcome } from '../scripts/conformance/compare.ts';
import { KNOWN_DIFFERENCES } from '../scripts/conformance/known-differences.ts';
import { AWS_BEHAVIOURS } from '../scripts/conformance/aws-behaviours.ts';
import { checkExpectation, summaryLine, type AwsOutcome } from '../scripts/conformance/aws-expectation.ts';

// Behaviours with AWS's documented answer as the expected value, on our emulator alone.
describe("conformance with AWS's documented behaviour", () => {
  let backend: Backend;
  let ours: Target;
  const outcomes: AwsOutcome[] = [];

  beforeAll(async () => {
    backend = await startEmbeddedBackend();
    ours = targetFor('embedded', backend);
  });
  afterAll(() => backend.stop());

  it('has at least 80 behaviours, with unique names and a source each', () => {
    expect(AWS_BEHAVIOURS.length).toBeGreaterThanOrEqual(80);
    expect(new Set(AWS_BEHAVIOURS.map((b) => b.name)).size).toBe(AWS_BEHAVIOURS.length);
    for (const behaviour of AWS_BEHAVIOURS) expect(behaviour.source, behaviour.name).toMatch(/\S/);
  });

  for (const behaviour of AWS_BEHAVIOURS) {
    it(behaviour.name, async () => {
      const outcome = await checkExpectation(behaviour, ours);
      outcomes.push(outcome);
      expect(outcome.seen, `AWS documents this (${behaviour.source})`).toEqual(outcome.expected);
    });
  }

  it('summarises N/M against AWS', () => {
    expect(outcomes).toHaveLength(AWS_BEHAVIOURS.length);
    expect(summaryLine(outcomes, 0, 0)).toBe(`${AWS_BEHAVIOURS.length}/${AWS_BEHAVIOURS.length} match AWS's documented behaviour; 0/0 match moto`);
  });
});

// Our emulator against moto_server, one behaviour per test; one moto for the whole suite.
describe('conformance with moto', () => {
  let backends: Backend[] = [];
  let ours: Target;
  let moto: Target;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    backends = await Promise.all([startEmbeddedBackend(), startMotoBackend()]);
    ours = targetFor('embedded', backends[0]!);
    moto = targetFor('moto', backends[1]!);
  });
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.stop()));
  });

  it('has unique behaviour names (they key KNOWN_DIFFERENCES)', () => {
    expect(new Set(BEHAVIOURS.map((b) => b.name)).size).toBe(BEHAVIOURS.length);
  });

  for (const behaviour of BEHAVIOURS) {
    it(behaviour.name, async () => {
      const outcome = await compareBehaviour(behaviour, ours, moto);
      outcomes.push(outcome);
      expect(outcome.ours, 'our emulator crashed').not.toHaveProperty('crash');
      expect(outcome.moto, 'the moto side crashed: the behaviour is not portable').not.toHaveProperty('crash');
      if (!outcome.same) {
        expect(
          KNOWN_DIFFERENCES[behaviour.name],
          `unexplained difference\n  ours: ${JSON.stringify(outcome.ours)}\n  moto: ${JSON.stringify(outcome.moto)}\nfix it, or add it to KNOWN_DIFFERENCES with a reason`,
        ).toBeDefined();
      }
    });
  }

  it('keeps no stale known differences, and reports N/M', () => {
    expect(outcomes).toHaveLength(BEHAVIOURS.length);
    expect(staleKnownDifferences(outcomes)).toEqual([]);
    const matching = outcomes.filter((o) => o.same).length;
    expect(formatReport(outcomes).split('\n').at(-1)).toBe(`${matching}/${BEHAVIOURS.length} behaviours match moto`);
  });
});
