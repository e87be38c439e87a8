import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsCredentials } from '../backends/backend.ts';

/**
 * The environment every process that runs student code gets, so nothing can reach
 * real AWS: the student's own keys, profiles and ~/.aws files are never read.
 *
 * Why each variable:
 * - every inherited AWS_* variable is dropped first (keys, AWS_PROFILE, endpoint
 *   overrides per service, container-credential URLs, ...);
 * - AWS_ENDPOINT_URL points every SDK client (JS v3, boto3, CLI v2) at the emulator;
 * - throwaway keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY win over the shared
 *   files, and AWS_PROFILE stays unset (JS v3 skips env keys when it is set);
 * - AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE point at empty files, so a
 *   `role_arn`, `sso_*` or `credential_process` in ~/.aws can never be used;
 * - AWS_EC2_METADATA_DISABLED stops the chain from asking an instance role.
 */
export interface LabEnvSettings extends BackendEnvSettings {
  region: string;
  /** Paths of the two empty files (see createEmptyAwsFiles). */
  sharedCredentialsFile: string;
  configFile: string;
}

export interface BackendEnvSettings {
  endpoint: string;
  credentials: AwsCredentials;
}

export function buildLabEnv(base: NodeJS.ProcessEnv, settings: LabEnvSettings): NodeJS.ProcessEnv {
  return { ...scrubbedEnv(base, settings), ...backendEnv(settings) };
}

/** Everything but the backend's endpoint and keys (for a process that learns those later). */
export function scrubbedEnv(base: NodeJS.ProcessEnv, settings: Omit<LabEnvSettings, keyof BackendEnvSettings>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (!/^AWS_/i.test(name)) env[name] = value;
  }
  env.AWS_REGION = settings.region;
  // boto3 and the AWS CLI read AWS_DEFAULT_REGION, not AWS_REGION.
  env.AWS_DEFAULT_REGION = settings.region;
  env.AWS_SHARED_CREDENTIALS_FILE = settings.sharedCredentialsFile;
  env.AWS_CONFIG_FILE = settings.configFile;
  env.AWS_EC2_METADATA_DISABLED = 'true';
  // The SDK warns on Node < 22 about versions published after 2026; the course pins its
  // SDK versions, so the warning would only clutter every program run and check.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return env;
}

/** The backend's endpoint and throwaway keys. */
export function backendEnv(settings: BackendEnvSettings): Record<string, string> {
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: settings.endpoint,
    AWS_ACCESS_KEY_ID: settings.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: settings.credentials.secretAccessKey,
  };
  if (settings.credentials.sessionToken) env.AWS_SESSION_TOKEN = settings.credentials.sessionToken;
  return env;
}

export interface EmptyAwsFiles {
  sharedCredentialsFile: string;
  configFile: string;
  remove(): void;
}

/** Two empty files in a fresh temp directory, to stand in for ~/.aws/credentials and ~/.aws/config. */
export function createEmptyAwsFiles(): EmptyAwsFiles {
  const dir = mkdtempSync(join(tmpdir(), 'aws-lab-'));
  const sharedCredentialsFile = join(dir, 'credentials');
  const configFile = join(dir, 'config');
  writeFileSync(sharedCredentialsFile, '');
  writeFileSync(configFile, '');
  return { sharedCredentialsFile, configFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Refuses endpoints that are not on this machine, unless the user named the endpoint
 * themselves (`--endpoint URL`, the `endpoint` backend). AWS's own hosts are refused
 * even then: grading never runs against real AWS.
 */
export function assertSafeEndpoint(endpoint: string, namedByUser: boolean): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`The endpoint ${JSON.stringify(endpoint)} is not a URL (expected e.g. http://127.0.0.1:4566).`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'amazonaws.com' || host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn') || host.endsWith('.api.aws')) {
    throw new Error(`Refusing to run against ${endpoint}: that is real AWS. Labs run against an emulator only.`);
  }
  if (isLoopback(host) || namedByUser) return;
  throw new Error(
    `Refusing to run against ${endpoint}: it is not on this machine (loopback). ` +
      'If that really is your emulator, name it explicitly with --endpoint URL.',
  );
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
