import { HeadBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_ACCOUNT } from '../../core/identity.ts';
import type { RunningEmulator } from '../../server.ts';
import { TAKEN_BUCKET_NAMES } from './s3-seed.ts';
import { failure, s3Client, startEmulator } from './s3-test-support.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());

interface DumpedBucket {
  name: string;
  ownerAccount: string;
  region: string;
  objects: Array<{ key: string; etag: string }>;
}

/** The control API's JSON answers that these tests read. */
interface ControlReply {
  status: number;
  json: { error?: string; s3: { buckets: DumpedBucket[] } };
}

async function control(method: string, path: string, body?: unknown): Promise<ControlReply> {
  const response = await fetch(`${emulator.endpoint}/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as ControlReply['json'] };
}

describe('S3 seeds and state dump', () => {
  it('starts with common names owned by the other account, and brings them back after a reset', async () => {
    await control('POST', 'reset');
    const state = await control('GET', 'state');
    const seeded = state.json.s3.buckets.filter((b) => TAKEN_BUCKET_NAMES.includes(b.name));
    expect(seeded).toHaveLength(TAKEN_BUCKET_NAMES.length);
    expect(seeded.every((b) => b.ownerAccount === OTHER_ACCOUNT)).toBe(true);
    expect((await failure(s3Client(emulator).send(new HeadBucketCommand({ Bucket: 'notes-bucket' })))).status).toBe(403);
  });

  it('seeds buckets with objects through the control API and dumps them', async () => {
    await control('POST', 'reset');
    const seeded = await control('POST', 'seed', {
      s3: {
        buckets: [
          { name: 'lab-input', region: 'eu-west-1', objects: [{ key: 'notes.csv', body: 'a,b\n', contentType: 'text/csv', metadata: { Owner: 'me' } }] },
          { name: 'their-bucket', account: OTHER_ACCOUNT },
        ],
      },
    });
    expect(seeded.status).toBe(200);
    const listed = await s3Client(emulator).send(new ListObjectsV2Command({ Bucket: 'lab-input' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['notes.csv']);
    expect((await failure(s3Client(emulator).send(new HeadBucketCommand({ Bucket: 'their-bucket' })))).status).toBe(403);

    const dump = (await control('GET', 'state')).json.s3.buckets;
    const input = dump.find((b) => b.name === 'lab-input')!;
    expect(input).toMatchObject({ ownerAccount: '000000000000', region: 'eu-west-1' });
    expect(input.objects[0]).toMatchObject({ key: 'notes.csv', size: 4, contentType: 'text/csv', metadata: { owner: 'me' } });
    expect(input.objects[0].etag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it.each([
    [{ buckets: [{ name: 'Bad_Name' }] }, /bucket name/],
    [{ buckets: [{ name: 'fine-name', account: '12' }] }, /12-digit/],
    [{ buckets: [{ name: 'fine-name', region: 'nowhere' }] }, /region/],
    [{ bucket: [] }, /unknown field/],
    [{ buckets: [{ name: 'fine-name', objects: [{ body: 'x' }] }] }, /key/],
  ])('refuses an invalid seed %j with a clear message', async (seed, message) => {
    const result = await control('POST', 'seed', { s3: seed });
    expect(result.status).toBe(400);
    expect(result.json.error).toMatch(message);
  });
});
