import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Awaits `expression` (ES module code; project modules imported by their path from the root)
 * in a node process of its own, with `env` over this one's, and answers what it threw or
 * returned. For code whose libraries keep state for the life of a process, where a test file
 * must not see what an earlier file in the same worker left: testcontainers keeps the Docker
 * client it found first, so DOCKER_HOST set later changes nothing in the same process.
 */
export function settleInFreshProcess(imports: string, expression: string, env: NodeJS.ProcessEnv): Promise<{ threw: boolean; message: string }> {
  const source = `${imports}\ntry { await (${expression}); console.log(JSON.stringify({ threw: false, message: '' })); } catch (error) { console.log(JSON.stringify({ threw: true, message: error instanceof Error ? error.message : String(error) })); }\nprocess.exit(0);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as { threw: boolean; message: string });
      } catch {
        reject(new Error(`the fresh process printed no answer (exit ${code}):\n${stdout}${stderr}`));
      }
    });
  });
}
