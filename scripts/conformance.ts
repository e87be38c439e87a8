import { startEmbeddedBackend } from '../backends/embedded.ts';
import { startMotoBackend } from '../backends/moto.ts';
import { targetFor } from './conformance/behaviour.ts';
import { BEHAVIOURS } from './conformance/behaviours.ts';
import { compareBehaviour, conforms, formatReport, type Outcome } from './conformance/compare.ts';

/**
 * `npm run conformance`: the same SDK calls against our emulator and a moto_server,
 * compared behaviour by behaviour. Exit 1 on an unexplained difference.
 */
async function main(): Promise<number> {
  const [ours, moto] = await Promise.all([startEmbeddedBackend(), startMotoBackend()]);
  try {
    const oursTarget = targetFor('embedded', ours);
    const motoTarget = targetFor('moto', moto);
    const outcomes: Outcome[] = [];
    for (const behaviour of BEHAVIOURS) outcomes.push(await compareBehaviour(behaviour, oursTarget, motoTarget));
    console.log(formatReport(outcomes));
    return conforms(outcomes) ? 0 : 1;
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
