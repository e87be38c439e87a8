import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEmulatorScript, waitForOutput, type StandaloneEmulator } from '../test/standalone-emulator.ts';
import { EMULATOR_BUNDLE, EMULATOR_ENTRY, writeStandaloneBundle } from './standalone-bundles.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `node FILE args`, its output collected (the same shape as runEmulatorScript's). */
function runBundle(file: string, args: string[], cwd: string): StandaloneEmulator {
  const child = spawn(process.execPath, [file, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text, exit: once(child, 'exit').then(([code]) => code as number | null) };
}

const BANNER_END = /Press Ctrl-C to stop\.\n/;
/** The banner with its one varying part, the port, made constant. */
const banner = (output: string) => output.slice(0, output.search(BANNER_END)).replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');

describe('the standalone emulator bundle', { timeout: 120_000 }, () => {
  let folder: string;
  let file: string;
  let bundled: StandaloneEmulator | undefined;
  let endpoint: string;

  beforeAll(async () => {
    // Outside the project: no node_modules to fall back on, so every package must be inside.
    folder = await mkdtemp(join(tmpdir(), 'emulator-bundle-'));
    file = join(folder, 'emulator.mjs');
    const bundle = await writeStandaloneBundle(root, EMULATOR_ENTRY, file);
    expect(bundle.path).toBe(file);
    expect(bundle.sources).toContain('emulator/server.ts');
    expect(bundle.sources.every((source) => !source.includes('node_modules'))).toBe(true);
    bundled = runBundle(file, ['--port', '0'], folder);
    [, endpoint] = (await waitForOutput(bundled, /listening on (http:\/\/127\.0\.0\.1:\d+)\n/)) as RegExpMatchArray as [string, string];
    await waitForOutput(bundled, BANNER_END);
  });

  afterAll(async () => {
    if (bundled?.child.exitCode === null) {
      bundled.child.kill('SIGKILL');
      await bundled.exit;
    }
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('prints the same banner as npm run emulator', async () => {
    const script = runEmulatorScript(['--port', '0']);
    try {
      await waitForOutput(script, BANNER_END);
      expect(banner(bundled!.output())).toBe(banner(script.output()));
      expect(banner(bundled!.output())).toMatch(/^AWS emulator listening on http:\/\/127\.0\.0\.1:PORT\n/);
    } finally {
      script.child.kill('SIGTERM');
      await script.exit;
    }
  });

  it('serves S3 and DynamoDB (dynalite, loaded through the bundled require table) with nothing but node and the file', async () => {
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'bundle-check' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bundle-check', Key: 'a.txt', Body: 'from the bundle' }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'bundle-check', Key: 'a.txt' }))).Body!.transformToString()).toBe('from the bundle');
    s3.destroy();

    const dynamodb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const created = await dynamodb.send(
      new CreateTableCommand({ TableName: 'Notes', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    expect(created.TableDescription?.TableStatus).toBe('CREATING');
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await dynamodb.send(new PutItemCommand({ TableName: 'Notes', Item: { id: { S: '1' }, text: { S: 'bundled' } } }));
        break;
      } catch (error) {
        // A CREATING table refuses data calls (ResourceNotFoundException), as on AWS.
        if ((error as Error).name !== 'ResourceNotFoundException' || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    expect((await dynamodb.send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: '1' } } }))).Item?.text?.S).toBe('bundled');
    // dynalite's own validation (validations/putItem.js, loaded through the require table).
    await expect(dynamodb.send(new PutItemCommand({ TableName: 'Notes', Item: { other: { S: 'x' } } }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/key/i),
    });
    dynamodb.destroy();
  });

  it('stops on SIGTERM like npm run emulator', async () => {
    bundled!.child.kill('SIGTERM');
    expect(await bundled!.exit).toBe(0);
    expect(bundled!.output()).toMatch(/SIGTERM: emulator stopped, port \d+ freed\./);
  });
});

describe('docker/Dockerfile', () => {
  it('builds the image from the same bundle: npm run build:emulator, the file copied, started with plain node on 4566', () => {
    const dockerfile = readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts['build:emulator']).toBe('tsx scripts/build-emulator.ts');
    expect(dockerfile).toMatch(/^RUN npm run build:emulator$/m);
    expect(dockerfile).toMatch(new RegExp(`^COPY --from=build /src/${EMULATOR_BUNDLE.replace('.', '\\.')} /app/emulator\\.mjs$`, 'm'));
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/app\/emulator\.mjs", "--host", "0\.0\.0\.0", "--port", "4566"\]$/m);
    expect(dockerfile).toMatch(/^EXPOSE 4566$/m);
  });
});
