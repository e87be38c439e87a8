import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** vitest's CLI, run with plain node (see grade.ts for why not in-process). */
export function vitestCliPath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
}
