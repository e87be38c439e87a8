import { describe, expect, it } from 'vitest';
import { provisionTools, type Machine } from './global-setup.ts';
import type { ToolName } from './required-tool.ts';

/** A machine with the given tools, recording what provisioning asked of it. */
function fakeMachine(options: { root: boolean; has: ToolName[]; aptWorks?: boolean; engine?: boolean; dockerHost?: string; dockerdStarts?: boolean }) {
  const has = new Set(options.has);
  const calls: string[] = [];
  const machine: Machine = {
    isRoot: options.root,
    dockerHost: options.dockerHost,
    present: (tool) => has.has(tool),
    aptInstall: async (packages) => {
      calls.push(`apt-get install ${packages.join(' ')}`);
      if (!options.aptWorks) return 'apt-get failed: Temporary failure resolving the mirror';
      const toolOf: Record<string, ToolName> = { awscli: 'awscli', 'docker.io': 'docker', chromium: 'chromium' };
      for (const name of packages) has.add(toolOf[name]!);
      return undefined;
    },
    engineAnswers: async () => Boolean(options.engine) || calls.includes('dockerd'),
    startDockerd: async () => {
      calls.push('dockerd');
      if (!options.dockerdStarts) return 'failed to start daemon: permission denied';
      return { stop: async () => void calls.push('stop dockerd') };
    },
  };
  return { machine, calls };
}

describe('the global set-up provisioning tools outside npm', () => {
  it('does nothing when every needed tool is there and an engine answers', async () => {
    const { machine, calls } = fakeMachine({ root: true, has: ['awscli', 'docker', 'chromium'], engine: true });
    const { missing, teardown } = await provisionTools(['awscli', 'docker', 'chromium'], machine);
    await teardown();
    expect(missing).toEqual({});
    expect(calls).toEqual([]);
  });

  it('installs only what the selected suites need and lack, with one apt-get run, as root', async () => {
    const { machine, calls } = fakeMachine({ root: true, has: ['docker'], aptWorks: true, engine: true });
    const { missing } = await provisionTools(['awscli', 'chromium'], machine);
    expect(missing).toEqual({});
    expect(calls).toEqual(['apt-get install awscli chromium']);
  });

  it('says in one line what to install when it cannot (not root, or apt-get fails), and installs nothing unasked', async () => {
    const notRoot = fakeMachine({ root: false, has: [] });
    const first = await provisionTools(['awscli'], notRoot.machine);
    expect(notRoot.calls).toEqual([]);
    expect(Object.keys(first.missing)).toEqual(['awscli']);
    expect(first.missing.awscli).toMatch(/^awscli is missing and was not installed \(not running as root\): install the AWS CLI v2 .*; as root on Debian or Ubuntu: apt-get install -y awscli$/);
    expect(first.missing.awscli).not.toContain('\n');

    const offline = fakeMachine({ root: true, has: [], aptWorks: false });
    const second = await provisionTools(['chromium'], offline.machine);
    expect(second.missing.chromium).toBe(
      'chromium is missing and was not installed (apt-get failed: Temporary failure resolving the mirror): install Chromium (or set CHROMIUM_PATH to a Chromium or Chrome binary); as root on Debian or Ubuntu: apt-get install -y chromium',
    );
  });

  it('says in one line how to install a tool no Debian package provides (moto_server), as root too, and never asks apt-get for it', async () => {
    const { machine, calls } = fakeMachine({ root: true, has: ['awscli'], aptWorks: true });
    const { missing } = await provisionTools(['moto', 'awscli', 'chromium'], machine);
    expect(calls).toEqual(['apt-get install chromium']);
    expect(Object.keys(missing)).toEqual(['moto']);
    expect(missing.moto).toBe(
      'moto is missing (it has no Debian package, so the tests cannot install it): install moto_server with pip install "moto[server]==5.2.1" (the version backends/moto.ts is verified against), or set MOTO_SERVER to its path',
    );
    const present = fakeMachine({ root: false, has: ['moto'] });
    expect((await provisionTools(['moto'], present.machine)).missing).toEqual({});
    expect(present.calls).toEqual([]);
  });

  it('starts dockerd as root when no engine answers, and stops it at teardown', async () => {
    const { machine, calls } = fakeMachine({ root: true, has: ['docker'], engine: false, dockerdStarts: true });
    const { missing, teardown } = await provisionTools(['docker'], machine);
    expect(missing).toEqual({});
    expect(calls).toEqual(['dockerd']);
    await teardown();
    expect(calls).toEqual(['dockerd', 'stop dockerd']);
  });

  it('never starts an engine in place of DOCKER_HOST, nor without root, nor hides a failed start', async () => {
    const elsewhere = fakeMachine({ root: true, has: ['docker'], engine: false, dockerHost: 'tcp://10.0.0.9:2375', dockerdStarts: true });
    expect((await provisionTools(['docker'], elsewhere.machine)).missing.docker).toBe(
      'No Docker engine answers at DOCKER_HOST=tcp://10.0.0.9:2375: start it, or unset DOCKER_HOST to let the tests start dockerd',
    );
    expect(elsewhere.calls).toEqual([]);

    const user = fakeMachine({ root: false, has: ['docker'], engine: false, dockerdStarts: true });
    expect((await provisionTools(['docker'], user.machine)).missing.docker).toMatch(/^No Docker engine answers at \/var\/run\/docker\.sock: start one/);
    expect(user.calls).toEqual([]);

    const broken = fakeMachine({ root: true, has: ['docker'], engine: false, dockerdStarts: false });
    expect((await provisionTools(['docker'], broken.machine)).missing.docker).toBe(
      'dockerd did not start (failed to start daemon: permission denied): start a Docker engine by hand (dockerd --iptables=false, as root)',
    );
  });
});
