import { parseArgs } from 'node:util';
import { isLoopbackHost } from '../backends/endpoint-url.ts';
import { DEFAULT_ACCOUNT, ROOT_ACCESS_KEY, ROOT_SECRET_KEY } from '../emulator/core/identity.ts';
import type { RunningEmulator } from '../emulator/server.ts';

const REGION = 'us-east-1';

const USAGE = `Usage: npm run emulator [-- --port 4566] [--host 127.0.0.1] [--control-token TOKEN]   (or: tsx scripts/emulator.ts ...)

Runs the embedded AWS emulator (S3, STS, IAM, DynamoDB) as a standalone server
for the AWS CLI, boto3 or any SDK, with an EC2 instance metadata service (IMDSv2)
and a container credential endpoint on the same port. Ctrl-C stops it.

Its control API (/_emulator/reset, seed, state, faults, clock, settings, requests,
credential-endpoints)
is open to anything that reaches the port, unless you lock it with a token.

Options:
  --port N                 port to listen on (default 4566; 0 picks a free one)
  --host ADDR              address to listen on (default 127.0.0.1: this machine only)
  --control-token TOKEN    lock the control API: each call then needs the header
                           x-emulator-control-token: TOKEN (default: env EMULATOR_CONTROL_TOKEN;
                           the endpoint backend reads the token from there too)
  -h, --help               this text`;

/** Where the instance role and the container role are served (see emulator/services/credential-endpoints). */
interface CredentialEndpoints {
  instanceMetadata: string;
  containerCredentials: string;
  containerToken: string;
  roleName: string;
}

function banner(emulator: RunningEmulator, host: string, locked: boolean, endpoints: CredentialEndpoints): string {
  const control = locked
    ? 'Control API /_emulator/... locked: send the header x-emulator-control-token with your token.'
    : isLoopbackHost(host)
      ? 'Control API /_emulator/... open to this machine; --control-token TOKEN locks it.'
      : `Warning: control API /_emulator/... open to anyone who reaches ${host}; --control-token TOKEN locks it.`;
  return [
    `AWS emulator listening on ${emulator.endpoint}`,
    `Credentials: access key ${ROOT_ACCESS_KEY}, secret key ${ROOT_SECRET_KEY}, region ${REGION} (account ${DEFAULT_ACCOUNT})`,
    '',
    'Paste into your shell:',
    `  export AWS_ENDPOINT_URL=${emulator.endpoint}`,
    `  export AWS_ACCESS_KEY_ID=${ROOT_ACCESS_KEY}`,
    `  export AWS_SECRET_ACCESS_KEY=${ROOT_SECRET_KEY}`,
    `  export AWS_DEFAULT_REGION=${REGION}`,
    `  export AWS_REGION=${REGION}`,
    '',
    `Instance metadata (IMDSv2, instance role ${endpoints.roleName}): ${endpoints.instanceMetadata}`,
    `  For code that should run as the instance role, instead of the keys above:`,
    `  export AWS_EC2_METADATA_SERVICE_ENDPOINT=${endpoints.instanceMetadata}`,
    `Container credentials (task role ${endpoints.roleName}): ${endpoints.containerCredentials}`,
    `  export AWS_CONTAINER_CREDENTIALS_FULL_URI=${endpoints.containerCredentials}`,
    `  export AWS_CONTAINER_AUTHORIZATION_TOKEN=${endpoints.containerToken}`,
    '',
    control,
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port takes a port number (0-65535), got ${raw}`);
  return port;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string', default: '127.0.0.1' },
      'control-token': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = parsePort(values.port);
  const host = values.host;
  // An empty EMULATOR_CONTROL_TOKEN reads as unset, as shells leave it; an empty --control-token is an error.
  const controlToken = values['control-token'] ?? (process.env.EMULATOR_CONTROL_TOKEN || undefined);

  // Loaded only now, so --help and argument errors answer at once.
  const { startEmulator } = await import('../emulator/server.ts');
  const { credentialEndpointUrls } = await import('../emulator/services/credential-endpoints/credential-endpoints.ts');
  const { DEFAULT_CONTAINER_TOKEN } = await import('../emulator/services/container-credentials/container-credentials.ts');
  const { LAB_ROLE_NAME } = await import('../emulator/services/iam/iam-seed.ts');
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ port, host, controlToken });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(`port ${port} on ${host} is already in use (another emulator, LocalStack or moto?): stop it, or pick another port with --port N`);
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new Error(`cannot listen on ${host}: no such local address`);
    throw error;
  }
  // Listening for Ctrl-C before the banner says we are up: whoever reads the banner may stop us at once.
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const endpoints = { ...credentialEndpointUrls(emulator.endpoint), containerToken: DEFAULT_CONTAINER_TOKEN, roleName: LAB_ROLE_NAME };
  console.log(banner(emulator, host, controlToken !== undefined, endpoints));

  const signal = await stopSignal;
  await emulator.stop();
  console.log(`\n${signal}: emulator stopped, port ${emulator.port} freed.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
