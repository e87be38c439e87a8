import { fileURLToPath } from 'node:url';
import { BACKEND_NAMES, type BackendName } from '../backends/backend.ts';
import { parseLabArgs, UsageError, USAGE, type LabArgs } from '../grader/lab-args.ts';
import { failedBefore, readHistory, recordRun, writeHistory } from '../grader/lab-history.ts';
import { renderLabList } from '../grader/lab-list.ts';
import { isFullMarks, toJson } from '../grader/lab-result.ts';
import { findLab, listLabs, resolveSubmission } from '../grader/labs.ts';
import { runLab, runLabProgram } from '../grader/run-lab.ts';
import { renderScorecard, styleFor } from '../grader/scorecard.ts';
import { watchLab } from '../grader/watch-lab.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

async function gradeOnce(args: LabArgs): Promise<number> {
  const common = {
    root,
    lab: args.lab!,
    backend: args.backend as BackendName,
    endpoint: args.endpoint,
    resetEndpoint: args.resetEndpoint,
    submission: args.submission,
    seed: args.seed,
    json: args.json,
  };
  if (args.programOnly) {
    const { program } = await runLabProgram(common);
    return program?.exitCode === 0 ? 0 : 1;
  }
  const outcome = await runLab({ ...common, skipProgram: args.skipProgram, todo: args.todo });
  const history = readHistory(root);
  const repeated = failedBefore(history, outcome.result.lab);
  // A copy graded with --submission is not this copy's work: its score is not remembered.
  if (!args.submission) writeHistory(root, recordRun(history, outcome.result, args.todo === undefined));
  if (args.json) process.stdout.write(`${toJson(outcome.result)}\n`);
  else {
    process.stdout.write(
      renderScorecard(outcome.result, outcome.lab.manifest, styleFor(process.stdout), {
        verbose: args.verbose,
        showRecipe: (check) => args.hint || repeated.has(check.name),
        ...(outcome.typeErrors ? { typeErrors: outcome.typeErrors } : {}),
        ...(args.todo !== undefined ? { todo: args.todo } : {}),
        syntaxErrorsShown: outcome.syntaxErrorsShown,
        hintCommand: `npm run lab:${outcome.lab.number} -- --hint`,
        ...(process.stdout.isTTY ? { width: process.stdout.columns } : {}),
      }),
    );
  }
  return isFullMarks(outcome.result) ? 0 : 1;
}

async function main(): Promise<number> {
  const args = parseLabArgs(process.argv.slice(2), process.env);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.list) {
    process.stdout.write(renderLabList(listLabs(root), readHistory(root), styleFor(process.stdout)));
    return 0;
  }
  if (!BACKEND_NAMES.includes(args.backend as BackendName)) {
    throw new UsageError(`Unknown backend ${args.backend}; choose one of ${BACKEND_NAMES.join(', ')}.`);
  }
  if (!args.watch) return gradeOnce(args);
  const lab = findLab(root, args.lab!);
  await watchLab(resolveSubmission(lab, args.submission), () => gradeOnce(args).catch(reportError));
  return 0;
}

function reportError(error: unknown): number {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  return 2;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error);
  },
);
