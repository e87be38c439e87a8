import { defineConfig } from 'vitest/config';
import checksConfig from '../../../checks/vitest.config.ts';

/** The lab runner's vitest settings (checks/vitest.config.ts), for the floor's one empty check (run-empty.ts). */
export default defineConfig({ ...checksConfig, test: { ...checksConfig.test, include: ['scripts/bench/floor/*.check.ts'], reporters: ['dot'] } });
