import type { ProgressEvent } from '../checks/support/lab-reporter.ts';
import type { Style } from './scorecard.ts';

/**
 * What the live line says while a lab runs: the check that is running and for how long
 * (`TODO 2 › says 'available' … 4 s`), else the program while it runs, else that grading
 * is starting. Fed by the lab reporter's progress events (gradeChecks({ progress })).
 */
export class GradingStatus {
  private check: { todo: number; name: string; since: number } | undefined;
  private program: { since: number } | undefined;
  private finished = 0;

  constructor(
    private readonly style: Style,
    private readonly now: () => number = Date.now,
  ) {}

  programStarted(): void {
    this.program = { since: this.now() };
  }

  programEnded(): void {
    this.program = undefined;
  }

  onProgress(event: ProgressEvent): void {
    if (event.event === 'start') this.check = { todo: event.todo, name: event.name, since: this.now() };
    else {
      this.finished++;
      if (this.check?.name === event.name) this.check = undefined;
    }
  }

  text(): string {
    const elapsed = (since: number) => this.style.dim(` … ${Math.floor((this.now() - since) / 1000)} s`);
    const done = this.finished > 0 ? this.style.dim(`  (${this.finished} checked)`) : '';
    if (this.check) return `${this.style.bold(`TODO ${this.check.todo}`)} › ${this.check.name}${elapsed(this.check.since)}${done}`;
    if (this.program) return `your program is running${elapsed(this.program.since)}`;
    return `grading${this.style.dim(' …')}${done}`;
  }
}
