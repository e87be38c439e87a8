/**
 * The floor of any `npm run lab:N` on this machine, for `npm run bench`: tsx starting a script
 * that runs vitest, as the lab runner does (grader/grade.ts), on one check that does nothing.
 * No emulator, no student process, no compiling: what is left of a lab run's time above this
 * is the course's own work.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vitestCliPath } from '../../../grader/vitest-cli.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const run = spawnSync(process.execPath, [vitestCliPath(), 'run', '--config', 'scripts/bench/floor/vitest.config.ts', '--configLoader', 'runner', '--reporter', 'dot'], { cwd: root, stdio: 'ignore' });
process.exitCode = run.status ?? 1;
