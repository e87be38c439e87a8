import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ProgramRun {
  exitCode: number | null;
  timedOut: boolean;
}

/**
 * Runs a lab's program (TypeScript, through tsx's loader) as a child process, in the
 * lab folder, with exactly the environment given (the scrubbed one), and kills it
 * after `timeoutSeconds`. Its stdout goes to `stdoutFd` (1, or 2 under --json).
 */
export function runProgram(options: {
  dir: string;
  program: string;
  env: NodeJS.ProcessEnv;
  timeoutSeconds: number;
  stdoutFd: 1 | 2;
}): Promise<ProgramRun> {
  // Resolved from here, not from the lab folder, so a submission anywhere still finds tsx.
  const tsxLoader = import.meta.resolve('tsx');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, join(options.dir, options.program)], {
      cwd: options.dir,
      env: options.env,
      stdio: ['ignore', options.stdoutFd, 2],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutSeconds * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, timedOut });
    });
  });
}
