import { defineConfig } from 'vitest/config';
import HeavyFirstSequencer from './test/heavy-first-sequencer.ts';

// `npm test` proves the harness: emulator unit tests beside the code, plus the
// self-validation and conformance suites under test/. Lab checks (checks/*.check.ts)
// are not collected here; they run through scripts/lab.ts against a backend.
export default defineConfig({
  test: {
    include: ['emulator/**/*.test.ts', 'backends/**/*.test.ts', 'checks/**/*.test.ts', 'labs/**/*.test.ts', 'scripts/**/*.test.ts', 'grader/**/*.test.ts', 'sandbox/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', '.work/**'],
    // Provides the tools outside npm that the selected suites need (AWS CLI v2, Docker, Chromium)
    // and stops what it started; see test/global-setup.ts.
    globalSetup: ['test/global-setup.ts'],
    // The SDK warns once per process on Node < 22 about its releases after January 2027; the
    // project runs on Node 20 with pinned SDK versions, so the warning would only repeat in
    // every test worker and child process (the lab runner sets the same for student code).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Test files share their worker's modules instead of importing everything again (the
    // emulator, the SDK) in a fresh process each: the unit tests took half the time, and
    // no file depends on a fresh module state (each restores the env and timers it changes).
    isolate: false,
    // Vitest's default on 2 cores is one worker; the slow suites mostly wait on child
    // processes (lab runs, moto, the CLI), so two files at a time use both cores.
    maxWorkers: 2,
    // The files that grade whole labs first (test/heavy-first-sequencer.ts).
    sequence: { sequencer: HeavyFirstSequencer },
  },
});
