import { defineConfig } from 'vitest/config';

/** checks/vitest.config.ts's runner settings, for the floor's one empty check (run-empty.ts). */
export default defineConfig({
  test: {
    include: ['scripts/bench/floor/*.check.ts'],
    root: new URL('../../..', import.meta.url).pathname,
    pool: 'threads',
    fileParallelism: false,
    retry: 0,
    silent: true,
    watch: false,
    experimental: { fsModuleCache: true },
  },
});
