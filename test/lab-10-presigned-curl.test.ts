/**
 * Lab 10's presigned URL outside the grader: the URL the lab's own presignGetObject (the
 * solution) signs is fetched by curl, as a student would paste it into a terminal. It must
 * download the object, and once the emulator's clock passes X-Amz-Expires, the same curl must
 * get S3's 403 "Request has expired". curl is a tool outside npm: when it is missing, the test
 * fails saying so (it never skips).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT_ACCESS_KEY, ROOT_SECRET_KEY } from '../emulator/core/identity.ts';
import { startEmulator, type RunningEmulator } from '../emulator/server.ts';
import { presignGetObject } from '../labs/10-sigv4/presign.ts';

const run = promisify(execFile);

let emulator: RunningEmulator;
let s3: S3Client;
const credentials = { accessKeyId: ROOT_ACCESS_KEY, secretAccessKey: ROOT_SECRET_KEY };

beforeAll(async () => {
  emulator = await startEmulator();
  s3 = new S3Client({ endpoint: emulator.endpoint, region: 'eu-west-1', forcePathStyle: true, credentials, maxAttempts: 1 });
});
// Each test starts from an empty store on the real clock (the first one moves it).
beforeEach(() => emulator.store.reset());
afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
});

/** curl's answer: the body, then the status on a line of its own (-w). */
async function curl(url: string): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['--silent', '--show-error', '--max-time', '10', '--write-out', '\n%{http_code}', url]).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new Error('curl is not installed: this test needs it (on Debian or Ubuntu: apt-get install -y curl)');
    throw error;
  });
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

describe("lab 10's presigned URL, fetched with curl", () => {
  it('downloads the object until X-Amz-Expires, then gets 403 Request has expired', { timeout: 30_000 }, async () => {
    const bucket = 'lab-10-curl';
    const key = 'notes/2024 jan notes (draft).txt';
    const body = 'signed by hand, fetched by curl\n';
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

    const url = presignGetObject(emulator.endpoint, credentials, 'eu-west-1', { bucket, key }, 120, new Date());
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(await curl(url)).toEqual({ status: 200, body });

    emulator.store.clock.advance(121);
    const expired = await curl(url);
    expect(expired.status).toBe(403);
    expect(expired.body).toContain('<Code>AccessDenied</Code>');
    expect(expired.body).toContain('<Message>Request has expired</Message>');
  });

  it('a URL whose X-Amz-Expires was raised after signing gets SignatureDoesNotMatch, with the canonical request S3 computed', { timeout: 30_000 }, async () => {
    const bucket = 'lab-10-curl-tampered';
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'x' }));
    const url = new URL(presignGetObject(emulator.endpoint, credentials, 'eu-west-1', { bucket, key: 'a.txt' }, 120, new Date()));
    url.searchParams.set('X-Amz-Expires', '121');
    const answer = await curl(url.toString());
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(answer.body).toContain(`<CanonicalRequest>GET\n/${bucket}/a.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&amp;`);
    expect(answer.body).toContain('X-Amz-Expires=121');
  });
});
