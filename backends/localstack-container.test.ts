import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateBucketCommand, HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../test/required-tool.ts';
import type { Backend } from './backend.ts';
import { isLoopbackHost } from './endpoint-url.ts';
import { startLocalstackBackend } from './localstack.ts';
import { ensureStandInImage, STAND_IN_REPOSITORY } from './localstack-stand-in-image.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * `--backend localstack` end to end on a real Docker engine, against the LocalStack stand-in
 * image (localstack-stand-in.ts): our emulator behind LocalStack's port, readiness line and
 * health route, built from this machine's files because no registry can be reached. What
 * this proves is the container plumbing of the backend (testcontainers, image choice, port
 * mapping, readiness, the auth token passed through, a lab graded through the container,
 * stop and clean-up); LocalStack's own behaviour needs its own image and is not tested here.
 */

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** Containers of any state made from the image. */
const containersOf = (image: string) => docker('ps', '-a', '-q', '--filter', `ancestor=${image}`);
const networks = async () => (await docker('network', 'ls', '-q')).split('\n').sort();

describe('--backend localstack in Docker, against the stand-in image', { timeout: 180_000 }, () => {
  let image: string;
  let networksBefore: string[];

  beforeAll(async () => {
    requireTool('docker');
    // No registry here, so Ryuk's image cannot be pulled; the backend stops its own container.
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
    networksBefore = await networks();
    let folder: string | undefined;
    const built = await ensureStandInImage(root, { onBuildFolder: (path) => (folder = path) });
    image = built.image;
    expect(image).toMatch(new RegExp(`^${STAND_IN_REPOSITORY}:[0-9a-f]{16}$`));
    // A build leaves no folder behind; a cached image needs none.
    expect(folder === undefined).toBe(!built.built);
    if (folder) expect(existsSync(folder), folder).toBe(false);
    // One stand-in image at a time: a new build removes the older ones.
    if (built.built) expect((await docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', STAND_IN_REPOSITORY)).split('\n')).toEqual([image]);
    expect(await containersOf(image)).toBe('');
    // Bundling, packing Node (about 100 MB) and docker import: seconds when idle, more on a busy machine.
  }, 180_000);

  afterAll(async () => {
    if (!image) return;
    // A failed test may have left its container: remove it, so the next run starts clean (the tests below say so first).
    const left = await containersOf(image).catch(() => '');
    if (left) await docker('rm', '-f', ...left.split('\n'));
  });

  it('starts the container, waits for Ready., maps port 4566, passes the auth token through, serves the SDK, and leaves nothing after stop', async () => {
    const token = `ls-test-${randomBytes(6).toString('hex')}`;
    let backend: Backend | undefined;
    try {
      backend = await startLocalstackBackend({ env: { LOCALSTACK_IMAGE: image, LOCALSTACK_AUTH_TOKEN: token, AWS_SECRET_ACCESS_KEY: 'never-passed' } });
      const endpoint = new URL(backend.endpoint);
      expect(endpoint.protocol).toBe('http:');
      // Loopback, as the lab runner requires of a backend it started (the engine runs on this machine).
      expect(isLoopbackHost(endpoint.hostname), backend.endpoint).toBe(true);

      const [id, ...others] = (await containersOf(image)).split('\n');
      expect(others).toEqual([]);
      // The port testcontainers handed out is the one Docker maps to the container's 4566.
      expect((await docker('port', id!, '4566/tcp')).split('\n').map((line) => line.split(':').pop())).toContain(endpoint.port);

      const health = (await (await fetch(`${backend.endpoint}/_localstack/health`)).json()) as { services: Record<string, string> };
      expect(health.services).toMatchObject({ s3: 'running', dynamodb: 'running', iam: 'running', sts: 'running' });

      // Only LOCALSTACK_AUTH_TOKEN goes into the container, with its value; and the process inside received it.
      const env = JSON.parse(await docker('inspect', '--format', '{{json .Config.Env}}', id!)) as string[];
      expect(env).toContain(`LOCALSTACK_AUTH_TOKEN=${token}`);
      expect(env.filter((entry) => entry.startsWith('AWS_'))).toEqual([]);
      const { stdout: logs } = await run('docker', ['logs', id!]);
      expect(logs).toContain(`LOCALSTACK_AUTH_TOKEN received (${token.length} characters)`);
      expect(logs.split('\n')).toContain('Ready.');
      expect(logs).not.toContain(token);

      // The SDK through the mapped port (signed with the Host it sees, verified behind the gateway).
      const s3 = new S3Client({ endpoint: backend.endpoint, region: 'us-east-1', credentials: backend.credentials, forcePathStyle: true, maxAttempts: 1 });
      const bucket = `stand-in-${randomBytes(4).toString('hex')}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      expect((await s3.send(new HeadBucketCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(200);
      expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(bucket);
      s3.destroy();

      // LocalStack community has no state reset; what it lacks is declared, not tested through it.
      expect(backend.describe()).toMatchObject({ name: 'localstack', reset: 'none', accountId: '000000000000' });
      expect(backend.lacks('head-bucket-403')).toMatch(/LocalStack/);
    } finally {
      await backend?.stop();
    }
    expect(await containersOf(image)).toBe('');
    expect(await networks()).toEqual(networksBefore);
  });

  it('grades lab 2 through it to full marks (npm run lab:2 -- --backend localstack, LOCALSTACK_IMAGE set)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lab.ts', '2', '--backend', 'localstack', '--json'], {
      cwd: root,
      env: { ...process.env, LOCALSTACK_IMAGE: image, TESTCONTAINERS_RYUK_DISABLED: 'true', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(stderr, 'the runner names the backend it graded on').toMatch(/Lab \S+ on localstack \(http:\/\/(localhost|127\.0\.0\.1):\d+\)/);
    const result = JSON.parse(stdout) as { lab: string; score: number; max_score: number; checks: Array<{ status: string; name: string; message?: string }> };
    const failed = result.checks.filter((check) => check.status !== 'passed' && check.status !== 'not_gradable');
    expect(failed, stderr).toEqual([]);
    expect(result.max_score).toBeGreaterThan(0);
    expect(result.score).toBe(result.max_score);
    expect(code).toBe(0);
    // The checks LocalStack cannot grade are reported so, never passed.
    expect(result.checks.filter((check) => check.status === 'not_gradable').length).toBeGreaterThan(0);
    expect(await containersOf(image)).toBe('');
    expect(await networks()).toEqual(networksBefore);
  });
});
