import { watch, type FSWatcher } from 'node:fs';
import { relative } from 'node:path';

/** Saves within this window count as one (editors write a file in several steps). */
const SETTLE_MS = 300;

/** Files whose change means "grade again": the lab's code and inputs, not editor droppings. */
export function isLabChange(file: string | null): boolean {
  if (!file) return true;
  const name = file.split(/[\\/]/).pop() ?? file;
  if (file.split(/[\\/]/).some((part) => part === 'node_modules' || part.startsWith('.'))) return false;
  return !(name.endsWith('~') || name.endsWith('.swp') || name.endsWith('.swx') || name.startsWith('#') || name === '4913');
}

/**
 * `--watch`: runs `grade` now, then again after each save in `dir`, one run at a time (a
 * save during a run queues exactly one more). Resolves when `stop` is called (tests); the
 * command line stops it with Ctrl-C.
 */
export async function watchLab(dir: string, grade: () => Promise<unknown>, options: { log?: (line: string) => void; signal?: AbortSignal } = {}): Promise<void> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const where = relative(process.cwd(), dir) || '.';
  let running: Promise<void> | undefined;
  let pending: string | undefined;
  let settle: NodeJS.Timeout | undefined;

  const runNow = (): void => {
    running = (async () => {
      await grade();
      log(`\nWatching ${where}: saving a file grades again (Ctrl-C stops).`);
    })().finally(() => {
      running = undefined;
      if (pending !== undefined) startAfterChange(pending);
    });
  };
  const startAfterChange = (file: string): void => {
    pending = undefined;
    log(`\n── ${file} changed: grading again ──`);
    runNow();
  };

  let watcher: FSWatcher;
  await new Promise<void>((resolve) => {
    watcher = watch(dir, { recursive: true }, (_event, file) => {
      if (!isLabChange(file)) return;
      clearTimeout(settle);
      settle = setTimeout(() => {
        const name = file ?? 'a file';
        if (running) pending = name;
        else startAfterChange(name);
      }, SETTLE_MS);
    });
    options.signal?.addEventListener('abort', () => {
      clearTimeout(settle);
      watcher.close();
      void (running ?? Promise.resolve()).then(() => resolve());
    });
    runNow();
  });
}
