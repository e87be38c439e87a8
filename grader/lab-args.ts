import { parseArgs } from 'node:util';
import { BACKEND_NAMES } from '../backends/backend.ts';

export const USAGE = `Usage: npm run lab:N [-- options]   (or: npm run lab -- N [options])

Runs lab N's program against an AWS emulator, then grades every TODO.

Options:
  --todo N           grade only TODO N (faster while you work on it)
  --watch            grade again each time you save a file of the lab (Ctrl-C stops)
  --hint             show the full recipe under each failed check, not just the hint
  --verbose          show everything your code printed during each check
  --program-only     run the lab's program alone (against a fresh emulator, with the
                     same throwaway credentials as grading), without grading
  --skip-program     grade only, without running the lab's program first
  --list             list the labs, their titles and your last scores
  --seed N           replay a run's random inputs
  --backend NAME     ${BACKEND_NAMES.join(' | ')} (default embedded)
  --endpoint URL     grade against an emulator you run yourself at URL
  --reset-endpoint   with --endpoint: agree that grading resets that emulator (deletes what is in it)
  --submission DIR   grade another copy of the labs folder (or of the lab folder)
  --json             print only the JSON result on stdout
  -h, --help         this text

Exit code 0 only at full marks (with --todo: that TODO's full marks).`;

const OPTIONS = {
  todo: { type: 'string' },
  watch: { type: 'boolean', default: false },
  hint: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  'program-only': { type: 'boolean', default: false },
  'skip-program': { type: 'boolean', default: false },
  list: { type: 'boolean', default: false },
  seed: { type: 'string' },
  backend: { type: 'string', default: 'embedded' },
  endpoint: { type: 'string' },
  'reset-endpoint': { type: 'boolean', default: false },
  submission: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const NPM_OWN = new Set(['json', 'help', 'verbose']);

export interface LabArgs {
  /** Undefined only with --list or --help. */
  lab?: number;
  todo?: number;
  seed?: number;
  watch: boolean;
  hint: boolean;
  verbose: boolean;
  programOnly: boolean;
  skipProgram: boolean;
  list: boolean;
  backend: string;
  endpoint?: string;
  resetEndpoint: boolean;
  submission?: string;
  json: boolean;
  help: boolean;
}

/** A mistake in the command line: shown with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The lab runner's command line. Mistakes get a sentence a student can act on: an
 * unknown option names the closest real one, and options that npm swallowed (given
 * without `--`, `npm run lab:2 --todo 2`) are spotted from npm's environment.
 */
export function parseLabArgs(argv: string[], env: NodeJS.ProcessEnv = {}): LabArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    throw explainParseError(error as Error & { code?: string });
  }
  const { values, positionals } = parsed;
  // npm keeps an unknown `--name` given before `--` as npm_config_name (json, help and verbose are npm's own).
  const swallowed = Object.keys(OPTIONS).filter(
    (name) => !NPM_OWN.has(name) && env[`npm_config_${name.replace(/-/g, '_')}`] !== undefined && !argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`)),
  );
  const args: LabArgs = {
    watch: values.watch,
    hint: values.hint,
    verbose: values.verbose,
    programOnly: values['program-only'],
    skipProgram: values['skip-program'],
    list: values.list,
    backend: values.backend,
    resetEndpoint: values['reset-endpoint'],
    json: values.json,
    help: values.help,
    ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
    ...(values.submission !== undefined ? { submission: values.submission } : {}),
  };
  if (args.help || args.list) return args;
  if (swallowed.length > 0 || positionals.length > 1) {
    const given = swallowed.map((name) => `--${name}`).join(' ');
    throw new UsageError(
      (swallowed.length > 0 ? `npm took ${given} as its own option, so the lab runner never saw it.` : `Unexpected argument(s): ${positionals.slice(1).join(' ')}.`) +
        ` Options for the lab runner go after \`--\`, e.g. \`npm run lab:${positionals[0] ?? 'N'} -- --todo 2\`.`,
    );
  }
  const lab = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(lab)) throw new UsageError('Which lab? Give its number, e.g. `npm run lab:2` (`npm run lab -- --list` lists them).');
  args.lab = lab;
  if (values.todo !== undefined) args.todo = integer('--todo', values.todo);
  if (values.seed !== undefined) args.seed = integer('--seed', values.seed);
  const conflicts: Array<[boolean, string]> = [
    [args.programOnly && args.skipProgram, '--program-only and --skip-program'],
    [args.programOnly && args.todo !== undefined, '--program-only and --todo (the program is not graded)'],
    [args.watch && args.json, '--watch and --json'],
    [args.resetEndpoint && args.endpoint === undefined, '--reset-endpoint without --endpoint'],
  ];
  const conflict = conflicts.find(([clash]) => clash);
  if (conflict) throw new UsageError(`${conflict[1]} do not go together.`);
  return args;
}

function integer(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new UsageError(`${option} takes a whole number, e.g. ${option} 2; got ${JSON.stringify(text)}.`);
  return value;
}

function explainParseError(error: Error & { code?: string }): Error {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(error.message)?.[1] ?? error.message;
    const closest = closestOption(option.replace(/^-+/, '').split('=')[0]!);
    return new UsageError(`Unknown option ${option}.${closest ? ` Did you mean --${closest}?` : ''} \`npm run lab -- --help\` lists the options.`);
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(--?[\w-]+)/.exec(error.message)?.[1] ?? 'that option';
    const takesValue = OPTIONS[option.replace(/^-+/, '').split(' ')[0] as keyof typeof OPTIONS]?.type === 'string';
    return new UsageError(takesValue ? `${option} needs a value, e.g. ${option} 2.` : `${option} takes no value.`);
  }
  return new UsageError(error.message);
}

/** The real option nearest to a mistyped one (edit distance at most 3), if any. */
export function closestOption(name: string): string | undefined {
  let best: { option: string; distance: number } | undefined;
  for (const option of Object.keys(OPTIONS)) {
    const distance = editDistance(name, option);
    if (distance <= 3 && (!best || distance < best.distance)) best = { option, distance };
  }
  return best?.option;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
