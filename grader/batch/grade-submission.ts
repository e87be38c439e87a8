/**
 * The child process that grades a GROUP of submissions (one or more; started by
 * grade-batch.ts in a process group of its own, so a timeout can stop all of it):
 *
 *   tsx grader/batch/grade-submission.ts <root> <temp dir> <job JSON>
 *
 * Each lab is graded for the whole group in one run of its checks, on an embedded emulator
 * of its own (grade-lab.ts), one member after another. Each member's result is written to
 * <its out dir>/labs/<NN-name>.json (and .log) as soon as the lab is graded, so a batch
 * that is stopped keeps every lab already graded. Temp files go under <temp dir>, which
 * the batch removes.
 *
 * A group of several keeps each member to its time budget: when one member's checks have
 * taken longer than it, the run stops and `over-budget.json` in <temp dir> names the
 * member; the batch then grades it, and every lab the others miss, one submission at a
 * time, exactly as it grades a group of one. A lab whose checks could not run in a group
 * is left out the same way (its results are not written), so no member's grade depends on
 * another's.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgressEvent } from '../../checks/support/lab-reporter.ts';
import { listLabs, pickLab } from '../labs.ts';
import { killTree } from '../process-tree.ts';
import { BoundedOutput } from './bounded-output.ts';
import { gradeLabGroup, memberLog } from './grade-lab.ts';
import { MemberClock } from './member-clock.ts';
import { memberLine, OVER_BUDGET_FILE, type GroupJob, type OverBudget } from './group-job.ts';

class OverBudgetError extends Error {
  constructor(readonly over: OverBudget) {
    super(`${over.student} went over its time budget`);
  }
}

/**
 * The batch that started this process may die without stopping it (SIGKILL): then its
 * children go too, rather than grade on for nobody (and on users a later batch reuses).
 */
function stopWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    // Its descendants first, then this process itself.
    if (process.ppid !== parent) killTree(process.pid);
  }, 1_000).unref();
}

async function main(): Promise<void> {
  stopWithParent();
  const [root, tempDir, jobJson] = process.argv.slice(2);
  if (!root || !tempDir || !jobJson) throw new Error('usage: grade-submission.ts <root> <temp dir> <job JSON>');
  const job = JSON.parse(jobJson) as GroupJob;
  const group = job.members.length > 1;
  for (const member of job.members) mkdirSync(join(member.outDir, 'labs'), { recursive: true });
  const labs = listLabs(root);
  const clock = new MemberClock(job.members.length);
  for (const number of job.labs) {
    const lab = pickLab(labs, number);
    const output = new BoundedOutput();
    const stop = new AbortController();
    const watch = group ? setInterval(() => overBudget(job, clock, stop), 250) : undefined;
    let graded;
    try {
      graded = await gradeLabGroup({
        root,
        lab,
        members: job.members,
        seed: job.seed,
        tempParent: tempDir,
        output,
        ...(group ? { progress: (event: ProgressEvent) => clock.onEvent(event), signal: stop.signal } : {}),
      });
    } catch (error) {
      if (!(error instanceof OverBudgetError)) throw error;
      writeFileSync(join(tempDir, OVER_BUDGET_FILE), JSON.stringify(error.over));
      process.stdout.write(memberLine(error.over.student, `went over its time budget (${error.over.seconds.toFixed(1)} s): the group stops here`));
      return;
    } finally {
      clearInterval(watch);
    }
    job.members.forEach((member, index) => {
      const result = graded[index]!;
      // Checks that could not run in the group are tried again alone; a lab the submission lacks is final either way.
      if (group && result.error !== undefined && existsSync(join(member.labsDir, lab.id))) {
        process.stdout.write(memberLine(member.student, `${lab.id}: not graded in the group (${result.error})`));
        return;
      }
      writeFileSync(join(member.outDir, 'labs', `${lab.id}.json`), `${JSON.stringify(result, null, 2)}\n`);
      writeFileSync(join(member.outDir, 'labs', `${lab.id}.log`), group ? memberLog(result) : output.toString());
      process.stdout.write(memberLine(member.student, `${lab.id}: ${result.score}/${result.max_score}`));
    });
    // The run's own output (normally nothing) belongs to no one member of a group.
    if (group && output.toString()) process.stderr.write(output.toString());
  }
}

function overBudget(job: GroupJob, clock: MemberClock, stop: AbortController): void {
  if (stop.signal.aborted) return;
  job.members.forEach((member, index) => {
    const seconds = clock.seconds(index);
    if (seconds > job.budgetSeconds && !stop.signal.aborted) stop.abort(new OverBudgetError({ student: member.student, seconds }));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
