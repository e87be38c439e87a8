/**
 * The child process that grades ONE submission (started by grade-batch.ts, one per
 * submission, in a process group of its own so a timeout can stop all of it):
 *
 *   tsx grader/batch/grade-submission.ts <root> <labs dir> <out dir> <temp dir> <job JSON>
 *
 * Each lab gets its own embedded emulator (grade-lab.ts); its result is written to
 * <out dir>/labs/<NN-name>.json as soon as it is known, so a batch that is stopped keeps
 * every lab already graded. Temp files go under <temp dir>, which the batch removes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxPolicy } from '../student-sandbox.ts';
import { listLabs, pickLab } from '../labs.ts';
import { BoundedOutput } from './bounded-output.ts';
import { gradeLab } from './grade-lab.ts';

export interface SubmissionJob {
  student: string;
  labs: number[];
  seed: number;
  sandbox: SandboxPolicy;
}

async function main(): Promise<void> {
  const [root, labsDir, outDir, tempDir, jobJson] = process.argv.slice(2);
  if (!root || !labsDir || !outDir || !tempDir || !jobJson) throw new Error('usage: grade-submission.ts <root> <labs dir> <out dir> <temp dir> <job JSON>');
  const job = JSON.parse(jobJson) as SubmissionJob;
  mkdirSync(join(outDir, 'labs'), { recursive: true });
  const labs = listLabs(root);
  for (const number of job.labs) {
    const lab = pickLab(labs, number);
    const output = new BoundedOutput();
    const result = await gradeLab({ root, lab, labsDir, seed: job.seed, tempParent: tempDir, sandbox: job.sandbox, output });
    writeFileSync(join(outDir, 'labs', `${lab.id}.json`), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(outDir, 'labs', `${lab.id}.log`), output.toString());
    process.stdout.write(`${job.student} ${lab.id}: ${result.score}/${result.max_score}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
