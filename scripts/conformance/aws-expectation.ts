import { isDeepStrictEqual } from 'node:util';
import type { Observation, Target } from './behaviour.ts';

/**
 * One behaviour with AWS's documented answer as the expected observation (status, error
 * code as the SDK names it, the fields a client reads), and where AWS documents it.
 * Unlike the moto table, agreement here is the goal: moto departs from AWS in places.
 */
export interface AwsExpectation {
  /** Unique: "S3 GetObject of a missing key: 404 NoSuchKey". */
  readonly name: string;
  /** Runs on a freshly reset target. */
  run(target: Target): Promise<Observation>;
  readonly expected: Observation;
  /** The AWS documentation page or API reference section that says so. */
  readonly source: string;
}

export interface AwsOutcome {
  name: string;
  seen: Observation;
  expected: Observation;
  matches: boolean;
  source: string;
}

export async function checkExpectation(expectation: AwsExpectation, target: Target): Promise<AwsOutcome> {
  await target.backend.reset();
  let seen: Observation;
  try {
    // Through JSON: dates become strings and undefined fields drop out, as in the expected values.
    seen = JSON.parse(JSON.stringify(await expectation.run(target))) as Observation;
  } catch (error) {
    seen = { crash: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  const expected = JSON.parse(JSON.stringify(expectation.expected)) as Observation;
  return { name: expectation.name, seen, expected, matches: isDeepStrictEqual(seen, expected), source: expectation.source };
}

export function formatAwsReport(outcomes: AwsOutcome[]): string {
  const lines = outcomes.map((o) => `${o.matches ? '✓' : '✗'} ${o.name}`);
  const misses = outcomes.filter((o) => !o.matches);
  if (misses.length > 0) {
    lines.push('', 'Not as AWS documents:');
    for (const o of misses) {
      lines.push(`  ${o.name}`, `    AWS (${o.source}): ${JSON.stringify(o.expected)}`, `    ours: ${JSON.stringify(o.seen)}`);
    }
  }
  return lines.join('\n');
}

/** The summary line `npm run conformance` ends with. */
export function summaryLine(aws: AwsOutcome[], motoMatching: number, motoTotal: number): string {
  return `${aws.filter((o) => o.matches).length}/${aws.length} match AWS's documented behaviour; ${motoMatching}/${motoTotal} match moto`;
}
