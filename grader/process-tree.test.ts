import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { isRunning } from './student-process.ts';
import { descendantsOf, killTree } from './process-tree.ts';

it.runIf(process.platform === 'linux')('kills a process and the grandchildren it started, which would outlive it otherwise', async () => {
  // sh starts a sleeping grandchild in the background and prints its pid, then sleeps itself.
  const parent = spawn('sh', ['-c', 'sleep 300 & echo $!; sleep 300'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const grandchild = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  expect(descendantsOf(parent.pid!)).toContain(grandchild);
  killTree(parent.pid!);
  await new Promise((resolve) => parent.once('exit', resolve));
  for (let i = 0; i < 100 && isRunning(grandchild); i++) await sleep(20);
  expect(isRunning(grandchild)).toBe(false);
});
