import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertSafeEndpoint, backendEnv, buildLabEnv, createEmptyAwsFiles, scrubbedEnv } from './safe-env.ts';

const settings = {
  endpoint: 'http://127.0.0.1:4566',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  region: 'eu-west-1',
  sharedCredentialsFile: '/tmp/x/credentials',
  configFile: '/tmp/x/config',
};

describe('buildLabEnv', () => {
  const studentEnv = {
    PATH: '/usr/bin',
    HOME: '/home/student',
    AWS_PROFILE: 'prod',
    AWS_ACCESS_KEY_ID: 'AKIAREALKEY',
    AWS_SECRET_ACCESS_KEY: 'real-secret',
    AWS_SESSION_TOKEN: 'real-token',
    AWS_ENDPOINT_URL_S3: 'https://s3.amazonaws.com',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.2/creds',
    aws_region: 'us-west-2',
  };

  it('drops every inherited AWS_* variable and keeps the rest', () => {
    const env = buildLabEnv(studentEnv, settings);
    expect(env.PATH).toBe('/usr/bin');
    expect(env.HOME).toBe('/home/student');
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env.AWS_ENDPOINT_URL_S3).toBeUndefined();
    expect(env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBeUndefined();
    expect(env.aws_region).toBeUndefined();
  });

  it('points everything at the emulator with throwaway keys and empty shared files', () => {
    const env = buildLabEnv(studentEnv, settings);
    expect(Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('AWS_')))).toEqual({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_SHARED_CREDENTIALS_FILE: '/tmp/x/credentials',
      AWS_CONFIG_FILE: '/tmp/x/config',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
  });

  it('passes a session token only when the backend gave one', () => {
    const env = buildLabEnv({}, { ...settings, credentials: { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 'tok' } });
    expect(env.AWS_SESSION_TOKEN).toBe('tok');
  });

  it('does not modify the environment it was given', () => {
    const base = { AWS_PROFILE: 'prod' };
    buildLabEnv(base, settings);
    expect(base).toEqual({ AWS_PROFILE: 'prod' });
  });
});

describe('scrubbedEnv and backendEnv', () => {
  it('split the lab environment into what is known at once and what the backend adds', () => {
    const scrubbed = scrubbedEnv({ AWS_ACCESS_KEY_ID: 'AKIAREAL', PATH: '/bin' }, settings);
    expect(scrubbed.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(scrubbed.AWS_ENDPOINT_URL).toBeUndefined();
    expect(scrubbed.AWS_REGION).toBe('eu-west-1');
    expect(backendEnv(settings)).toEqual({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    expect({ ...scrubbed, ...backendEnv(settings) }).toEqual(buildLabEnv({ AWS_ACCESS_KEY_ID: 'AKIAREAL', PATH: '/bin' }, settings));
  });
});

describe('createEmptyAwsFiles', () => {
  it('creates two empty files and removes them', () => {
    const files = createEmptyAwsFiles();
    expect(readFileSync(files.sharedCredentialsFile, 'utf8')).toBe('');
    expect(readFileSync(files.configFile, 'utf8')).toBe('');
    files.remove();
    expect(existsSync(files.configFile)).toBe(false);
  });
});

describe('assertSafeEndpoint', () => {
  it.each(['http://127.0.0.1:4566', 'http://localhost:5000', 'http://[::1]:4566', 'http://127.8.0.3'])('accepts loopback %s', (url) => {
    expect(() => assertSafeEndpoint(url, false)).not.toThrow();
  });

  it('refuses a remote endpoint the user did not name', () => {
    expect(() => assertSafeEndpoint('http://10.0.0.5:4566', false)).toThrow(/not on this machine.*--endpoint URL/);
  });

  it('accepts a remote endpoint the user named explicitly', () => {
    expect(() => assertSafeEndpoint('http://10.0.0.5:4566', true)).not.toThrow();
  });

  it.each(['https://s3.amazonaws.com', 'https://s3.eu-west-1.amazonaws.com', 'https://sts.amazonaws.com.cn', 'https://s3.us-east-1.api.aws'])(
    'refuses real AWS %s even when named',
    (url) => {
      expect(() => assertSafeEndpoint(url, true)).toThrow(/real AWS/);
    },
  );

  it('refuses what is not a URL', () => {
    expect(() => assertSafeEndpoint('127.0.0.1:4566', true)).toThrow(/not a URL/);
  });
});
