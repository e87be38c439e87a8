import type { Capability } from '../../backends/backend.ts';

/*
 * The check metadata on its own, without the harness's runtime imports: the lab
 * reporter runs in vitest's main process and must load fast.
 */

/** What a check declares; it travels to the lab runner's reporter as `task.meta.check`. */
export interface CheckOptions {
  /** The TODO this check grades (the number in the lab's `// TODO n` comments). */
  todo: number;
  /** What the check proves, as a student reads it on the scorecard: "creates the bucket in us-east-1". */
  name: string;
  points: number;
  /** Shown when the check fails: the concept to look at, not the answer. */
  hint: string;
  /**
   * The full recipe (the call and its arguments), shown only on demand: with `--hint`, or
   * when the same check fails a second time in a row. Leave it out where the hint is enough.
   */
  recipe?: string;
  /** Backend capabilities the check relies on; without one the check is "not gradable", never passed or failed. */
  needs?: Capability[];
  /**
   * Why this check cannot be graded on this machine, if it cannot: a program it drives is
   * missing (lab 11's Chromium). Asked before the check runs; a reason makes the check
   * "not gradable: <reason>", never passed or failed.
   */
  unavailable?: () => string | undefined;
  /** Hidden checks live in `checks/NN-name.hidden.check.ts`, left out of the student edition. */
  hidden?: boolean;
  /** Default 10. Checks are never retried. */
  timeoutSeconds?: number;
  /**
   * Runs the student's code on virtual time: its timers and Date are fakes, and whenever it
   * only waits for a timer, its clock and the emulator's jump to that timer together (no
   * real waiting; the request log still shows the spacing). `ctx.advanceClock()` moves both.
   * Only where the backend's clock can be moved ('clock-control'); elsewhere time is real.
   */
  virtualTime?: boolean;
  /** How much virtual time the student's code may spend waiting before it is stopped (default 3600). */
  virtualTimeLimitSeconds?: number;
}

export type CheckMeta = Required<Omit<CheckOptions, 'timeoutSeconds' | 'recipe' | 'virtualTime' | 'virtualTimeLimitSeconds' | 'unavailable'>> & Pick<CheckOptions, 'recipe'>;

declare module 'vitest' {
  interface TaskMeta {
    check?: CheckMeta;
    /** Which of the run's submissions the check graded (0-based), when a run grades several (LAB_SUBMISSIONS). */
    submission?: number;
    /** What the student's code printed during the check (bounded), for the scorecard. */
    studentOutput?: string;
  }
}

export const DEFAULT_CHECK_TIMEOUT_SECONDS = 10;
export const DEFAULT_VIRTUAL_TIME_LIMIT_SECONDS = 3600;
