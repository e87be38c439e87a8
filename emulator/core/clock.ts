/**
 * The emulator's clock. Real time plus an offset that the control API can move, so a
 * check can expire a session or pass a condition's `aws:CurrentTime` without waiting.
 *
 * A check that runs the student's code on virtual time (checks/support/check-meta.ts)
 * freezes it: then only moves change it, the ones the grader makes when the student's
 * code waits for a timer, so what the request log shows (a poll 1 s after the last) and
 * what the services see (a table CREATING for 2 s) follow the student's timers alone,
 * never how busy the machine is.
 */
export class Clock {
  private offsetMs = 0;
  /** While frozen: the time it stands at. */
  private frozenAtMs: number | undefined;

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.frozenAtMs ?? Date.now() + this.offsetMs;
  }

  get frozen(): boolean {
    return this.frozenAtMs !== undefined;
  }

  advance(seconds: number): void {
    if (this.frozenAtMs !== undefined) this.frozenAtMs += seconds * 1000;
    else this.offsetMs += seconds * 1000;
  }

  set(at: Date): void {
    if (this.frozenAtMs !== undefined) this.frozenAtMs = at.getTime();
    else this.offsetMs = at.getTime() - Date.now();
  }

  /** Stops the clock where it is (true), or lets it run on from there (false). */
  freeze(frozen: boolean): void {
    if (frozen) {
      this.frozenAtMs ??= this.nowMs();
    } else if (this.frozenAtMs !== undefined) {
      this.offsetMs = this.frozenAtMs - Date.now();
      this.frozenAtMs = undefined;
    }
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozenAtMs = undefined;
  }
}
