import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedBackend } from '../../backends/embedded.ts';
import { LAB_ENV } from '../../checks/support/lab-environment.ts';
import type { ProgressEvent } from '../../checks/support/lab-reporter.ts';
import { Random, REGIONS } from '../../checks/support/random.ts';
import { gradeChecks } from '../grade.ts';
import { manifestPoints, type Lab } from '../labs.ts';
import { summarise, type LabResult } from '../lab-result.ts';
import { assertSafeEndpoint, backendEnv, buildLabEnv } from '../safe-env.ts';
import { STUDENT_OUTPUT_ENV } from '../student-process.ts';
import { SANDBOX_POLICIES_ENV, SANDBOX_POLICY_ENV, type SandboxPolicy } from '../student-sandbox.ts';
import { BoundedOutput } from './bounded-output.ts';
import { CHECK_TIMES_FILE_ENV, type CheckTime } from './timed-lab-reporter.ts';
import { createWorkspace } from './workspace.ts';

const TIMED_REPORTER = fileURLToPath(new URL('./timed-lab-reporter.ts', import.meta.url));

/** A check as the batch records it: with its time, when vitest measured one. */
export type GradedCheck = LabResult['checks'][number] & { seconds?: number };

/** One lab of one submission, as the batch records it. */
export interface GradedLab extends LabResult {
  checks: GradedCheck[];
  /** Why the lab could not be graded at all (it then scores 0 of the manifest's points). */
  error?: string;
  /** Errors outside any check, e.g. a check file that does not load. */
  problems: string[];
  /** Files of the submission left out of the copy (symbolic links). */
  skipped: string[];
  seconds: number;
}

/** One submission of a group graded together: its labs folder, and how its processes are sandboxed. */
export interface GroupMember {
  /** The student's labs/ folder (containing NN-name folders). */
  labsDir: string;
  sandbox: SandboxPolicy;
}

export interface GradeLabGroupOptions {
  root: string;
  lab: Lab;
  members: GroupMember[];
  seed: number;
  /** The group's temp folder: everything of this run goes there (the batch removes it). */
  tempParent: string;
  /**
   * One member: its lab log (vitest's output and the end of its student process's output).
   * Several: the run's own output only (vitest's), shared by the group; each member's log
   * is built from its own checks' output (`memberLog`), so no student sees another's.
   */
  output: BoundedOutput;
  /** Each check as it starts and ends, with its member's index (the batch's per-submission time budget). */
  progress?: (event: ProgressEvent) => void;
  /** Stops the run; it then throws the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Grades one lab of one or more submissions in ONE run of the instructor's checks (hidden
 * ones included), on a fresh embedded emulator of its own (its control API locked by a
 * per-run token, reset before every check): vitest, the checks and the SDK start once
 * for the whole group. The checks run in a trusted vitest process; each member's code
 * runs in sandboxed processes of its own, under its own policy (its own user as root),
 * one member after another: a member's processes are stopped, and its user's processes
 * killed, before the next member's first check (checks/support/check.ts).
 */
export async function gradeLabGroup(options: GradeLabGroupOptions): Promise<GradedLab[]> {
  const { lab, members } = options;
  // A member without the lab's folder scores 0 with the reason, alone or in a group alike; the others are graded.
  const absent = members.map((member) => !existsSync(join(member.labsDir, lab.id)));
  if (absent.some(Boolean)) {
    const present = members.filter((_, index) => !absent[index]);
    const graded = present.length > 0 ? await gradeLabGroup({ ...options, members: present }) : [];
    let next = 0;
    return members.map((_, index) => (absent[index] ? missingLab(lab, options.seed) : graded[next++]!));
  }
  const started = Date.now();
  const workspaces = members.map((member) => createWorkspace({ parent: options.tempParent, labsDir: member.labsDir }));
  // The run's own folder, in no member's workspace: a member learns its path (its TMPDIR is below it), and must learn no other member's.
  const runDir = mkdtempSync(join(options.tempParent, 'run-'));
  const backend = await startEmbeddedBackend();
  try {
    assertSafeEndpoint(backend.endpoint, false);
    const region = new Random(options.seed).pick(REGIONS);
    const sharedCredentialsFile = join(runDir, 'aws-credentials');
    const configFile = join(runDir, 'aws-config');
    const timesFile = join(runDir, 'check-times.json');
    writeFileSync(sharedCredentialsFile, '');
    writeFileSync(configFile, '');
    const submissionDirs = workspaces.map((workspace) => join(workspace.labsDir, lab.id));
    const single = members.length === 1;
    const env = {
      ...buildLabEnv(process.env, { endpoint: backend.endpoint, credentials: backend.credentials, region, sharedCredentialsFile, configFile }),
      [LAB_ENV.seed]: String(options.seed),
      ...(single
        ? { [LAB_ENV.submission]: submissionDirs[0]!, [SANDBOX_POLICY_ENV]: JSON.stringify(members[0]!.sandbox), [STUDENT_OUTPUT_ENV]: 'stderr' }
        : { [LAB_ENV.submissions]: JSON.stringify(submissionDirs), [SANDBOX_POLICIES_ENV]: JSON.stringify(members.map((m) => m.sandbox)) }),
      [CHECK_TIMES_FILE_ENV]: timesFile,
    };
    const checks = await gradeChecks({
      root: options.root,
      checkFiles: lab.checkFiles,
      env,
      // The backend is up before vitest starts.
      backend: Promise.resolve({ backend: backend.describe(), env: backendEnv(backend) }),
      output: (chunk) => options.output.write(chunk),
      tempParent: runDir,
      vitestArgs: ['--reporter', TIMED_REPORTER],
      ...(options.progress ? { progress: options.progress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    }).catch((error: Error) => error);
    const seconds = (Date.now() - started) / 1000;
    if (checks instanceof Error) {
      options.signal?.throwIfAborted();
      return workspaces.map((workspace) => ({
        ...summarise(lab.id, backend.name, options.seed, []),
        max_score: manifestPoints(lab),
        error: `The checks could not run: ${checks.message}`,
        problems: [checks.message],
        skipped: workspace.skipped,
        seconds: seconds / members.length,
      }));
    }
    const times: CheckTime[] = existsSync(timesFile) ? (JSON.parse(readFileSync(timesFile, 'utf8')) as CheckTime[]) : [];
    return workspaces.map((workspace, index) => {
      const own = single ? checks : checks.filter((c) => c.submission === index).map(({ submission: _submission, ...check }) => check);
      const ownTimes = single ? times : times.filter((t) => t.submission === index);
      const result = summarise(lab.id, backend.name, options.seed, own);
      return { ...result, checks: withTimes(result.checks, ownTimes), problems: [], skipped: workspace.skipped, seconds: single ? seconds : shareOf(seconds, ownTimes, times, members.length) };
    });
  } finally {
    await backend.stop();
    for (const workspace of workspaces) workspace.remove();
    rmSync(runDir, { recursive: true, force: true });
  }
}

function missingLab(lab: Lab, seed: number): GradedLab {
  const reason = `labs/${lab.id} is not in the submission: the lab scores 0.`;
  return { ...summarise(lab.id, 'embedded', seed, []), max_score: manifestPoints(lab), error: reason, problems: [reason], skipped: [], seconds: 0 };
}

export interface GradeLabOptions extends Omit<GradeLabGroupOptions, 'members'> {
  labsDir: string;
  sandbox: SandboxPolicy;
}

/** One lab of one submission: a group of one. */
export async function gradeLab(options: GradeLabOptions): Promise<GradedLab> {
  const { labsDir, sandbox, ...rest } = options;
  const [graded] = await gradeLabGroup({ ...rest, members: [{ labsDir, sandbox }] });
  return graded!;
}

/** A member's log in a group: what its code printed during each check (the shared run's output is not its own). */
export function memberLog(graded: GradedLab): string {
  const log = new BoundedOutput();
  for (const check of graded.checks.filter((c) => c.output)) log.write(`── TODO ${check.todo}: ${check.name}\n${check.output!.endsWith('\n') ? check.output : `${check.output}\n`}`);
  return log.toString();
}

/** A member's share of a group run's time: its own checks' time, plus an equal share of the rest (start-up, set-up). */
function shareOf(seconds: number, own: CheckTime[], all: CheckTime[], members: number): number {
  const sum = (list: CheckTime[]) => list.reduce((total, t) => total + t.seconds, 0);
  return sum(own) + Math.max(0, seconds - sum(all)) / members;
}

/** Each check with the time the timed reporter measured for it (matched by TODO and name). */
function withTimes(checks: LabResult['checks'], times: CheckTime[]): GradedCheck[] {
  return checks.map((check) => {
    const time = times.find((t) => t.todo === check.todo && t.name === check.name);
    return time ? { ...check, seconds: Math.round(time.seconds * 1000) / 1000 } : check;
  });
}
