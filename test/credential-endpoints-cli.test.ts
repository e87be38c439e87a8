import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient } from '../backends/control-client.ts';
import type { RequestLogEntry } from '../emulator/core/request-log.ts';
import { startStandaloneEmulator, type StandaloneEmulator } from './standalone-emulator.ts';

const run = promisify(execFile);

/**
 * Issue 9's acceptance: the AWS CLI v2 and boto3, in an environment whose only credential
 * source is the emulator's instance metadata (IMDSv2) or its container credential
 * endpoint, run `sts get-caller-identity` and are the seeded role. Both must be installed
 * (.ci/run installs the CLI; boto3 comes with moto): missing, the suite fails, never skips.
 */

const CLI = process.env.AWS_CLI_V2 ?? '/usr/bin/aws';
const PYTHON = process.env.PYTHON ?? 'python3';
const ACCOUNT = '000000000000';
const TASK_ROLE = 'notes-task-role';
const TASK_TOKEN = 'task-token-7f3a9c';

const BOTO3_CALLER = `
import sys, boto3
print(boto3.client("sts", endpoint_url=sys.argv[1], region_name="us-east-1").get_caller_identity()["Arn"])
`;

describe('AWS CLI v2 and boto3 with credentials from the emulator\'s instance metadata and container endpoints', { timeout: 120_000 }, () => {
  let emulator: StandaloneEmulator | undefined;
  let endpoint: string;
  let home: string;
  let control: ControlClient;

  /** Nothing but the one credential source: a temp HOME, no keys, no profile, no shared files. */
  function onlySource(vars: Record<string, string>): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      ...vars,
    };
  }

  async function cliArn(env: NodeJS.ProcessEnv): Promise<string> {
    const { stdout } = await run(CLI, ['--endpoint-url', endpoint, 'sts', 'get-caller-identity', '--output', 'json'], { env, cwd: home }).catch((error: { stderr?: string }) => {
      throw new Error(`aws sts get-caller-identity failed: ${error.stderr ?? String(error)}`);
    });
    return (JSON.parse(stdout) as { Arn: string }).Arn;
  }

  async function boto3Arn(env: NodeJS.ProcessEnv): Promise<string> {
    const { stdout } = await run(PYTHON, ['-c', BOTO3_CALLER, endpoint], { env, cwd: home }).catch((error: { stderr?: string }) => {
      throw new Error(`boto3 get_caller_identity failed: ${error.stderr ?? String(error)}`);
    });
    return stdout.trim();
  }

  /** The sources of the GetCallerIdentity calls since the last look, as the request log records them. */
  let seen = 0;
  async function newCallSources(): Promise<Array<string | undefined>> {
    const calls = (await control.requests()).filter((e: RequestLogEntry) => e.operation === 'GetCallerIdentity' && e.seq > seen);
    seen = Math.max(seen, ...calls.map((e) => e.seq));
    return calls.map((e) => e.credentialSource);
  }

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`AWS CLI v2 not found at ${CLI}: install it (apt-get install -y awscli on Debian, as .ci/run does) or set AWS_CLI_V2`);
    await run(PYTHON, ['-c', 'import boto3']).catch(() => {
      throw new Error(`boto3 is not importable by ${PYTHON}: pip install boto3 (moto brings it), or set PYTHON`);
    });
    home = await mkdtemp(join(tmpdir(), 'credential-endpoints-'));
    const started = await startStandaloneEmulator();
    emulator = started.run;
    endpoint = started.endpoint;
    control = new ControlClient(endpoint);
  });
  afterAll(async () => {
    emulator?.child.kill('SIGTERM');
    await emulator?.exit;
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('instance metadata (IMDSv2): both are the default instance role, notes-application-role', async () => {
    // With the trailing slash the banner prints: the CLI 2.9's botocore appends "latest/..." without one.
    const env = onlySource({ AWS_EC2_METADATA_SERVICE_ENDPOINT: `${endpoint}/`, AWS_EC2_METADATA_V1_DISABLED: 'true' });
    const instanceId = ((await control.credentialEndpoints()) as { instanceMetadata: { instanceId: string } }).instanceMetadata.instanceId;
    const expected = `arn:aws:sts::${ACCOUNT}:assumed-role/notes-application-role/${instanceId}`;
    expect(await cliArn(env)).toBe(expected);
    expect(await boto3Arn(env)).toBe(expected);
    expect(await newCallSources()).toEqual(['instance-role', 'instance-role']);
  });

  it('container credentials: both are the task role seeded through the control API, with its token', async () => {
    await control.seed({ iam: { roles: [{ name: TASK_ROLE, trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }] } });
    await control.configureCredentialEndpoints({ container: { role: TASK_ROLE, authorizationToken: TASK_TOKEN } });
    const { container } = (await control.credentialEndpoints()) as { container: { path: string } };
    const env = onlySource({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint}${container.path}`, AWS_CONTAINER_AUTHORIZATION_TOKEN: TASK_TOKEN });
    const arn = new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/${TASK_ROLE}/[0-9a-f]{32}$`);
    expect(await cliArn(env)).toMatch(arn);
    expect(await boto3Arn(env)).toMatch(arn);
    expect(await newCallSources()).toEqual(['container', 'container']);
  });
});
