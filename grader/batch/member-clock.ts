import type { ProgressEvent } from '../../checks/support/lab-reporter.ts';

/** Seconds each member's checks have taken so far, from the reporter's start/end events. */
export class MemberClock {
  private readonly spent: number[];
  private readonly running = new Map<number, number>();

  constructor(members: number, private readonly now: () => number = Date.now) {
    this.spent = Array.from({ length: members }, () => 0);
  }

  onEvent(event: ProgressEvent): void {
    const member = event.submission ?? 0;
    if (event.event === 'start') this.running.set(member, this.now());
    else this.stop(member);
  }

  /** Ends whatever check of `member` is still timed (the run ended, or was stopped). */
  stop(member: number): void {
    const since = this.running.get(member);
    if (since === undefined) return;
    this.spent[member]! += (this.now() - since) / 1000;
    this.running.delete(member);
  }

  /** Seconds of `member`'s checks, the one running now included. */
  seconds(member: number): number {
    const since = this.running.get(member);
    return this.spent[member]! + (since === undefined ? 0 : (this.now() - since) / 1000);
  }
}
