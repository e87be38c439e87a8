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
  /** Hidden checks live in `checks/NN-name.hidden.check.ts`, left out of the student edition. */
  hidden?: boolean;
  /** Default 10. Checks are never retried. */
  timeoutSeconds?: number;
}

export type CheckMeta = Required<Omit<CheckOptions, 'timeoutSeconds' | 'recipe'>> & Pick<CheckOptions, 'recipe'>;

declare module 'vitest' {
  interface TaskMeta {
    check?: CheckMeta;
  }
}

export const DEFAULT_CHECK_TIMEOUT_SECONDS = 10;
