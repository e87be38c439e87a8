import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OTHER_ACCOUNT } from '../../core/identity.ts';
import type { RunningEmulator } from '../../server.ts';
import { s3State } from './s3-state.ts';
import { failure, s3Client, startEmulator, uniqueBucketName } from './s3-test-support.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.store.reset());

describe('CreateBucket', () => {
  it('creates a us-east-1 bucket without a location constraint and answers Location /<bucket>', async () => {
    const s3 = s3Client(emulator);
    const name = uniqueBucketName();
    const out = await s3.send(new CreateBucketCommand({ Bucket: name }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Location).toBe(`/${name}`);
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint).toBeUndefined();
    const entry = emulator.store.log.list().find((e) => e.operation === 'CreateBucket');
    expect(entry?.params?.LocationConstraint).toBeUndefined();
  });

  it('creates a bucket in another region when the constraint names that region, and logs it', async () => {
    const s3 = s3Client(emulator, { region: 'eu-west-1' });
    const name = uniqueBucketName();
    await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint).toBe('eu-west-1');
    const head = await s3.send(new HeadBucketCommand({ Bucket: name }));
    expect(head.BucketRegion).toBe('eu-west-1');
    const entry = emulator.store.log.list().find((e) => e.operation === 'CreateBucket');
    expect(entry?.params?.LocationConstraint).toBe('eu-west-1');
    expect(entry?.region).toBe('eu-west-1');
  });

  it('refuses an explicit us-east-1 constraint in us-east-1 with InvalidLocationConstraint', async () => {
    const result = await failure(
      s3Client(emulator).send(
        new CreateBucketCommand({ Bucket: uniqueBucketName(), CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as BucketLocationConstraint } }),
      ),
    );
    expect(result).toMatchObject({ status: 400, name: 'InvalidLocationConstraint', message: 'The specified location-constraint is not valid' });
  });

  it('needs a constraint outside us-east-1: IllegalLocationConstraintException', async () => {
    // The SDK fills in the client's region as the constraint when none is given: send the request without a body.
    const s3 = withRawBody(s3Client(emulator, { region: 'ap-northeast-2' }), '');
    const result = await failure(s3.send(new CreateBucketCommand({ Bucket: uniqueBucketName() })));
    expect(result).toMatchObject({
      status: 400,
      name: 'IllegalLocationConstraintException',
      message: 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
    });
  });

  it('refuses a constraint that differs from the request region', async () => {
    const result = await failure(
      s3Client(emulator, { region: 'eu-west-1' }).send(
        new CreateBucketCommand({ Bucket: uniqueBucketName(), CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } }),
      ),
    );
    expect(result).toMatchObject({
      status: 400,
      name: 'IllegalLocationConstraintException',
      message: 'The eu-central-1 location constraint is incompatible for the region specific endpoint this request was sent to.',
    });
  });

  it.each([
    'ab',
    'a'.repeat(64),
    'Upper-case',
    'under_score',
    '-starts-with-hyphen',
    'ends-with-hyphen-',
    'two..dots',
    '192.168.5.4',
    'xn--punycode',
    'access-point-s3alias',
    'object-lambda--ol-s3',
  ])('refuses the invalid name %s with InvalidBucketName', async (name) => {
    const result = await failure(s3Client(emulator).send(new CreateBucketCommand({ Bucket: name })));
    expect(result).toMatchObject({ status: 400, name: 'InvalidBucketName', message: 'The specified bucket is not valid.' });
  });

  it('answers MalformedXML to a body that is not XML', async () => {
    const s3 = withRawBody(s3Client(emulator, { region: 'eu-west-1' }), '<CreateBucketConfiguration><LocationConstraint>');
    const result = await failure(s3.send(new CreateBucketCommand({ Bucket: uniqueBucketName() })));
    expect(result).toMatchObject({ status: 400, name: 'MalformedXML' });
  });

  it('answers 409 BucketAlreadyExists for a name another account owns', async () => {
    const result = await failure(s3Client(emulator).send(new CreateBucketCommand({ Bucket: 'notes-bucket' })));
    expect(result).toMatchObject({ status: 409, name: 'BucketAlreadyExists' });
  });

  it('answers 409 BucketAlreadyOwnedByYou outside us-east-1, 200 for the us-east-1 legacy case', async () => {
    const west = s3Client(emulator, { region: 'eu-west-1' });
    const name = uniqueBucketName();
    const config = { LocationConstraint: 'eu-west-1' as const };
    await west.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: config }));
    const again = await failure(west.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: config })));
    expect(again).toMatchObject({ status: 409, name: 'BucketAlreadyOwnedByYou' });

    const east = s3Client(emulator);
    const eastName = uniqueBucketName();
    await east.send(new CreateBucketCommand({ Bucket: eastName }));
    expect((await east.send(new CreateBucketCommand({ Bucket: eastName }))).$metadata.httpStatusCode).toBe(200);
  });
});

describe('HeadBucket', () => {
  it('answers 200 with the region for your bucket, 404 for none, 403 for another account', async () => {
    const s3 = s3Client(emulator);
    const name = uniqueBucketName();
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    const mine = await s3.send(new HeadBucketCommand({ Bucket: name }));
    expect(mine.$metadata.httpStatusCode).toBe(200);
    expect(mine.BucketRegion).toBe('us-east-1');
    expect(mine.AccessPointAlias).toBe(false);

    expect((await failure(s3.send(new HeadBucketCommand({ Bucket: uniqueBucketName() })))).status).toBe(404);
    expect((await failure(s3.send(new HeadBucketCommand({ Bucket: 'my-bucket' })))).status).toBe(403);
  });

  it('hides a new bucket from its first K reads when the eventual-consistency fault is set', async () => {
    emulator.store.faults.newBucketInvisibleReads = 2;
    const s3 = s3Client(emulator);
    const name = uniqueBucketName();
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    expect((await failure(s3.send(new HeadBucketCommand({ Bucket: name })))).status).toBe(404);
    // Reads by anyone count, another account's included.
    const other = s3Client(emulator, { accessKeyId: OTHER_ACCOUNT });
    expect((await failure(other.send(new HeadBucketCommand({ Bucket: name })))).status).toBe(404);
    expect((await s3.send(new HeadBucketCommand({ Bucket: name }))).$metadata.httpStatusCode).toBe(200);
  });
});

describe('ListBuckets', () => {
  it("lists only the caller's buckets, with the owner and ISO creation dates", async () => {
    const mine = s3Client(emulator);
    const other = s3Client(emulator, { accessKeyId: OTHER_ACCOUNT });
    const name = uniqueBucketName('mine');
    await mine.send(new CreateBucketCommand({ Bucket: name }));

    const myList = await mine.send(new ListBucketsCommand({}));
    expect(myList.Buckets?.map((b) => b.Name)).toEqual([name]);
    expect(myList.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
    expect(myList.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(myList.Owner?.DisplayName).toBeTruthy();

    const theirList = await other.send(new ListBucketsCommand({}));
    const theirNames = theirList.Buckets?.map((b) => b.Name) ?? [];
    expect(theirNames).toContain('notes-bucket');
    expect(theirNames).not.toContain(name);
    expect(theirList.Owner?.ID).not.toBe(myList.Owner?.ID);
  });
});

describe('DeleteBucket', () => {
  it('deletes an empty bucket (204), refuses a non-empty one (409), 404 when absent, 403 for another account', async () => {
    const s3 = s3Client(emulator);
    const name = uniqueBucketName();
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }));
    expect(await failure(s3.send(new DeleteBucketCommand({ Bucket: name })))).toMatchObject({ status: 409, name: 'BucketNotEmpty' });
    emptyBucket(name);
    expect((await s3.send(new DeleteBucketCommand({ Bucket: name }))).$metadata.httpStatusCode).toBe(204);
    expect(await failure(s3.send(new DeleteBucketCommand({ Bucket: name })))).toMatchObject({ status: 404, name: 'NoSuchBucket' });
    expect(await failure(s3.send(new DeleteBucketCommand({ Bucket: 'test-bucket' })))).toMatchObject({ status: 403, name: 'AccessDenied' });
  });
});

describe('virtual-host addressing', () => {
  it('creates, heads and writes to a bucket addressed as <bucket>.localhost', async () => {
    const s3 = s3Client(emulator, { forcePathStyle: false });
    const name = uniqueBucketName('vhost');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    expect((await s3.send(new HeadBucketCommand({ Bucket: name }))).$metadata.httpStatusCode).toBe(200);
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'dir/file.txt', Body: 'hi' }));
    const entries = emulator.store.log.list().filter((e) => e.bucket === name);
    expect(entries.map((e) => e.operation)).toEqual(['CreateBucket', 'HeadBucket', 'PutObject']);
    expect(entries[2]?.key).toBe('dir/file.txt');
    // The request really was virtual-host style: the path carries only the key.
    expect(entries[2]?.path).toBe('/dir/file.txt');
    expect((await failure(s3.send(new HeadBucketCommand({ Bucket: 'my-bucket' })))).status).toBe(403);
  });
});

/** Replaces the body the SDK would send (after its own build steps, before signing). */
function withRawBody(s3: S3Client, body: string): S3Client {
  s3.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body: unknown; headers: Record<string, string> };
      request.body = body;
      request.headers['content-length'] = String(Buffer.byteLength(body));
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'replaceBody' },
  );
  return s3;
}

function emptyBucket(name: string): void {
  s3State(emulator.store).buckets.get(name)!.objects.clear();
}
