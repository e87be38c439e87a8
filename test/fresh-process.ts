import { fileURLToPath } from 'node:url';
import { spawnCollecting } from './spawn-collecting.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Awaits `expression` (ES module code; project modules imported by their path from the root)
 * in a node process of its own, with `env` over this one's, and answers what it threw or
 * returned. For code whose libraries keep state for the life of a process, where a test file
 * must not see what an earlier file in the same worker left: testcontainers keeps the Docker
 * client it found first, so DOCKER_HOST set later changes nothing in the same process.
 */
export async function settleInFreshProcess(imports: string, expression: string, env: NodeJS.ProcessEnv): Promise<{ threw: boolean; message: string }> {
  const source = `${imports}\ntry { await (${expression}); console.log(JSON.stringify({ threw: false, message: '' })); } catch (error) { console.log(JSON.stringify({ threw: true, message: error instanceof Error ? error.message : String(error) })); }\nprocess.exit(0);`;
  const { code, stdout, stderr } = await spawnCollecting(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: root, env: { ...process.env, ...env } });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as { threw: boolean; message: string };
  } catch {
    throw new Error(`the fresh process printed no answer (exit ${code}):\n${stdout}${stderr}`);
  }
}
