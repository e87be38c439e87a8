import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator/server.ts';
import { CAPABILITIES } from './backend.ts';
import { connectEndpointBackend } from './endpoint.ts';
import { checkEndpointUrl, isLoopbackHost } from './endpoint-url.ts';
import { freePort } from './free-port.ts';

describe('endpoint URL guard', () => {
  it.each(['http://127.0.0.1:4566', 'http://localhost:4566/', 'http://[::1]:4566', 'https://127.5.6.7'])('accepts loopback %s', (url) => {
    expect(checkEndpointUrl(url, false).href).toBe(new URL(url).href);
  });

  it('refuses a non-loopback URL unless the user allows remote endpoints', () => {
    expect(() => checkEndpointUrl('http://10.0.0.5:4566', false)).toThrow(/not on this machine.*--allow-remote-endpoint/);
    expect(checkEndpointUrl('http://10.0.0.5:4566', true).hostname).toBe('10.0.0.5');
  });

  it.each(['https://s3.amazonaws.com', 'https://sts.us-east-1.amazonaws.com', 'https://s3.cn-north-1.amazonaws.com.cn', 'https://s3.dualstack.us-east-1.api.aws'])(
    'refuses real AWS %s outright, even with remote endpoints allowed',
    (url) => {
      expect(() => checkEndpointUrl(url, true)).toThrow(/it is real AWS/);
    },
  );

  it('refuses what is not an http(s) URL', () => {
    expect(() => checkEndpointUrl('127.0.0.1:4566', false)).toThrow(/http/);
    expect(() => checkEndpointUrl('not a url', false)).toThrow(/is not a URL/);
  });

  it('knows loopback names', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.example.com')).toBe(false);
  });
});

describe('endpoint backend', () => {
  let emulator: RunningEmulator;
  /** Some other emulator: no control API, an STS that says account 444455556666. */
  let other: Server;
  let otherUrl: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    other = createServer((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
            '<Arn>arn:aws:iam::444455556666:root</Arn><UserId>444455556666</UserId><Account>444455556666</Account>' +
            '</GetCallerIdentityResult></GetCallerIdentityResponse>',
        );
      } else res.writeHead(404).end();
    }).listen(0, '127.0.0.1');
    await once(other, 'listening');
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await emulator?.stop();
    other?.close();
  });

  it('recognises our emulator: every capability, reset through the control API', async () => {
    const backend = await connectEndpointBackend({ url: `${emulator.endpoint}/`, env: {} });
    expect(backend.describe()).toEqual({
      name: 'endpoint',
      endpoint: emulator.endpoint,
      accountId: '000000000000',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      missing: {},
      reset: 'embedded-control',
    });
    expect(backend.control).toBeDefined();
    await backend.control!.advanceClock(60);
    await backend.reset();
    await backend.stop();
    const health = await fetch(`${emulator.endpoint}/_emulator/health`);
    expect(health.status).toBe(200); // stop() leaves a server it did not start running
  });

  it('unlocks a locked emulator with EMULATOR_CONTROL_TOKEN, and says so at once when it is missing or wrong', async () => {
    const locked = await startEmulator({ controlToken: 'standalone-secret' });
    try {
      await expect(connectEndpointBackend({ url: locked.endpoint, env: {} })).rejects.toThrow(/locks its control API: set EMULATOR_CONTROL_TOKEN/);
      await expect(connectEndpointBackend({ url: locked.endpoint, env: { EMULATOR_CONTROL_TOKEN: 'guess' } })).rejects.toThrow(
        /refuses the control token in EMULATOR_CONTROL_TOKEN/,
      );
      const backend = await connectEndpointBackend({ url: locked.endpoint, env: { EMULATOR_CONTROL_TOKEN: 'standalone-secret' } });
      expect(backend.describe()).toMatchObject({ reset: 'embedded-control', missing: {}, controlToken: 'standalone-secret' });
      await backend.control!.advanceClock(60);
      await backend.reset();
    } finally {
      await locked.stop();
    }
  });

  it('reads AWS_ENDPOINT_URL when no URL is given', async () => {
    const backend = await connectEndpointBackend({ env: { AWS_ENDPOINT_URL: emulator.endpoint } });
    expect(backend.endpoint).toBe(emulator.endpoint);
  });

  it('gives another emulator only the declared capabilities, its own account, and no reset', async () => {
    const backend = await connectEndpointBackend({ url: otherUrl, env: { LAB_ENDPOINT_CAPABILITIES: 'website-endpoint, seed' } });
    const descriptor = backend.describe();
    expect(descriptor.reset).toBe('none');
    expect(descriptor.accountId).toBe('444455556666');
    expect(backend.lacks('website-endpoint')).toBeUndefined();
    expect(backend.lacks('seed')).toBeUndefined();
    expect(backend.lacks('iam-enforcement')).toMatch(/not declared for endpoint/);
    expect(Object.keys(descriptor.missing).sort()).toEqual(
      Object.keys(CAPABILITIES).filter((c) => c !== 'website-endpoint' && c !== 'seed').sort(),
    );
  });

  it('declares no capability by default, and names the valid ones when given an unknown one', async () => {
    const none = await connectEndpointBackend({ url: otherUrl, env: {} });
    expect(Object.keys(none.describe().missing)).toHaveLength(Object.keys(CAPABILITIES).length);
    await expect(connectEndpointBackend({ url: otherUrl, capabilities: ['teleport'] })).rejects.toThrow(
      /unknown capability teleport; the capabilities are: head-bucket-403, .*mfa-totp/,
    );
  });

  it('refuses remote and AWS URLs before sending anything', async () => {
    await expect(connectEndpointBackend({ url: 'http://192.0.2.1:4566', env: {} })).rejects.toThrow(/--allow-remote-endpoint/);
    await expect(connectEndpointBackend({ env: { AWS_ENDPOINT_URL: 'https://s3.amazonaws.com' }, allowRemote: true })).rejects.toThrow(
      /real AWS/,
    );
  });

  it('says what to do when there is no URL or nothing answers', async () => {
    await expect(connectEndpointBackend({ env: {} })).rejects.toThrow(/AWS_ENDPOINT_URL/);
    const port = await freePort();
    await expect(connectEndpointBackend({ url: `http://127.0.0.1:${port}`, env: {} })).rejects.toThrow(/nothing answers at/);
  });
});
