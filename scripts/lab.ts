import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BACKEND_NAMES, type BackendName } from '../backends/backend.ts';
import { isFullMarks, toJson } from '../grader/lab-result.ts';
import { runLab } from '../grader/run-lab.ts';
import { renderScorecard, styleFor } from '../grader/scorecard.ts';

const USAGE = `Usage: npm run lab:N [-- options]   (or: tsx scripts/lab.ts N [options])

Runs lab N's program against an AWS emulator, then grades every TODO.

Options:
  --backend NAME     ${BACKEND_NAMES.join(' | ')} (default embedded)
  --endpoint URL     grade against an emulator you run yourself at URL
  --submission DIR   grade another copy of the labs folder (or of the lab folder)
  --seed N           replay a run's random inputs
  --skip-program     grade only, without running the lab's program first
  --json             print only the JSON result on stdout
  -h, --help         this text

Exit code 0 only at full marks.`;

const root = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      backend: { type: 'string', default: 'embedded' },
      endpoint: { type: 'string' },
      submission: { type: 'string' },
      seed: { type: 'string' },
      'skip-program': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const lab = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(lab)) throw new Error(`Which lab? Give its number, e.g. \`npm run lab:2\`.\n\n${USAGE}`);
  if (!BACKEND_NAMES.includes(values.backend as BackendName)) {
    throw new Error(`Unknown backend ${values.backend}; choose one of ${BACKEND_NAMES.join(', ')}.`);
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed takes an integer, got ${values.seed}`);

  const { lab: info, result } = await runLab({
    root,
    lab,
    backend: values.backend as BackendName,
    endpoint: values.endpoint,
    submission: values.submission,
    seed,
    skipProgram: values['skip-program'],
    json: values.json,
  });
  if (values.json) process.stdout.write(`${toJson(result)}\n`);
  else process.stdout.write(renderScorecard(result, info.manifest, styleFor(process.stdout)));
  return isFullMarks(result) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
