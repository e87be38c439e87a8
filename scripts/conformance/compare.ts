import { isDeepStrictEqual } from 'node:util';
import type { Behaviour, Observation, Target } from './behaviour.ts';
import { KNOWN_DIFFERENCES, type KnownDifference } from './known-differences.ts';

export interface Outcome {
  name: string;
  ours: Observation;
  moto: Observation;
  same: boolean;
  /** Set when the behaviour differs and the difference is explained. */
  known?: KnownDifference;
}

/** Runs a behaviour on freshly reset targets; an unexpected failure becomes `{ crash }` on that side. */
export async function compareBehaviour(behaviour: Behaviour, ours: Target, moto: Target): Promise<Outcome> {
  await Promise.all([ours.backend.reset(), moto.backend.reset()]);
  const [oursSeen, motoSeen] = await Promise.all([runOn(behaviour, ours), runOn(behaviour, moto)]);
  const same = isDeepStrictEqual(oursSeen, motoSeen);
  return { name: behaviour.name, ours: oursSeen, moto: motoSeen, same, known: same ? undefined : KNOWN_DIFFERENCES[behaviour.name] };
}

async function runOn(behaviour: Behaviour, target: Target): Promise<Observation> {
  try {
    // Through JSON: dates become strings and undefined fields drop out, on both sides alike.
    return JSON.parse(JSON.stringify(await behaviour.run(target))) as Observation;
  } catch (error) {
    return { crash: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Known differences whose behaviour now matches, or names no behaviour: the table must shrink. */
export function staleKnownDifferences(outcomes: Outcome[]): string[] {
  const differing = new Set(outcomes.filter((o) => !o.same).map((o) => o.name));
  return Object.keys(KNOWN_DIFFERENCES).filter((name) => !differing.has(name));
}

export function formatReport(outcomes: Outcome[], stale: string[] = staleKnownDifferences(outcomes)): string {
  const lines: string[] = [];
  for (const o of outcomes) lines.push(`${o.same ? '✓' : o.known ? '≠' : '✗'} ${o.name}`);
  const differences = outcomes.filter((o) => !o.same);
  if (differences.length > 0) {
    lines.push('', 'Differences:');
    for (const o of differences) {
      lines.push(`  ${o.name}`);
      lines.push(o.known ? `    ${o.known.verdict === 'aws' ? 'ours follows AWS' : 'BUG in ours'}: ${o.known.reason}` : '    UNEXPLAINED: add it to KNOWN_DIFFERENCES with a reason, or fix it');
      lines.push(`    ours: ${JSON.stringify(o.ours)}`);
      lines.push(`    moto: ${JSON.stringify(o.moto)}`);
    }
  }
  if (stale.length > 0) {
    lines.push('', 'Stale KNOWN_DIFFERENCES (these match now, or no behaviour has the name: delete them):');
    for (const name of stale) lines.push(`  ${name}`);
  }
  const matching = outcomes.filter((o) => o.same).length;
  lines.push('', `${matching}/${outcomes.length} behaviours match moto`);
  return lines.join('\n');
}

/** True when every difference is explained and no explanation is stale. */
export function conforms(outcomes: Outcome[]): boolean {
  return outcomes.every((o) => o.same || o.known) && staleKnownDifferences(outcomes).length === 0;
}
