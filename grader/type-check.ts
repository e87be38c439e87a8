import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setPriority, tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { labSourceFiles } from './code-frame.ts';
import type { TypeErrorSummary } from './scorecard.ts';

/** How many of the errors the scorecard lists (the rest are counted). */
const SHOWN = 3;

export interface TypeCheck {
  /** The summary, or undefined if tsc did not finish in time (it is then stopped). */
  result(deadlineMs: number): Promise<TypeErrorSummary | undefined>;
  stop(): void;
}

/**
 * TypeScript's errors in a lab's files. tsx runs the lab without type checking, so a
 * wrong type only shows as a failing check; the scorecard adds one warning line instead.
 *
 * tsc runs in a child process of its own, at low priority, beside grading (a lab with the
 * SDK's types costs a few seconds of CPU), with the project's compiler options and only
 * the lab's files. The runner waits for it only a little past the end of grading, and
 * a result is remembered per content of the lab's files (under .work/type-check/), so an
 * unchanged lab is answered at once.
 */
export function startTypeCheck(root: string, labDir: string, shownFrom: string = process.cwd()): TypeCheck {
  const files = labSourceFiles(labDir).map((file) => join(labDir, file));
  const cacheDir = join(root, '.work', 'type-check');
  const key = createHash('sha256');
  for (const file of files) key.update(file).update('\0').update(readFileSync(file)).update('\0');
  const cacheFile = join(cacheDir, `${key.digest('hex').slice(0, 24)}.json`);
  const cached = readCache(cacheFile);
  if (cached) return { result: async () => cached, stop: () => undefined };

  const configDir = mkdtempSync(join(tmpdir(), 'lab-tsc-'));
  const config = {
    extends: join(root, 'tsconfig.json'),
    compilerOptions: {
      noEmit: true,
      pretty: false,
      // Type roots and packages from the project, also for a submission outside it.
      typeRoots: [join(root, 'node_modules', '@types')],
      paths: { '*': [join(root, 'node_modules', '*'), join(root, 'node_modules', '@types', '*')] },
    },
    include: [],
    files,
  };
  writeFileSync(join(configDir, 'tsconfig.json'), JSON.stringify(config));
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const child = spawn(process.execPath, [tsc, '-p', join(configDir, 'tsconfig.json')], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    // Grading comes first: tsc gets what CPU is left.
    if (child.pid !== undefined) setPriority(child.pid, 10);
  } catch {
    // Not allowed here: it runs at normal priority.
  }
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  const finished = new Promise<TypeErrorSummary | undefined>((done) => {
    child.on('error', () => done(undefined));
    child.on('close', (code, signal) => {
      rmSync(configDir, { recursive: true, force: true });
      if (signal || (code !== 0 && code !== 2)) return done(undefined);
      const summary = summarise(output, root, shownFrom);
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(cacheFile, JSON.stringify(summary));
      done(summary);
    });
  });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return {
    result: (deadlineMs) => {
      const waiting = new AbortController();
      const late = sleep(Math.max(0, deadlineMs - Date.now()), undefined, { signal: waiting.signal }).catch(() => undefined);
      return Promise.race([finished, late]).then((summary) => {
        waiting.abort();
        if (summary === undefined) stop();
        return summary;
      });
    },
    stop,
  };
}

function readCache(file: string): TypeErrorSummary | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TypeErrorSummary;
  } catch {
    return undefined;
  }
}

/** tsc's `--pretty false` lines, `path(line,col): error TSnnnn: message`, as `path:line:col TSnnnn message`. */
export function summarise(output: string, root: string, shownFrom: string): TypeErrorSummary {
  const errors = [...output.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/gm)].map(([, file, line, column, code, message]) => {
    const shown = relative(shownFrom, resolve(root, file!)).split(sep).join('/');
    return `${shown}:${line}:${column} ${code} ${message}`;
  });
  return { first: errors.slice(0, SHOWN), count: errors.length };
}
