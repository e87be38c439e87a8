import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every living descendant of `pid` (children, their children, ...), from /proc on Linux;
 * none elsewhere. Read BEFORE killing `pid`: once it dies, its children are handed to
 * init and no longer lead back to it.
 */
export function descendantsOf(pid: number): number[] {
  if (process.platform !== 'linux') return [];
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (command) state ppid ...": the command may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/** SIGKILLs `pid` and all its descendants (descendants first read, then every one killed); returns who was signalled. */
export function killTree(pid: number): number[] {
  const targets = [...descendantsOf(pid), pid];
  for (const target of targets) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Gone already, or not ours to signal.
    }
  }
  return targets;
}

/** Waits (up to `limitMs`) until none of `pids` runs: a SIGKILL takes effect a moment after it is sent. */
export async function untilGone(pids: number[], limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Alive and not a zombie (a zombie is dead; only its exit status waits for its parent). */
function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Living processes (zombies left out) whose command line names `text`, as "pid: command": what a clean-up must leave none of. */
export function processesNaming(text: string): string[] {
  if (process.platform !== 'linux') return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        if (!isAlive(Number(pid))) return [];
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return command.includes(text) ? [`${pid}: ${command.slice(0, 200)}`] : [];
      } catch {
        return [];
      }
    });
}
