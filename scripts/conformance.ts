import { startEmbeddedBackend } from '../backends/embedded.ts';
import { startMotoBackend } from '../backends/moto.ts';
import { AWS_BEHAVIOURS } from './conformance/aws-behaviours.ts';
import { checkExpectation, formatAwsReport, summaryLine, type AwsOutcome } from './conformance/aws-expectation.ts';
import { targetFor } from './conformance/behaviour.ts';
import { BEHAVIOURS } from './conformance/behaviours.ts';
import { compareBehaviour, conforms, formatReport, type Outcome } from './conformance/compare.ts';

/**
 * `npm run conformance`: two tables. First, behaviours with AWS's documented answer as the
 * expected value, run on our emulator (the goal: all match). Second, the same SDK calls
 * against our emulator and a moto_server, compared behaviour by behaviour (moto departs
 * from AWS in places; every difference must be explained). Exit 1 on a behaviour that
 * does not match AWS, or an unexplained difference with moto.
 */
async function main(): Promise<number> {
  const [ours, moto] = await Promise.all([startEmbeddedBackend(), startMotoBackend()]);
  try {
    const oursTarget = targetFor('embedded', ours);
    const motoTarget = targetFor('moto', moto);
    const aws: AwsOutcome[] = [];
    for (const behaviour of AWS_BEHAVIOURS) aws.push(await checkExpectation(behaviour, oursTarget));
    console.log("Behaviours with AWS's documented answer:\n");
    console.log(formatAwsReport(aws));
    const outcomes: Outcome[] = [];
    for (const behaviour of BEHAVIOURS) outcomes.push(await compareBehaviour(behaviour, oursTarget, motoTarget));
    console.log('\nThe same calls against moto_server:\n');
    console.log(formatReport(outcomes));
    console.log(`\n${summaryLine(aws, outcomes.filter((o) => o.same).length, outcomes.length)}`);
    return aws.every((o) => o.matches) && conforms(outcomes) ? 0 : 1;
  } finally {
    await Promise.all([ours.stop(), moto.stop()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
