import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { $ } from 'zx';
import { listLabs } from '../grader/labs.ts';
import { project, projectionLine } from './bench/projection.ts';

/**
 * `npm run bench`: wall time of what users wait for, median of N runs. Each benchmark is
 * a named command; add a section by adding an entry to BENCHMARKS. Commands that measure
 * something themselves (a peer ratio, peak memory) set `reports`, and what they print is
 * shown under the table.
 */
interface Benchmark {
  name: string;
  /** What a user types, for the table. */
  shows: string;
  /** The process to run (from the project root). */
  command: string[];
  /** Budget in seconds; the table flags a median above it. None for a limit measured beside the others. */
  budgetSeconds?: number;
  /** Exit codes that count as a successful run. */
  okExitCodes: number[];
  /** At most this many runs (for the slow ones), whatever --runs says. */
  maxRuns?: number;
  /** The work one run does, reported as a rate per minute under the table. */
  throughput?: { count: number; unit: string };
  /** Also project the rate onto a class graded on n runners (scripts/bench/projection.ts). */
  projectClass?: boolean;
  /** The command prints its own figures: show the last run's stdout under the table. */
  reports?: boolean;
}

const TSX = [process.execPath, '--import', 'tsx'];

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Every lab on its solution, as issue 16 budgets it: grading alone within 2.5 s, the whole
 * `npm run lab:N` (program included) within 4 s.
 */
const LAB_BENCHMARKS: Benchmark[] = [
  {
    name: 'the limit: a lab run with nothing to grade',
    shows: 'scripts/bench/floor/run-empty.ts (tsx, then vitest with one empty check, as the lab runner starts them)',
    command: [...TSX, 'scripts/bench/floor/run-empty.ts'],
    okExitCodes: [0],
  },
  ...listLabs(root).flatMap((lab): Benchmark[] => [
    {
      name: `lab ${lab.number}, grading only`,
      shows: `npm run lab:${lab.number} -- --json --skip-program`,
      command: [...TSX, 'scripts/lab.ts', String(lab.number), '--json', '--skip-program'],
      budgetSeconds: 2.5,
      okExitCodes: [0],
    },
    { name: `lab ${lab.number} (program and grading)`, shows: `npm run lab:${lab.number} -- --json`, command: [...TSX, 'scripts/lab.ts', String(lab.number), '--json'], budgetSeconds: 4, okExitCodes: [0] },
  ]),
];

const BENCHMARKS: Benchmark[] = [
  ...LAB_BENCHMARKS,
  {
    name: 'batch grading, the whole course',
    shows: 'npm run grade -- --jobs <cores> (one submission holding every lab\'s solution)',
    command: [...TSX, 'grader/batch/bench-batch.ts', '--course'],
    budgetSeconds: 15,
    okExitCodes: [0],
    maxRuns: 1,
    reports: true,
  },
  {
    name: 'batch grading, class of 100',
    shows: 'npm run grade -- --labs 2 --jobs <cores> (100 generated submissions: correct, wrong, not started, broken)',
    command: [...TSX, 'grader/batch/bench-batch.ts', '--class', '100'],
    budgetSeconds: 120,
    okExitCodes: [0],
    maxRuns: 1,
    throughput: { count: 100, unit: 'submissions' },
    projectClass: true,
  },
  {
    name: 'emulator start',
    shows: 'scripts/bench/emulator-start.ts (bundle, npm run emulator, moto_server: spawn to first answer, idle RSS; median of 5)',
    command: [...TSX, 'scripts/bench/emulator-start.ts'],
    budgetSeconds: 120,
    okExitCodes: [0],
    maxRuns: 1,
    reports: true,
  },
  {
    name: 'S3 + STS workload vs moto (peer)',
    shows: 'scripts/bench/s3-peer.ts (same SDK workload on a null server, embedded and moto_server; sequential and 64 clients)',
    command: [...TSX, 'scripts/bench/s3-peer.ts'],
    budgetSeconds: 120,
    okExitCodes: [0],
    maxRuns: 1,
    reports: true,
  },
  {
    name: '200 MiB lib-storage upload',
    shows: 'scripts/bench/large-upload.ts (20 MiB and 200 MiB through Upload, time and peak RSS; 200 MiB into a null sink)',
    command: [...TSX, 'scripts/bench/large-upload.ts'],
    budgetSeconds: 120,
    okExitCodes: [0],
    maxRuns: 1,
    reports: true,
  },
  {
    name: 'soak: 64 clients, S3 + DynamoDB',
    shows: 'scripts/bench/soak.ts (64 concurrent clients for 30 s; throughput, p50/p99, errors, RSS after reset, every write read back)',
    command: [...TSX, 'scripts/bench/soak.ts'],
    budgetSeconds: 90,
    okExitCodes: [0],
    maxRuns: 1,
    reports: true,
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timeOnce(benchmark: Benchmark): Promise<{ seconds: number; stdout: string }> {
  const started = process.hrtime.bigint();
  // nothrow: the exit code is judged here against okExitCodes, not by zx.
  const run = await $({ cwd: root, quiet: true, nothrow: true })`${benchmark.command}`;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!benchmark.okExitCodes.includes(run.exitCode ?? -1)) {
    throw new Error(`${benchmark.name}: exit code ${run.exitCode}\n${run.stdout.slice(-2000)}${run.stderr.slice(-2000)}`);
  }
  return { seconds, stdout: run.stdout };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, only: { type: 'string' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
  const selected = BENCHMARKS.filter((b) => !values.only || b.name.includes(values.only));
  if (selected.length === 0) throw new Error(`no benchmark matches ${values.only}; there are: ${BENCHMARKS.map((b) => b.name).join(', ')}`);

  const rows = [];
  for (const benchmark of selected) {
    const times: number[] = [];
    let lastStdout = '';
    // One at a time: concurrent runs would measure each other.
    for (let run = 0; run < Math.min(runs, benchmark.maxRuns ?? runs); run++) {
      const { seconds, stdout } = await timeOnce(benchmark);
      times.push(seconds);
      lastStdout = stdout;
    }
    process.stderr.write(`${benchmark.name}: ${times.map((t) => t.toFixed(2)).join(' ')} s\n`);
    rows.push({ benchmark, median: median(times), min: Math.min(...times), max: Math.max(...times), lastStdout });
  }

  const header = ['benchmark', 'command', 'runs', 'median', 'min', 'max', 'budget'];
  const body = rows.map(({ benchmark, median: m, min, max }) => [
    benchmark.name,
    benchmark.shows,
    String(Math.min(runs, benchmark.maxRuns ?? runs)),
    `${m.toFixed(2)} s`,
    `${min.toFixed(2)} s`,
    `${max.toFixed(2)} s`,
    benchmark.budgetSeconds === undefined ? '-' : `${benchmark.budgetSeconds} s${m > benchmark.budgetSeconds ? ' (over)' : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of body) console.log(line(row));
  for (const { benchmark, median: m } of rows) {
    if (benchmark.throughput) console.log(`${benchmark.name}: ${(benchmark.throughput.count / (m / 60)).toFixed(1)} ${benchmark.throughput.unit} per minute on this machine`);
    if (benchmark.throughput && benchmark.projectClass) console.log(projectionLine(project(benchmark.throughput.count, m), `${availableParallelism()} cores`));
  }
  for (const { benchmark, lastStdout } of rows) {
    if (benchmark.reports) console.log(`\n${benchmark.name}:\n${lastStdout.trimEnd()}`);
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
