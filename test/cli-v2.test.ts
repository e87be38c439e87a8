import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from './required-tool.ts';
import { startStandaloneEmulator, type StandaloneEmulator } from './standalone-emulator.ts';

const run = promisify(execFile);

/**
 * The AWS CLI v2 against `npm run emulator`. Debian's awscli package is the v2 CLI
 * at /usr/bin/aws (pyenv's v1 shim comes first on PATH here, so PATH is not used);
 * the global set-up (test/global-setup.ts) and .ci/run install it. Missing, the suite
 * fails: it never skips.
 */
async function findCliV2(): Promise<string> {
  const cli = process.env.AWS_CLI_V2 ?? '/usr/bin/aws';
  if (!existsSync(cli)) {
    throw new Error(`AWS CLI v2 not found at ${cli}: install it (apt-get install -y awscli on Debian, as .ci/run does) or set AWS_CLI_V2 to its path`);
  }
  const { stdout } = await run(cli, ['--version']);
  if (!stdout.startsWith('aws-cli/2.')) throw new Error(`${cli} is not the AWS CLI v2: it says ${stdout.trim()}`);
  return cli;
}

describe('AWS CLI v2 against the standalone emulator', { timeout: 120_000 }, () => {
  let cli: string;
  let emulator: StandaloneEmulator | undefined;
  let endpoint: string;
  let work: string;

  /** Runs `aws --endpoint-url <emulator> ...args` with throwaway credentials and no user configuration. */
  async function aws(...args: string[]): Promise<string> {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: work, // no ~/.aws of the user is ever read
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(work, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
      AWS_PAGER: '',
      AWS_DEFAULT_OUTPUT: 'json',
    };
    try {
      const { stdout } = await run(cli, ['--endpoint-url', endpoint, ...args], { env, cwd: work, maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const failure = error as { stderr?: string; stdout?: string; code?: number };
      throw new Error(`aws ${args.join(' ')} failed (exit ${failure.code}):\n${failure.stderr ?? ''}${failure.stdout ?? ''}`);
    }
  }

  beforeAll(async () => {
    // The global set-up installs the CLI when it can; when it could not, its sentence says what to install.
    requireTool('awscli');
    cli = await findCliV2();
    work = await mkdtemp(join(tmpdir(), 'cli-v2-'));
    const started = await startStandaloneEmulator();
    emulator = started.run;
    endpoint = started.endpoint;
  });
  afterAll(async () => {
    emulator?.child.kill('SIGTERM');
    await emulator?.exit;
    if (work) await rm(work, { recursive: true, force: true });
  });

  // Few invocations on purpose: each CLI start costs about a second of CPU.
  it('s3 mb, cp up and down (single part and multipart), ls, rb --force', async () => {
    expect(await aws('s3', 'mb', 's3://cli-v2-bucket')).toContain('make_bucket: cli-v2-bucket');

    const small = randomBytes(300_000);
    // Over the CLI's 8 MiB multipart threshold: CreateMultipartUpload, UploadPart x2, Complete.
    const large = randomBytes(9 * 1024 * 1024 + 123);
    await mkdir(join(work, 'up'));
    await writeFile(join(work, 'up', 'small.bin'), small);
    await writeFile(join(work, 'up', 'large.bin'), large);
    const uploaded = await aws('s3', 'cp', 'up', 's3://cli-v2-bucket/data/', '--recursive', '--no-progress');
    expect(uploaded).toContain('upload: up/small.bin to s3://cli-v2-bucket/data/small.bin');
    expect(uploaded).toContain('upload: up/large.bin to s3://cli-v2-bucket/data/large.bin');

    expect(await aws('s3', 'ls')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d cli-v2-bucket$/m);
    const listing = await aws('s3', 'ls', 's3://cli-v2-bucket/data/');
    expect(listing).toMatch(/ 300000 small\.bin$/m);
    expect(listing).toMatch(new RegExp(` ${large.length} large\\.bin$`, 'm'));

    const downloaded = await aws('s3', 'cp', 's3://cli-v2-bucket/data/', 'down', '--recursive', '--no-progress');
    expect(downloaded).toContain('download: s3://cli-v2-bucket/data/large.bin to down/large.bin');
    expect((await readFile(join(work, 'down', 'small.bin'))).equals(small)).toBe(true);
    expect((await readFile(join(work, 'down', 'large.bin'))).equals(large)).toBe(true);

    const removed = await aws('s3', 'rb', 's3://cli-v2-bucket', '--force');
    expect(removed).toContain('delete: s3://cli-v2-bucket/data/small.bin');
    expect(removed).toContain('delete: s3://cli-v2-bucket/data/large.bin');
    expect(removed).toContain('remove_bucket: cli-v2-bucket');
    expect(await aws('s3', 'ls')).not.toContain('cli-v2-bucket');
  });

  it('sts get-caller-identity: the root of the default account', async () => {
    const identity = JSON.parse(await aws('sts', 'get-caller-identity')) as Record<string, string>;
    expect(identity).toEqual({ UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  });
});
