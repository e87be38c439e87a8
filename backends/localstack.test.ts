import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { LOCALSTACK_IMAGE, LOCALSTACK_MISSING, localstackConfig, startLocalstackBackend } from './localstack.ts';

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

describe('LocalStack without a Docker engine', () => {
  const saved = process.env.DOCKER_HOST;
  afterEach(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  });

  it('fails fast with one clear sentence', async () => {
    const port = await freePort();
    process.env.DOCKER_HOST = `tcp://127.0.0.1:${port}`;
    const started = Date.now();
    const failure = await startLocalstackBackend().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(failure?.message).toMatch(
      new RegExp(
        `^LocalStack needs a running Docker engine; none was found \\(DOCKER_HOST=tcp://127\\.0\\.0\\.1:${port} does not answer: [^\\n]+\\)\\. Use --backend embedded \\(default\\) or moto\\.$`,
      ),
    );
  });
});
