/**
 * Virtual time in the student's process: while a check that asks for it runs, the
 * student's timers (setTimeout, setInterval, their node:timers and node:timers/promises
 * forms) and Date are fakes (@sinonjs/fake-timers). When the student's code has nothing to
 * do but wait for a timer (no request, file operation or grader callback in flight), this
 * asks the grader for the time of that timer; the grader moves the emulator's clock by the
 * same amount and answers, and the timer fires here at once. A 20-second waiter poll costs
 * a round trip instead of 20 seconds, and the emulator's request log still shows it 20
 * seconds after the one before.
 *
 * The student's code can see and disturb all of this (it shares the process): the grader
 * decides how far time may move and what the emulator's clock says, never this file.
 */
import { install, type Clock as InstalledClock } from '@sinonjs/fake-timers';
import { syncBuiltinESMExports } from 'node:module';

// The real timers, taken before any fake is installed: the idle poll below runs on them.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/**
 * Handles that are there whether or not the student's code is doing something: our own
 * poll timer, the grader's socket, listening servers, the terminal and signal handlers.
 * Every other kind (a TCP socket in use, a DNS lookup, a file operation, an immediate, a
 * child process) means something is in flight. Idle keep-alive sockets do not show: Node's
 * HTTP agent unrefs them, and only ref'd handles are listed.
 */
const RESTING_HANDLES = new Set(['Timeout', 'PipeWrap', 'PipeServerWrap', 'TCPServerWrap', 'TTYWrap', 'SignalWrap', 'StatWatcher', 'FSEventWrap']);

/** Consecutive idle polls (about a millisecond apart) before time moves: a reply that is on its way gets there first. */
const QUIET_POLLS = 2;

function handlesInUse(): number {
  return process.getActiveResourcesInfo().filter((kind) => !RESTING_HANDLES.has(kind)).length;
}

export class VirtualTime {
  private clock: InstalledClock | undefined;
  private poll: ReturnType<typeof setTimeout> | undefined;
  private quietPolls = 0;
  /** A request for time is out to the grader. */
  private asking = false;

  /**
   * @param askFor asks the grader to move time to `untilMs` (it answers with `advanceTo`)
   * @param working whether the grader is waiting on this process (a call in flight, no callback outstanding)
   */
  constructor(
    private readonly askFor: (untilMs: number) => void,
    private readonly working: () => boolean,
  ) {}

  /** Fakes the clock, starting at `nowMs` (the emulator's time). */
  start(nowMs: number): void {
    this.stop();
    this.clock = install({
      now: nowMs,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      // A timer the student made before the check (a real one) may still be cleared.
      shouldClearNativeTimers: true,
      loopLimit: 100_000,
    });
    // `import { setTimeout } from 'node:timers/promises'` reads the module's ESM view: bring it up to date.
    syncBuiltinESMExports();
    this.asking = false;
    this.schedulePoll();
  }

  /** Real time again; timers still pending are dropped with the check. */
  stop(): void {
    if (this.poll) realClearTimeout(this.poll);
    this.poll = undefined;
    if (!this.clock) return;
    this.clock.uninstall();
    this.clock = undefined;
    syncBuiltinESMExports();
  }

  /** The grader's answer (or its own move, e.g. a session made to expire): time is now `toMs`; due timers fire. */
  advanceTo(toMs: number): void {
    this.asking = false;
    this.quietPolls = 0;
    const clock = this.clock;
    if (!clock || !Number.isFinite(toMs)) return;
    try {
      // tick(0) too: a timer due now (fake-timers makes a pause under 1 ms a pause of 0) fires only on a tick.
      clock.tick(Math.max(0, toMs - clock.now));
    } catch (error) {
      // A timer callback that throws: as an uncaught exception would be with real timers.
      process.emit('uncaughtException', error as Error);
    }
  }

  private schedulePoll(): void {
    this.poll = realSetTimeout(() => this.check(), 1);
    this.poll.unref();
  }

  private check(): void {
    const clock = this.clock;
    if (!clock) return;
    if (!this.asking && clock.countTimers() > 0 && this.working() && handlesInUse() === 0) {
      this.quietPolls++;
      if (this.quietPolls >= QUIET_POLLS) {
        const next = nextTimerAt(clock);
        if (next !== undefined) {
          this.asking = true;
          this.askFor(Math.max(next, clock.now));
        }
      }
    } else {
      this.quietPolls = 0;
    }
    this.schedulePoll();
  }
}

/**
 * When the earliest pending timer is due. fake-timers keeps its timers in a heap whose
 * `peek()` it documents on the clock's type (`timerHeap`) but does not export a getter for.
 */
function nextTimerAt(clock: InstalledClock): number | undefined {
  const heap = (clock as unknown as { timerHeap?: { peek(): { callAt: number } | undefined } }).timerHeap;
  return heap?.peek()?.callAt;
}
