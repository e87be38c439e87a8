import { CreateBucketCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { failure, s3Client, startEmulator, uniqueBucketName } from './s3-test-support.ts';

let emulator: RunningEmulator;
let bucket: string;
const KEYS = ['a.txt', 'docs/1.md', 'docs/2.md', 'docs/deep/3.md', 'img/x.png', 'img/y.png', 'z.txt', 'sp ace+plus.txt'];

beforeAll(async () => {
  emulator = await startEmulator();
  bucket = uniqueBucketName('lists');
  const s3 = s3Client(emulator);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const key of KEYS) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
});
afterAll(() => emulator.stop());

describe('ListObjectsV2', () => {
  it('filters by prefix and rolls keys up into CommonPrefixes by delimiter', async () => {
    const s3 = s3Client(emulator);
    const top = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    expect(top.Contents?.map((o) => o.Key)).toEqual(['a.txt', 'sp ace+plus.txt', 'z.txt']);
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['docs/', 'img/']);
    expect(top.KeyCount).toBe(5);

    const docs = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'docs/', Delimiter: '/' }));
    expect(docs.Contents?.map((o) => o.Key)).toEqual(['docs/1.md', 'docs/2.md']);
    expect(docs.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['docs/deep/']);
  });

  it('pages with max-keys and continuation tokens, prefixes counting as entries', async () => {
    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2({ client: s3Client(emulator), pageSize: 2 }, { Bucket: bucket, Delimiter: '/' })) {
      pages.push([...(page.Contents ?? []).map((o) => o.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!)]);
      expect(page.KeyCount).toBeLessThanOrEqual(2);
    }
    expect(pages.flat().sort()).toEqual(['a.txt', 'docs/', 'img/', 'sp ace+plus.txt', 'z.txt']);
    expect(pages).toHaveLength(3);
  });

  it('starts after start-after, and url-encodes keys on request', async () => {
    const s3 = s3Client(emulator);
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'img/y.png', EncodingType: 'url' }));
    // The JS SDK leaves url-encoded keys as sent (boto3 decodes them with unquote_plus).
    expect(out.EncodingType).toBe('url');
    expect(out.Contents?.map((o) => o.Key)).toEqual(['sp+ace%2Bplus.txt', 'z.txt']);
    expect(decodeURIComponent(out.Contents![0]!.Key!.replace(/\+/g, ' '))).toBe('sp ace+plus.txt');
    expect(out.IsTruncated).toBe(false);
  });

  it('refuses a max-keys that is not a number', async () => {
    const s3 = s3Client(emulator);
    s3.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { query: Record<string, string> }).query['max-keys'] = 'lots';
        return next(args);
      },
      { step: 'build', priority: 'low', name: 'badMaxKeys' },
    );
    expect(await failure(s3.send(new ListObjectsV2Command({ Bucket: bucket })))).toMatchObject({ status: 400, name: 'InvalidArgument' });
  });
});

describe('ListObjects (v1)', () => {
  it('pages with Marker and NextMarker', async () => {
    const s3 = s3Client(emulator);
    const first = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 3, Delimiter: '/' }));
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBe('img/');
    const second = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 3, Delimiter: '/', Marker: first.NextMarker }));
    expect(second.Contents?.map((o) => o.Key)).toEqual(['sp ace+plus.txt', 'z.txt']);
    expect(second.IsTruncated).toBe(false);
    expect(second.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });
});
