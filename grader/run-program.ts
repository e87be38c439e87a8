import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProgramRun {
  exitCode: number | null;
  timedOut: boolean;
  /** Stopped for going over its memory cap (V8's heap limit, or the resident-memory watchdog). */
  outOfMemory: boolean;
  /** The most resident memory the watchdog saw, MiB (0 where there is no /proc). */
  peakMiB: number;
}

/** V8 heap cap of the program, MiB: the student process's (grader/student-sandbox.ts DEFAULT_POLICY). */
export const PROGRAM_HEAP_MIB = 1024;
/** Resident memory past which the program is stopped, MiB (heap, buffers and code together). */
export const PROGRAM_RSS_MIB = 1536;
const WATCH_EVERY_MS = 250;

/**
 * What the runner tells the student when their program did not end well (red: it was
 * stopped; yellow: it exited with an error code), or undefined when it ended well. A
 * runaway loop near the heap cap spends its time in the garbage collector, so a timeout
 * with much memory in use says where the time went.
 */
export function programEnding(outcome: ProgramRun, timeoutSeconds: number, caps: { heapMiB: number; rssMiB: number } = { heapMiB: PROGRAM_HEAP_MIB, rssMiB: PROGRAM_RSS_MIB }): { level: 'red' | 'yellow'; text: string } | undefined {
  if (outcome.outOfMemory) {
    return {
      level: 'red',
      text:
        `Your program was stopped: it used more memory than its cap (${caps.heapMiB} MiB of JavaScript heap, ${caps.rssMiB} MiB in all). ` +
        'Look for a loop that never ends, such as a promise chain that schedules itself again (.then(loop)) or an array that only grows.',
    };
  }
  if (outcome.timedOut) {
    const memory = outcome.peakMiB > caps.heapMiB / 2 ? ` It was using ${outcome.peakMiB} MiB of memory by then: look for a loop that never ends.` : '';
    return { level: 'red', text: `Your program was stopped after ${timeoutSeconds} s.${memory}` };
  }
  return outcome.exitCode !== 0 ? { level: 'yellow', text: `Your program exited with code ${outcome.exitCode}.` } : undefined;
}

/**
 * V8's own report when the heap cap is hit: its last GCs, then a native stack trace. It
 * is for V8's developers; the student gets one line from the runner instead.
 */
const V8_OOM_REPORT = /^<--- Last few GCs --->|^FATAL ERROR: .*heap|JavaScript heap out of memory/;

/**
 * Runs a lab's program (TypeScript, through tsx's loader) as a child process, in the
 * lab folder, with exactly the environment given (the scrubbed one), and kills it after
 * `timeoutSeconds`. Its output is handed to `onOutput` as it comes (the runner prints it
 * above its live line), and the promise settles only once all of it has been read, so
 * nothing the program printed can land after the scorecard.
 *
 * Memory is capped twice: V8's heap (`--max-old-space-size`), which ends a runaway
 * promise chain or array with V8's report (dropped here, see V8_OOM_REPORT); and, where
 * /proc exists (Linux), a watchdog on resident memory for what lives outside the heap
 * (buffers). Either way the result says `outOfMemory`, and the runner says so.
 */
export function runProgram(options: {
  dir: string;
  program: string;
  env: NodeJS.ProcessEnv;
  timeoutSeconds: number;
  onOutput: (text: string, stream: 'stdout' | 'stderr') => void;
  heapMiB?: number;
  rssMiB?: number;
}): Promise<ProgramRun> {
  // Resolved from here, not from the lab folder, so a submission anywhere still finds tsx.
  const tsxLoader = import.meta.resolve('tsx');
  const heapMiB = options.heapMiB ?? PROGRAM_HEAP_MIB;
  const rssLimit = (options.rssMiB ?? PROGRAM_RSS_MIB) * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, '--import', tsxLoader, join(options.dir, options.program)], {
      cwd: options.dir,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    let outOfMemory = false;
    let peak = 0;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutSeconds * 1000);
    const watchdog = setInterval(() => {
      const resident = child.pid === undefined ? 0 : residentBytes(child.pid);
      peak = Math.max(peak, resident);
      if (resident > rssLimit) {
        outOfMemory = true;
        child.kill('SIGKILL');
      }
    }, WATCH_EVERY_MS);
    watchdog.unref();

    child.stdout.setEncoding('utf8').on('data', (text: string) => options.onOutput(text, 'stdout'));
    let stderrRest = '';
    let v8Report = false;
    let blankLines = '';
    const stderrLines = (text: string, flush: boolean) => {
      const lines = (stderrRest + text).split(/(?<=\n)/);
      stderrRest = flush || lines.at(-1)!.endsWith('\n') ? '' : lines.pop()!;
      for (const line of lines) {
        if (V8_OOM_REPORT.test(line)) v8Report = true;
        if (v8Report) continue;
        // V8's report starts with a blank line: a blank line waits for the next one.
        if (line === '\n') {
          blankLines += line;
          continue;
        }
        options.onOutput(blankLines + line, 'stderr');
        blankLines = '';
      }
      if (flush && !v8Report && blankLines) options.onOutput(blankLines, 'stderr');
    };
    child.stderr.setEncoding('utf8').on('data', (text: string) => stderrLines(text, false));
    child.stderr.on('end', () => stderrLines('', true));

    child.on('error', (error) => {
      clearTimeout(timer);
      clearInterval(watchdog);
      reject(error);
    });
    // 'close', not 'exit': the program's output has all been read by then.
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(watchdog);
      resolve({ exitCode: code, timedOut, outOfMemory: outOfMemory || v8Report, peakMiB: Math.round(peak / 1024 / 1024) });
    });
  });
}

/** VmRSS of a process in bytes, from /proc (0 where there is no /proc, or the process is gone). */
function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
