import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { fromDescriptor, type Backend, type Capability } from './backend.ts';
import { isLoopbackHost } from './endpoint-url.ts';

/**
 * The one place the LocalStack image is pinned: 4.14.0 is the last tag that starts
 * without an auth token (LocalStack's repository was archived on 2026-03-23).
 */
export const LOCALSTACK_IMAGE = 'localstack/localstack:4.14.0';

/** LocalStack's default account; any credentials act in it. */
export const LOCALSTACK_ACCOUNT = '000000000000';

/**
 * What LocalStack community lacks (DESIGN §4). Not measurable here (its image cannot be
 * pulled): the README's "LocalStack, what is tested and what is not" names the place in
 * LocalStack 4.14.0's source or documentation behind IAM enforcement, HeadBucket 403, the
 * CREATING state and the website's bucket policy.
 */
export const LOCALSTACK_MISSING: Partial<Record<Capability, string>> = {
  'iam-enforcement': 'LocalStack community never enforces IAM policies',
  'sigv4-verification': 'LocalStack accepts any secret key: signatures are not verified',
  'head-bucket-403': "LocalStack answers HeadBucket 200 or 404, never 403 for another account's bucket",
  'table-creating-state': 'LocalStack creates DynamoDB tables ACTIVE at once, so a missing waiter is never caught',
  'decode-authorization-message': 'LocalStack does not implement STS DecodeAuthorizationMessage',
  'website-policy': 'the LocalStack website endpoint ignores the bucket policy',
  'mfa-totp': 'LocalStack GetSessionToken does not check the MFA code',
  'fault-injection': 'LocalStack has no control API for our throttling and error injection',
  'eventual-consistency': 'LocalStack has no control API to delay the visibility of new buckets',
  'request-log': 'LocalStack has no control API listing the requests it received',
  'state-dump': 'LocalStack has no control API dumping state in our format',
  'clock-control': 'LocalStack has no control API to move its clock',
  'seed': 'LocalStack has no control API to seed buckets owned by other accounts or users',
  'credential-endpoints': 'LocalStack serves no role sessions through instance metadata or a container credential endpoint, and logs no credential sources',
};

export interface LocalstackOptions {
  /** Image to run instead of the pinned one (else LOCALSTACK_IMAGE env). */
  image?: string;
  /** Where LOCALSTACK_IMAGE, LOCALSTACK_AUTH_TOKEN and DOCKER_HOST are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface LocalstackConfig {
  image: string;
  /** Environment of the container. */
  environment: Record<string, string>;
}

/** The container to run, from options and environment; nothing is started. */
export function localstackConfig(options: LocalstackOptions = {}): LocalstackConfig {
  const env = options.env ?? process.env;
  const environment: Record<string, string> = {};
  // Images after 4.14.0 refuse to start without a token; pass the user's through, never invent one.
  if (env.LOCALSTACK_AUTH_TOKEN) environment.LOCALSTACK_AUTH_TOKEN = env.LOCALSTACK_AUTH_TOKEN;
  return { image: options.image ?? env.LOCALSTACK_IMAGE ?? LOCALSTACK_IMAGE, environment };
}

/** The one sentence a user without Docker sees: what is missing, what to install, what else to use. */
export function noDockerMessage(env: NodeJS.ProcessEnv, cause: string): string {
  const where = env.DOCKER_HOST
    ? `DOCKER_HOST=${env.DOCKER_HOST} does not answer`
    : existsSync('/var/run/docker.sock')
      ? '/var/run/docker.sock does not answer'
      : 'DOCKER_HOST is unset and there is no /var/run/docker.sock';
  return `LocalStack needs a running Docker engine and none was found (${where}: ${cause}); install Docker and start it (on Debian or Ubuntu: apt-get install docker.io, then dockerd; elsewhere Docker Desktop), or use --backend embedded (the default) or moto.`;
}

/** Starts LocalStack in a container (minutes on a first pull) and stops it with `stop()`. */
export async function startLocalstackBackend(options: LocalstackOptions = {}): Promise<Backend> {
  const env = options.env ?? process.env;
  const config = localstackConfig(options);
  // Loaded on demand: testcontainers is only needed by this backend.
  const { getContainerRuntimeClient } = await import('testcontainers');
  const { LocalstackContainer } = await import('@testcontainers/localstack');
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    throw new Error(noDockerMessage(env, error instanceof Error ? error.message : String(error)));
  }

  const container = await new LocalstackContainer(config.image).withEnvironment(config.environment).start();
  const endpoint = `http://${reachableHost(container.getHost())}:${container.getPort()}`;
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  let stopping: Promise<void> | undefined;
  return {
    ...fromDescriptor({
      name: 'localstack',
      endpoint,
      accountId: LOCALSTACK_ACCOUNT,
      credentials,
      missing: LOCALSTACK_MISSING,
      // LocalStack community 4.14 has no state reset route: its internal API is /_localstack/health,
      // info, plugins, init (and config, diagnose, usage when enabled); see
      // localstack-core/localstack/services/internal.py, LocalstackResources.add_default_routes, at
      // tag v4.14.0 (no /_localstack/state/... anywhere in that source). So checks stay apart by
      // their random names, as on any endpoint without a reset.
      reset: 'none',
    }),
    reset: async () => undefined,
    stop: () => (stopping ??= container.stop().then(() => undefined)),
  };
}

/**
 * The host to reach the container's published port at. testcontainers answers the default
 * bridge's gateway (172.17.0.1) when it runs inside a container (/.dockerenv) and talks to a
 * local socket, for a Docker engine outside that container. When the engine runs in the same
 * machine (Docker in a container, as on our CI machines), that gateway is one of this
 * machine's own addresses, Docker publishes on every interface, and loopback reaches the
 * same port: the endpoint then stays a loopback one, which the lab runner requires of
 * anything it did not get from --endpoint (grader/safe-env.ts).
 */
export function reachableHost(host: string, ownAddresses: readonly string[] = localAddresses()): string {
  return !isLoopbackHost(host) && ownAddresses.includes(host) ? '127.0.0.1' : host;
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((addresses) => (addresses ?? []).map((address) => address.address));
}
