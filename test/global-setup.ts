import { execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import type { ToolName } from './required-tool.ts';

const run = promisify(execFile);

/**
 * `npm test` on a fresh machine by itself (issue 13): before any suite runs, provide the
 * tools outside npm that the selected test files need, and stop at the end what was
 * started here.
 * - Missing tools are installed with apt-get when running as root (Debian's packages, as
 *   `.ci/run` installs them): awscli (the AWS CLI v2, for test/cli-v2.test.ts), docker.io
 *   (the container suite), chromium (the browser-graded lab). moto_server (the moto backend,
 *   the conformance suite, each lab's run on moto) has no Debian package: when it is missing,
 *   the one command that installs it is said at once instead.
 * - No Docker engine answering: `dockerd --iptables=false` is started (its log in a temp
 *   folder; the default data root, so images built by tests are kept between runs), and
 *   stopped at teardown.
 * - What cannot be provided (not root, no apt-get, no network) is said in one line here, and
 *   the same sentence is handed to the suites (`requireTool()` in required-tool.ts), which
 *   fail with it: a suite never skips for a missing tool.
 * A file needs a tool when its text matches the tool's `neededBy` (requireTool('<name>'), or
 * what that suite already names); with no file list from vitest, every tool is needed.
 */

interface Tool {
  name: ToolName;
  /** The Debian package; none for a tool only pip provides (it is then said, never installed). */
  debian?: string;
  neededBy: RegExp;
  present(): boolean;
  /** How to get it without apt-get as root. */
  otherwise: string;
}

const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/usr/bin/google-chrome'];

const TOOLS: Tool[] = [
  {
    name: 'awscli',
    debian: 'awscli',
    // The CLI suite looks for the v2 CLI at /usr/bin/aws (pyenv's v1 shim may come first on PATH).
    neededBy: /requireTool\('awscli'\)|AWS_CLI_V2/,
    present: () => existsSync(process.env.AWS_CLI_V2 ?? '/usr/bin/aws'),
    otherwise: 'the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), then set AWS_CLI_V2 to its path if it is not /usr/bin/aws',
  },
  {
    name: 'docker',
    debian: 'docker.io',
    neededBy: /requireTool\('docker'\)/,
    // The CLI (docker import, ps, logs), and an engine this machine can start or already has.
    present: () => onPath('docker') && (onPath('dockerd') || existsSync('/var/run/docker.sock') || Boolean(process.env.DOCKER_HOST)),
    otherwise: 'Docker (Docker Engine or Docker Desktop) and start it',
  },
  {
    name: 'chromium',
    debian: 'chromium',
    // Lab 11's browser checks (checks/support/browser.ts), graded by its self-validation suite.
    neededBy: /requireTool\('chromium'\)|checks\/support\/browser\.ts|labId: '11-|'11-web-storage'/,
    // Where checks/support/browser.ts looks: CHROMIUM_PATH, else Debian's and the usual paths.
    present: () => (process.env.CHROMIUM_PATH ? existsSync(process.env.CHROMIUM_PATH) : CHROMIUM_PATHS.some((path) => existsSync(path))),
    otherwise: 'Chromium (or set CHROMIUM_PATH to a Chromium or Chrome binary)',
  },
  {
    name: 'moto',
    // The moto backend (backends/moto.ts), the conformance suite and the labs' self-validation on moto.
    neededBy: /requireTool\('moto'\)|startMotoBackend|backend: 'moto'|notGradableOnMoto/,
    // Run, not looked up: a pyenv shim is on PATH even for a Python without moto.
    present: () => spawnSync(process.env.MOTO_SERVER ?? 'moto_server', ['--help'], { stdio: 'ignore', timeout: 60_000 }).status === 0,
    otherwise: 'moto_server with pip install "moto[server]==5.2.1" (the version backends/moto.ts is verified against), or set MOTO_SERVER to its path',
  },
];

/** What provisioning touches on the machine; the real one below, fakes in global-setup.test.ts. */
export interface Machine {
  isRoot: boolean;
  /** DOCKER_HOST, when the user points at an engine of their own. */
  dockerHost: string | undefined;
  present(tool: ToolName): boolean;
  /** Undefined when the packages were installed, else why not. */
  aptInstall(packages: string[]): Promise<string | undefined>;
  engineAnswers(): Promise<boolean>;
  /** A started engine (stop() ends it), or why it did not start. */
  startDockerd(): Promise<{ stop(): Promise<void> } | string>;
}

export interface Provisioned {
  /** Tool -> the one sentence the suites that need it fail with. */
  missing: Partial<Record<ToolName, string>>;
  /** Stops what was started. */
  teardown(): Promise<void>;
}

/** Installs what the needed tools lack and starts a Docker engine if they need one. */
export async function provisionTools(needed: readonly ToolName[], machine: Machine): Promise<Provisioned> {
  const missing: Partial<Record<ToolName, string>> = {};
  const tools = TOOLS.filter((tool) => needed.includes(tool.name));
  const absent = tools.filter((tool) => !machine.present(tool.name));
  const fromApt = absent.filter((tool) => tool.debian !== undefined);
  for (const tool of absent.filter((tool) => tool.debian === undefined)) {
    missing[tool.name] = `${tool.name} is missing (it has no Debian package, so the tests cannot install it): install ${tool.otherwise}`;
  }
  if (fromApt.length > 0) {
    const failure = machine.isRoot ? await machine.aptInstall(fromApt.map((tool) => tool.debian!)) : 'not running as root';
    for (const tool of fromApt) {
      if (machine.present(tool.name)) continue;
      missing[tool.name] = `${tool.name} is missing and was not installed (${failure ?? 'apt-get installed the package but the tool is still not there'}): install ${tool.otherwise}; as root on Debian or Ubuntu: apt-get install -y ${tool.debian}`;
    }
  }

  let started: { stop(): Promise<void> } | undefined;
  if (needed.includes('docker') && !missing.docker && !(await machine.engineAnswers())) {
    const where = machine.dockerHost ? `DOCKER_HOST=${machine.dockerHost}` : '/var/run/docker.sock';
    if (machine.dockerHost) {
      // Someone else's engine: never start a second one in its place.
      missing.docker = `No Docker engine answers at ${where}: start it, or unset DOCKER_HOST to let the tests start dockerd`;
    } else if (!machine.isRoot) {
      missing.docker = `No Docker engine answers at ${where}: start one (sudo dockerd, or Docker Desktop); the tests start dockerd themselves only as root`;
    } else {
      const outcome = await machine.startDockerd();
      if (typeof outcome === 'string') missing.docker = `dockerd did not start (${outcome}): start a Docker engine by hand (dockerd --iptables=false, as root)`;
      else started = outcome;
    }
  }
  return { missing, teardown: async () => started?.stop() };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const needed = TOOLS.filter((tool) => neededBySelection(project, tool)).map((tool) => tool.name);
  const { missing, teardown } = await provisionTools(needed, thisMachine());
  for (const sentence of Object.values(missing)) console.error(`[global setup] ${sentence}`);
  project.provide('missingTools', missing);
  return teardown;
}

function thisMachine(): Machine {
  return {
    isRoot: process.getuid?.() === 0,
    dockerHost: process.env.DOCKER_HOST || undefined,
    present: (name) => TOOLS.find((tool) => tool.name === name)!.present(),
    aptInstall,
    engineAnswers,
    startDockerd,
  };
}

/** True when a selected test file needs the tool (every tool when vitest gives no list). */
function neededBySelection(project: TestProject, tool: Tool): boolean {
  const paths = (project.vitest as { state?: { getPaths?(): string[] } }).state?.getPaths?.() ?? [];
  if (paths.length === 0) return true;
  return paths.some((path) => {
    try {
      return tool.neededBy.test(readFileSync(path, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** Installs the packages with apt-get; undefined when it worked, else why not. */
async function aptInstall(packages: string[]): Promise<string | undefined> {
  if (!onPath('apt-get')) return 'no apt-get on this machine';
  console.error(`[global setup] installing ${packages.join(', ')} with apt-get (a minute or two, once per machine)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['update', '-qq'], { env, maxBuffer: 16 * 1024 * 1024 });
    await run('apt-get', ['install', '-y', '-qq', ...packages], { env, maxBuffer: 64 * 1024 * 1024 });
    return undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim().split('\n').pop();
    return `apt-get failed: ${stderr || (error as Error).message}`;
  }
}

/** `dockerd --iptables=false`, its log in a temp folder, waited for until the engine answers. */
async function startDockerd(): Promise<{ stop(): Promise<void> } | string> {
  const folder = await mkdtemp(join(tmpdir(), 'test-dockerd-'));
  const log = openSync(join(folder, 'dockerd.log'), 'a');
  // No iptables: a test machine (or a container) may not allow it, and the tests only map ports on loopback.
  const child = spawn('dockerd', ['--iptables=false', '--pidfile', join(folder, 'dockerd.pid')], { stdio: ['ignore', log, log] });
  closeSync(log);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(folder, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await engineAnswers()) {
      console.error(`[global setup] started dockerd (pid ${child.pid}); it is stopped when the tests end`);
      return { stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const tail = readFileSync(join(folder, 'dockerd.log'), 'utf8').trim().split('\n').slice(-3).join(' | ');
  await stop();
  return tail || 'no output';
}

/** GET /_ping on the engine the Docker CLI and testcontainers would use. */
function engineAnswers(): Promise<boolean> {
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  const target = host.startsWith('unix://')
    ? { socketPath: host.slice('unix://'.length) }
    : (() => {
        const url = new URL(host.replace(/^tcp:/, 'http:'));
        return { host: url.hostname, port: Number(url.port || 2375) };
      })();
  return new Promise((resolve) => {
    const ping = request({ ...target, path: '/_ping', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    ping.on('timeout', () => ping.destroy());
    ping.on('error', () => resolve(false));
    ping.end();
  });
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}
