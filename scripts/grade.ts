import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gradeBatch } from '../grader/batch/grade-batch.ts';
import { mergeShards } from '../grader/batch/merge-shards.ts';
import { createProgress } from '../grader/batch/progress.ts';
import { parseLabs } from '../grader/batch/parse-labs.ts';
import { parseShard } from '../grader/batch/shard.ts';

const USAGE = `Usage: npm run grade -- --submissions DIR --out OUT [options]
       npm run grade -- --merge SHARD_OUT... --out OUT [--submissions DIR]

Grades a class: each folder of DIR is one student's clone of the student edition; their
labs/ are graded with this repository's checks (hidden ones included), each submission
in a sandboxed child process with a fresh emulator of its own.

Options:
  --submissions DIR        one folder per student
  --out OUT                reports: OUT/gradebook.csv, OUT/summary.md, OUT/report.html,
                           OUT/junit.xml, OUT/run.json and per student
                           OUT/<student>/results.json (Gradescope),
                           classroom-labNN.b64 (GitHub Classroom), junit.xml, result.json
  --labs 2,3               only these labs (commas or spaces; default: every lab)
  --backend NAME           embedded (the only backend batch grading supports: each
                           submission needs a fresh emulator of its own)
  --jobs N                 submissions graded at once (default: the number of cores)
  --submission-timeout S   limit for one submission, all its labs (default 300)
  --group N                submissions graded together in one run of each lab's
                           checks, one after another (default: up to 8; 1 = each in
                           a run of its own). Each keeps its own sandbox, user and
                           time limit; a member over its limit is graded again alone
  --seed N                 the run seed (default: the seed of the run OUT holds, else
                           random; printed)
  --force                  grade again the students OUT already has; replace a run
                           OUT holds that used other labs, seed or checks
  --shard i/n              grade only part i of n of the class (a student's part
                           depends on their name only); needs --seed
  --merge DIR...           combine the OUTs of shards 1..n into --out (same seed,
                           labs and checks); with --submissions, also the similarity flag
  -h, --help               this text`;

const root = fileURLToPath(new URL('..', import.meta.url));

function positiveNumber(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${option} takes a positive number, got ${value}`);
  return number;
}

function wholeNumber(value: string | undefined, option: string): number | undefined {
  const number = positiveNumber(value, option);
  if (number !== undefined && !Number.isInteger(number)) throw new Error(`${option} takes a whole number, got ${value}`);
  return number;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      submissions: { type: 'string' },
      out: { type: 'string' },
      labs: { type: 'string' },
      backend: { type: 'string', default: 'embedded' },
      jobs: { type: 'string' },
      'submission-timeout': { type: 'string' },
      group: { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
      shard: { type: 'string' },
      merge: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.merge) {
    if (!values.out) throw new Error(`--merge needs --out.\n\n${USAGE}`);
    const { run, reports } = mergeShards({ root, shards: positionals, out: values.out, submissions: values.submissions });
    console.log(`Merged ${positionals.length} shard(s): ${reports.length} submission(s), labs ${run.labs.join(', ')}, seed ${run.seed}. Reports in ${values.out}: gradebook.csv, summary.md, report.html, junit.xml, <student>/results.json.`);
    return 0;
  }
  if (positionals.length > 0) throw new Error(`Unexpected argument ${positionals[0]} (only --merge takes folders).\n\n${USAGE}`);
  if (!values.submissions || !values.out) throw new Error(`--submissions and --out are required.\n\n${USAGE}`);
  if (values.backend !== 'embedded') {
    throw new Error(`--backend ${values.backend}: batch grading runs on the embedded emulator only (every submission gets a fresh one of its own).`);
  }
  const labs = values.labs === undefined ? undefined : parseLabs(values.labs);
  const { availableParallelism } = await import('node:os');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed takes an integer, got ${values.seed}`);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard && seed === undefined) throw new Error('--shard needs --seed: every shard of the class must grade with the same seed, or they cannot be merged.');
  const started = Date.now();
  const outcome = await gradeBatch({
    root,
    submissions: values.submissions,
    out: values.out,
    labs,
    jobs: positiveNumber(values.jobs, '--jobs') ?? availableParallelism(),
    submissionTimeoutSeconds: positiveNumber(values['submission-timeout'], '--submission-timeout'),
    groupSize: wholeNumber(values.group, '--group'),
    force: values.force,
    seed,
    shard,
    progress: createProgress({ write: (text) => process.stdout.write(text), tty: process.stdout.isTTY === true }),
  });
  const minutes = (Date.now() - started) / 60_000;
  console.log(
    `Graded ${outcome.graded.length} submission(s)${outcome.skipped.length ? `, skipped ${outcome.skipped.length} already graded` : ''} in ${(minutes * 60).toFixed(1)} s (seed ${outcome.run.seed}). Reports in ${values.out}: gradebook.csv, summary.md, report.html, junit.xml, <student>/results.json.`,
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
