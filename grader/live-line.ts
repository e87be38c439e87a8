/** The stream a live line is drawn on: a terminal has isTTY and columns. */
export interface LineStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const ERASE = '\r\u001b[2K';
const REDRAW_EVERY_MS = 1000;

/**
 * One status line at the bottom of a terminal (`TODO 2 › says 'available' … 4 s`), redrawn
 * every second, with everything else printed above it. Off a terminal it draws nothing, and
 * output passes through untouched (logs and pipes get plain text).
 *
 * Output that ends mid-line (a `process.stdout.write('Creating… ')`) keeps the line hidden
 * until the output's line is complete, so the status never lands inside it.
 */
export class LiveLine {
  private status: (() => string) | undefined;
  private shown = false;
  private midLine = false;
  private timer: NodeJS.Timeout | undefined;
  readonly enabled: boolean;

  constructor(private readonly stream: LineStream, enabled = Boolean(stream.isTTY)) {
    this.enabled = enabled;
  }

  /** Shows `status()` (called again at each redraw, so it may count seconds). */
  show(status: () => string): void {
    this.status = status;
    if (!this.enabled) return;
    this.timer ??= setInterval(() => this.draw(), REDRAW_EVERY_MS);
    this.timer.unref();
    this.draw();
  }

  /** Draws the line again now (its status changed). */
  refresh(): void {
    this.draw();
  }

  /** Prints output above the line (to `target`, which shares the terminal: stdout or stderr). */
  print(text: string, target: { write(text: string): unknown } = this.stream): void {
    if (text.length === 0) return;
    this.erase();
    target.write(text);
    this.midLine = !text.endsWith('\n');
    this.draw();
  }

  /** Removes the line for good (before the scorecard). */
  stop(): void {
    this.status = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.erase();
  }

  private erase(): void {
    if (!this.shown) return;
    this.stream.write(ERASE);
    this.shown = false;
  }

  private draw(): void {
    if (!this.enabled || !this.status || this.midLine) return;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(`${ERASE}${fit(this.status(), width)}`);
    this.shown = true;
  }
}

/** Cuts a line to `width` characters (ANSI colour codes do not count), ending with an ellipsis. */
export function fit(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const escape = /^\u001b\[[0-9;]*m/.exec(line.slice(i));
    if (escape) {
      out += escape[0];
      i += escape[0].length - 1;
      continue;
    }
    if (visible === width - 1 && visibleLength(line.slice(i)) > 1) return out.includes('\u001b[') ? `${out}…\u001b[0m` : `${out}…`;
    out += line[i];
    visible++;
  }
  return out;
}

function visibleLength(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
