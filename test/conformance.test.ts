import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../backends/backend.ts';
import { startEmbeddedBackend } from '../backends/embedded.ts';
import { startMotoBackend } from '../backends/moto.ts';
import { targetFor, type Target } from '../scripts/conformance/behaviour.ts';
import { BEHAVIOURS } from '../scripts/conformance/behaviours.ts';
import { compareBehaviour, formatReport, staleKnownDifferences, type Outcome } from '../scripts/conformance/compare.ts';
import { KNOWN_DIFFERENCES } from '../scripts/conformance/known-differences.ts';

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
