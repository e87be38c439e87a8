import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/server.ts';
import type { Backend, BackendDescriptor } from './backend.ts';
import { freePort } from './free-port.ts';
import { BACKEND_NAMES, parseBackendName, startBackend } from './index.ts';
import { MOTO_NOT_ON_PATH } from './moto.ts';
import { settleInFreshProcess } from '../test/fresh-process.ts';

async function callerAccount(backend: Backend): Promise<string | undefined> {
  const sts = new STSClient({ endpoint: backend.endpoint, region: 'us-east-1', credentials: backend.credentials });
  return (await sts.send(new GetCallerIdentityCommand({}))).Account;
}

describe('parseBackendName', () => {
  it('accepts the four names, in any case', () => {
    expect(BACKEND_NAMES.map(parseBackendName)).toEqual(['embedded', 'moto', 'localstack', 'endpoint']);
    expect(parseBackendName(' Moto ')).toBe('moto');
  });

  it('lists the names and what they are when it does not know one', () => {
    expect(() => parseBackendName('minio')).toThrow(/unknown backend "minio"; choose one of:\n  embedded .*default.*\n  moto .*\n  localstack .*Docker\n  endpoint .*AWS_ENDPOINT_URL/);
  });
});

describe('startBackend', () => {
  it('embedded: every capability, control-API reset, and a descriptor that names its own account', async () => {
    const backend = await startBackend('embedded');
    try {
      const descriptor: BackendDescriptor = backend.describe();
      expect(descriptor).toEqual({
        name: 'embedded',
        endpoint: backend.endpoint,
        accountId: '000000000000',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        missing: {},
        reset: 'embedded-control',
        controlToken: expect.any(String),
      });
      expect(await callerAccount(backend)).toBe(descriptor.accountId);
      await backend.reset();
    } finally {
      await backend.stop();
    }
  });

  // Starting moto for real is moto.test.ts's job; here, that the options reach it.
  it('moto: passes the command, and says in one sentence when it is missing', async () => {
    await expect(startBackend('moto', { motoCommand: 'no-such-moto-server' })).rejects.toThrow(MOTO_NOT_ON_PATH);
  });

  it('endpoint: passes the URL and refuses what is not loopback', async () => {
    // An open emulator, as `npm run emulator` runs by default (the embedded backend's is locked).
    const emulator = await startEmulator();
    try {
      const endpoint = await startBackend('endpoint', { endpointUrl: emulator.endpoint });
      expect(endpoint.describe()).toMatchObject({ name: 'endpoint', endpoint: emulator.endpoint, reset: 'embedded-control', missing: {} });
      await expect(startBackend('endpoint', { endpointUrl: 'http://203.0.113.9:4566' })).rejects.toThrow(/--allow-remote-endpoint/);
    } finally {
      await emulator.stop();
    }
  });

  it('localstack: without Docker, says so in one sentence', async () => {
    // In a process of its own: testcontainers keeps the Docker engine an earlier test file found.
    const outcome = await settleInFreshProcess("import { startBackend } from './backends/index.ts';", "startBackend('localstack')", { DOCKER_HOST: `tcp://127.0.0.1:${await freePort()}` });
    expect(outcome.threw).toBe(true);
    expect(outcome.message).toMatch(/^LocalStack needs a running Docker engine and none was found/);
  });
});
