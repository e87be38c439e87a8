import { realpathSync } from 'node:fs';
import type { Plugin } from 'vite';
import { isInside } from './sandbox.ts';

/**
 * vitest compiles every module the worker imports in its MAIN process, which the
 * permission model does not restrict: a submission that writes
 * `export * from '<instructor>/labs/02-buckets/create-bucket.ts'` would otherwise be
 * handed the solution. This plugin refuses to load any file outside `moduleRoots`
 * (the submission's copy, the harness the checks import, node_modules).
 */
export function importGuard(moduleRoots: string[]): Plugin {
  return {
    name: 'grading-import-guard',
    enforce: 'pre',
    load(id) {
      const path = id.split('?')[0]!;
      // Vite's own virtual modules ('\0...', '/@...') are not files.
      if (!path.startsWith('/') || path.startsWith('/@')) return null;
      let real = path;
      try {
        real = realpathSync(path);
      } catch {
        // A file that does not exist fails later with vite's own "cannot find" error.
      }
      if (isInside(path, moduleRoots) && isInside(real, moduleRoots)) return null;
      throw new Error(`Access denied during grading: ${path} is outside your submission.`);
    },
  };
}
