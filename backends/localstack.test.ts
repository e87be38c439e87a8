import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { settleInFreshProcess } from '../test/fresh-process.ts';
import { freePort } from './free-port.ts';
import { LOCALSTACK_IMAGE, LOCALSTACK_MISSING, localstackConfig, reachableHost } from './localstack.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('LocalStack configuration', () => {
  it('pins the last image that starts without an auth token, and passes no token by default', () => {
    expect(LOCALSTACK_IMAGE).toBe('localstack/localstack:4.14.0');
    expect(localstackConfig({ env: {} })).toEqual({ image: 'localstack/localstack:4.14.0', environment: {} });
  });

  it('lets the user pick another image, the option winning over LOCALSTACK_IMAGE', () => {
    expect(localstackConfig({ env: { LOCALSTACK_IMAGE: 'localstack/localstack:4.13.1' } }).image).toBe('localstack/localstack:4.13.1');
    expect(localstackConfig({ image: 'mirror.local/localstack:4.14.0', env: { LOCALSTACK_IMAGE: 'x' } }).image).toBe('mirror.local/localstack:4.14.0');
  });

  it('passes LOCALSTACK_AUTH_TOKEN through when set, and nothing else from the environment', () => {
    const config = localstackConfig({ env: { LOCALSTACK_AUTH_TOKEN: 'ls-token', AWS_SECRET_ACCESS_KEY: 'real-secret', AWS_PROFILE: 'prod' } });
    expect(config.environment).toEqual({ LOCALSTACK_AUTH_TOKEN: 'ls-token' });
  });

  it('declares what LocalStack community lacks (DESIGN §4), each with a reason', () => {
    for (const capability of ['iam-enforcement', 'head-bucket-403', 'table-creating-state', 'decode-authorization-message', 'website-policy', 'fault-injection', 'state-dump'] as const) {
      expect(LOCALSTACK_MISSING[capability], capability).toMatch(/\w+ \w+/);
    }
    // LocalStack does serve a website endpoint; only the policy part is missing.
    expect(LOCALSTACK_MISSING['website-endpoint']).toBeUndefined();
  });
});

describe('LocalStack container host', () => {
  it("reaches a port published on one of this machine's own addresses through loopback, and leaves other hosts as they are", () => {
    // testcontainers inside a container answers the bridge gateway; with the engine on this machine that address is ours.
    expect(reachableHost('172.17.0.1', ['127.0.0.1', '10.0.0.5', '172.17.0.1'])).toBe('127.0.0.1');
    expect(reachableHost('localhost', ['127.0.0.1'])).toBe('localhost');
    // A remote engine's address stays, and the lab runner refuses it unless named with --endpoint.
    expect(reachableHost('172.17.0.1', ['127.0.0.1', '10.0.0.5'])).toBe('172.17.0.1');
    expect(reachableHost('docker.example.internal', ['127.0.0.1'])).toBe('docker.example.internal');
  });
});

describe('LocalStack without a Docker engine', () => {
  it('fails fast with one clear sentence', async () => {
    const port = await freePort();
    const started = Date.now();
    // In a process of its own: testcontainers keeps the Docker engine an earlier test file found.
    const failure = await settleInFreshProcess("import { startLocalstackBackend } from './backends/localstack.ts';", 'startLocalstackBackend()', { DOCKER_HOST: `tcp://127.0.0.1:${port}` });
    expect(failure.threw).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(failure.message).toMatch(
      new RegExp(
        `^LocalStack needs a running Docker engine and none was found \\(DOCKER_HOST=tcp://127\\.0\\.0\\.1:${port} does not answer: [^\\n]+\\); install Docker and start it \\(on Debian or Ubuntu: apt-get install docker\\.io, then dockerd; elsewhere Docker Desktop\\), or use --backend embedded \\(the default\\) or moto\\.$`,
      ),
    );
  });

  it('npm run lab:2 -- --backend localstack says what to install, in one sentence, and fails', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lab.ts', '2', '--backend', 'localstack'], {
      cwd: root,
      env: { ...process.env, DOCKER_HOST: `tcp://127.0.0.1:${port}`, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^LocalStack needs a running Docker engine and none was found \(.*\); install Docker and start it .*\.$/);
  }, 90_000);
});
