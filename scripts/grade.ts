import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gradeBatch } from '../grader/batch/grade-batch.ts';

const USAGE = `Usage: npm run grade -- --submissions DIR --out OUT [options]

Grades a class: each folder of DIR is one student's clone of the student edition; their
labs/ are graded with this repository's checks (hidden ones included), each submission
in a sandboxed child process with a fresh emulator of its own.

Options:
  --submissions DIR        one folder per student
  --out OUT                reports: OUT/gradebook.csv, OUT/summary.md, OUT/junit.xml and
                           per student OUT/<student>/results.json (Gradescope),
                           classroom-labNN.b64 (GitHub Classroom), junit.xml, result.json
  --labs 2,3               only these labs (default: every lab)
  --backend NAME           embedded (the only backend batch grading supports: each
                           submission needs a fresh emulator of its own)
  --jobs N                 submissions graded at once (default: the number of cores)
  --submission-timeout S   limit for one submission, all its labs (default 300)
  --seed N                 the run seed (default: random; printed)
  --force                  grade again the students OUT already has
  -h, --help               this text`;

const root = fileURLToPath(new URL('..', import.meta.url));

function positiveNumber(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${option} takes a positive number, got ${value}`);
  return number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      submissions: { type: 'string' },
      out: { type: 'string' },
      labs: { type: 'string' },
      backend: { type: 'string', default: 'embedded' },
      jobs: { type: 'string' },
      'submission-timeout': { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.submissions || !values.out) throw new Error(`--submissions and --out are required.\n\n${USAGE}`);
  if (values.backend !== 'embedded') {
    throw new Error(`--backend ${values.backend}: batch grading runs on the embedded emulator only (every submission gets a fresh one of its own).`);
  }
  const labs = values.labs?.split(',').map((part) => {
    const number = Number(part.trim());
    if (!Number.isInteger(number)) throw new Error(`--labs takes lab numbers separated by commas, e.g. 2,3; got ${values.labs}`);
    return number;
  });
  const { availableParallelism } = await import('node:os');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed takes an integer, got ${values.seed}`);
  const started = Date.now();
  const outcome = await gradeBatch({
    root,
    submissions: values.submissions,
    out: values.out,
    labs,
    jobs: positiveNumber(values.jobs, '--jobs') ?? availableParallelism(),
    submissionTimeoutSeconds: positiveNumber(values['submission-timeout'], '--submission-timeout'),
    force: values.force,
    seed,
    log: (line) => console.log(line),
  });
  const minutes = (Date.now() - started) / 60_000;
  console.log(
    `Graded ${outcome.graded.length} submission(s)${outcome.skipped.length ? `, skipped ${outcome.skipped.length} already graded` : ''} in ${(minutes * 60).toFixed(1)} s. Reports in ${values.out}: gradebook.csv, summary.md, junit.xml, <student>/results.json.`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
