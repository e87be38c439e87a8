import type { Shard } from './shard.ts';

/** What a batch says before it grades anything. */
export interface BatchStart {
  /** Submissions to grade now. */
  total: number;
  /** Submissions OUT already has (not graded again). */
  skipped: number;
  labs: string[];
  jobs: number;
  seed: number;
  shard?: Shard;
  /** Submissions of the whole class, when this is a shard. */
  classSize?: number;
}

/** The batch's voice: a start line, a line per submission, the end. */
export interface BatchProgress {
  start(info: BatchStart): void;
  /** A line about one submission that does not count as graded (e.g. already graded). */
  note(line: string): void;
  /** One submission graded: its line. */
  graded(line: string): void;
  end(): void;
}

export interface ProgressOptions {
  write: (text: string) => void;
  /** A terminal: one live line, rewritten, with elapsed time and an estimate of what is left. */
  tty: boolean;
  now?: () => number;
  /** How often the live line is redrawn without news (ms); 0: only on news. */
  tickMs?: number;
}

export function startLine(info: BatchStart): string {
  const part = info.shard ? `shard ${info.shard.index}/${info.shard.count}: ${info.total + info.skipped} of ${info.classSize ?? '?'} submissions; ` : '';
  const skipped = info.skipped ? ` (${info.skipped} already graded, skipped)` : '';
  return `Grading ${part}${info.total} submission(s)${skipped}, lab${info.labs.length === 1 ? '' : 's'} ${info.labs.join(', ')}, --jobs ${info.jobs}, seed ${info.seed}`;
}

/** m:ss, or h:mm:ss past an hour. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** The estimate of what is left: the mean time per finished submission so far (jobs run at once are in it) times what remains. */
export function remainingSeconds(elapsedSeconds: number, done: number, total: number): number | undefined {
  if (done === 0) return undefined;
  return (elapsedSeconds / done) * (total - done);
}

export function progressLine(done: number, total: number, elapsedSeconds: number): string {
  const width = String(total).length;
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  const left = remainingSeconds(elapsedSeconds, done, total);
  const eta = done === total ? 'done' : left === undefined ? 'ETA after the first submission' : `ETA ${clock(left)}`;
  return `[${String(done).padStart(width)}/${total}] ${String(percent).padStart(3)} % · ${clock(elapsedSeconds)} elapsed · ${eta}`;
}

export function createProgress(options: ProgressOptions): BatchProgress {
  const now = options.now ?? Date.now;
  let started = now();
  let done = 0;
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  const elapsed = () => (now() - started) / 1000;
  // \r and "erase line": the live line is replaced in place; other lines are written above it.
  const live = () => (options.tty && total > 0 ? `\r\x1b[2K${progressLine(done, total, elapsed())}` : '');
  const line = (text: string) => options.write(options.tty ? `\r\x1b[2K${text}\n${live()}` : `${text}\n`);
  return {
    start(info) {
      started = now();
      total = info.total;
      options.write(`${startLine(info)}\n${live()}`);
      if (options.tty && total > 0 && (options.tickMs ?? 1000) > 0) {
        timer = setInterval(() => options.write(live()), options.tickMs ?? 1000);
        timer.unref();
      }
    },
    note: line,
    graded(text) {
      done++;
      line(options.tty ? text : `[${done}/${total}] ${text}`);
    },
    end() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (options.tty && total > 0) options.write(`\r\x1b[2K${progressLine(done, total, elapsed())}\n`);
    },
  };
}
