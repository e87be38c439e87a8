import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { observe, type Behaviour, type Observation } from './behaviour.ts';

const BUCKET = 'conformance-bucket';

function create(s3: S3Client, bucket = BUCKET, region?: string) {
  return s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: region ? { LocationConstraint: region as BucketLocationConstraint } : undefined,
    }),
  );
}

async function putNotes(s3: S3Client, keys: string[]): Promise<void> {
  await create(s3);
  for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `body of ${key}` }));
}

/** The object fields the labs read from GetObject/HeadObject. */
function objectFields(output: { ContentType?: string; ContentLength?: number; ETag?: string; Metadata?: Record<string, string>; LastModified?: Date }): Observation {
  return {
    contentType: output.ContentType,
    contentLength: output.ContentLength,
    etag: output.ETag,
    metadata: output.Metadata,
    lastModifiedIsDate: output.LastModified instanceof Date,
  };
}

export const S3_BEHAVIOURS: Behaviour[] = [
  {
    name: 'S3 CreateBucket in us-east-1',
    run: async (t) => ({ create: await observe(create(t.s3()), (o) => ({ location: o.Location })) }),
  },
  {
    name: 'S3 CreateBucket twice: BucketAlreadyOwnedByYou',
    run: async (t) => {
      await create(t.s3());
      return { again: await observe(create(t.s3())) };
    },
  },
  {
    name: 'S3 CreateBucket with an invalid name: InvalidBucketName',
    run: async (t) => ({
      upperCase: await observe(create(t.s3(), 'Upper-Case-Name')),
      ipAddress: await observe(create(t.s3(), '192.168.5.4')),
      tooShort: await observe(create(t.s3(), 'ab')),
    }),
  },
  {
    name: 'S3 CreateBucket in another region, constraint given',
    run: async (t) => ({
      create: await observe(create(t.s3('eu-west-1'), BUCKET, 'eu-west-1')),
      location: await observe(t.s3('eu-west-1').send(new GetBucketLocationCommand({ Bucket: BUCKET })), (o) => ({ constraint: o.LocationConstraint })),
    }),
  },
  {
    name: 'S3 CreateBucket constraint not matching the endpoint region: IllegalLocationConstraintException',
    run: async (t) => ({ create: await observe(create(t.s3('us-east-1'), BUCKET, 'eu-west-1')) }),
  },
  {
    name: 'S3 CreateBucket with an unknown region as constraint: InvalidLocationConstraint',
    run: async (t) => ({ create: await observe(create(t.s3('eu-west-1'), BUCKET, 'mars-north-1')) }),
  },
  {
    name: 'S3 CreateBucket with us-east-1 as explicit constraint: InvalidLocationConstraint',
    run: async (t) => ({ create: await observe(create(t.s3('us-east-1'), BUCKET, 'us-east-1')) }),
  },
  {
    name: 'S3 HeadBucket on an existing bucket: 200 and its region',
    run: async (t) => {
      await create(t.s3());
      await create(t.s3('eu-west-1'), 'conformance-europe', 'eu-west-1');
      return {
        home: await observe(t.s3().send(new HeadBucketCommand({ Bucket: BUCKET })), (o) => ({ region: o.BucketRegion })),
        europe: await observe(t.s3('eu-west-1').send(new HeadBucketCommand({ Bucket: 'conformance-europe' })), (o) => ({ region: o.BucketRegion })),
      };
    },
  },
  {
    name: 'S3 HeadBucket on a missing bucket: 404 NotFound',
    run: async (t) => ({ head: await observe(t.s3().send(new HeadBucketCommand({ Bucket: 'conformance-missing' }))) }),
  },
  {
    name: 'S3 GetBucketLocation in us-east-1: empty constraint',
    run: async (t) => {
      await create(t.s3());
      return { location: await observe(t.s3().send(new GetBucketLocationCommand({ Bucket: BUCKET })), (o) => ({ constraint: o.LocationConstraint ?? null })) };
    },
  },
  {
    name: 'S3 GetBucketLocation on a missing bucket: NoSuchBucket',
    run: async (t) => ({ location: await observe(t.s3().send(new GetBucketLocationCommand({ Bucket: 'conformance-missing' }))) }),
  },
  {
    name: 'S3 ListBuckets: names in order, an owner, creation dates',
    run: async (t) => {
      for (const name of ['conformance-b', 'conformance-a', 'conformance-c']) await create(t.s3(), name);
      return {
        list: await observe(t.s3().send(new ListBucketsCommand({})), (o) => ({
          names: o.Buckets?.map((b) => b.Name),
          creationDatesAreDates: o.Buckets?.every((b) => b.CreationDate instanceof Date),
          hasOwnerId: typeof o.Owner?.ID === 'string' && o.Owner.ID.length > 0,
        })),
      };
    },
  },
  {
    name: 'S3 DeleteBucket: 204, then NoSuchBucket',
    run: async (t) => {
      await create(t.s3());
      return {
        first: await observe(t.s3().send(new DeleteBucketCommand({ Bucket: BUCKET }))),
        second: await observe(t.s3().send(new DeleteBucketCommand({ Bucket: BUCKET }))),
      };
    },
  },
  {
    name: 'S3 DeleteBucket with objects in it: BucketNotEmpty',
    run: async (t) => {
      await putNotes(t.s3(), ['note.txt']);
      return { delete: await observe(t.s3().send(new DeleteBucketCommand({ Bucket: BUCKET }))) };
    },
  },
  {
    name: 'S3 PutObject then GetObject: content type, metadata, ETag, body',
    run: async (t) => {
      await create(t.s3());
      const put = await observe(
        t.s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'notes/a.csv', Body: 'id,text\n1,hello\n', ContentType: 'text/csv', Metadata: { author: 'Kim', 'lab-step': '3' } })),
        (o) => ({ etag: o.ETag }),
      );
      const got = await t.s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'notes/a.csv' }));
      return { put, get: { status: got.$metadata.httpStatusCode, ...objectFields(got), body: await got.Body?.transformToString() } };
    },
  },
  {
    name: 'S3 PutObject without a content type: binary/octet-stream',
    run: async (t) => {
      await create(t.s3());
      await t.s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'raw', Body: new Uint8Array([0, 1, 2, 255]) }));
      return { head: await observe(t.s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'raw' })), objectFields) };
    },
  },
  {
    name: 'S3 HeadObject: the fields of GetObject without a body',
    run: async (t) => {
      await create(t.s3());
      await t.s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'page.html', Body: '<h1>hi</h1>', ContentType: 'text/html', Metadata: { reviewed: 'yes' } }));
      return { head: await observe(t.s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'page.html' })), objectFields) };
    },
  },
  {
    name: 'S3 GetObject and HeadObject on a missing key: NoSuchKey / 404 NotFound',
    run: async (t) => {
      await create(t.s3());
      return {
        get: await observe(t.s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing.txt' }))),
        head: await observe(t.s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing.txt' }))),
      };
    },
  },
  {
    name: 'S3 GetObject in a missing bucket: NoSuchBucket',
    run: async (t) => ({ get: await observe(t.s3().send(new GetObjectCommand({ Bucket: 'conformance-missing', Key: 'a' }))) }),
  },
  {
    name: 'S3 PutObject in a missing bucket: NoSuchBucket',
    run: async (t) => ({ put: await observe(t.s3().send(new PutObjectCommand({ Bucket: 'conformance-missing', Key: 'a', Body: 'x' }))) }),
  },
  {
    name: 'S3 ListObjectsV2: keys in order, sizes, ETags, KeyCount',
    run: async (t) => {
      await putNotes(t.s3(), ['b.txt', 'a.txt', 'c/d.txt']);
      return {
        list: await observe(t.s3().send(new ListObjectsV2Command({ Bucket: BUCKET })), (o) => ({
          keyCount: o.KeyCount,
          truncated: o.IsTruncated,
          contents: o.Contents?.map((c) => ({ key: c.Key, size: c.Size, etag: c.ETag, storageClass: c.StorageClass })),
        })),
      };
    },
  },
  {
    name: 'S3 ListObjectsV2 with prefix and delimiter: CommonPrefixes',
    run: async (t) => {
      await putNotes(t.s3(), ['2024/jan.csv', '2024/feb.csv', '2025/jan.csv', 'readme.txt']);
      return {
        top: await observe(t.s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/' })), (o) => ({
          keys: o.Contents?.map((c) => c.Key),
          prefixes: o.CommonPrefixes?.map((p) => p.Prefix),
          keyCount: o.KeyCount,
        })),
        year: await observe(t.s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: '2024/' })), (o) => ({ keys: o.Contents?.map((c) => c.Key) })),
      };
    },
  },
  {
    name: 'S3 ListObjectsV2 paging: MaxKeys, IsTruncated, ContinuationToken',
    run: async (t) => {
      await putNotes(t.s3(), ['k1', 'k2', 'k3', 'k4', 'k5']);
      const pages: Observation[] = [];
      let token: string | undefined;
      do {
        const page = await t.s3().send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 2, ContinuationToken: token }));
        pages.push({ keys: page.Contents?.map((c) => c.Key), truncated: page.IsTruncated, keyCount: page.KeyCount, hasNextToken: Boolean(page.NextContinuationToken) });
        token = page.NextContinuationToken;
      } while (token && pages.length < 10);
      return { pages };
    },
  },
  {
    name: 'S3 ListObjectsV2 on an empty bucket: no Contents, KeyCount 0',
    run: async (t) => {
      await create(t.s3());
      return { list: await observe(t.s3().send(new ListObjectsV2Command({ Bucket: BUCKET })), (o) => ({ contents: o.Contents ?? null, keyCount: o.KeyCount })) };
    },
  },
  {
    name: 'S3 DeleteObject: 204, also for a missing key',
    run: async (t) => {
      await putNotes(t.s3(), ['gone.txt']);
      return {
        existing: await observe(t.s3().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.txt' }))),
        missing: await observe(t.s3().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'never-was.txt' }))),
        after: await observe(t.s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'gone.txt' }))),
      };
    },
  },
  {
    name: 'S3 Object Lock: a COMPLIANCE version refuses deletion, a plain delete adds a marker',
    run: async (t) => {
      const s3 = t.s3();
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
      const until = new Date(Date.now() + 3_600_000);
      const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until }));
      return {
        versioning: await observe(s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET })), (o) => ({ status: o.Status })),
        head: await observe(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'k' })), (o) => ({ mode: o.ObjectLockMode })),
        deleteVersion: await observe(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'k', VersionId }))),
        deleteKey: await observe(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'k' })), (o) => ({ marker: o.DeleteMarker })),
      };
    },
  },
];
