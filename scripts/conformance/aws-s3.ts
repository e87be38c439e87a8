import { createHash } from 'node:crypto';
import * as S3 from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { observe, type Observation, type Target } from './behaviour.ts';
import type { AwsExpectation } from './aws-expectation.ts';

const B = 'aws-table-bucket';
const API = 'https://docs.aws.amazon.com/AmazonS3/latest/API';
const GUIDE = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide';

async function bucket(t: Target, ...keys: string[]): Promise<S3Client> {
  const s3 = t.s3();
  await s3.send(new S3.CreateBucketCommand({ Bucket: B }));
  for (const key of keys) await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: key, Body: `body of ${key}` }));
  return s3;
}

async function versioned(t: Target, status: 'Enabled' | 'Suspended' = 'Enabled'): Promise<S3Client> {
  const s3 = await bucket(t);
  await s3.send(new S3.PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
  if (status === 'Suspended') await s3.send(new S3.PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Suspended' } }));
  return s3;
}

/** A behaviour whose observation is one call on a prepared bucket. */
function one(
  name: string,
  source: string,
  expected: Observation,
  call: (s3: S3Client, t: Target) => Promise<Observation>,
  keys: string[] = [],
): AwsExpectation {
  return { name, source, expected, run: async (t) => call(await bucket(t, ...keys), t) };
}

const sseKey = Buffer.alloc(32, 7);
const SSE_C = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: sseKey.toString('base64'), SSECustomerKeyMD5: createHash('md5').update(sseKey).digest('base64') };

export const AWS_S3: AwsExpectation[] = [
  {
    name: 'S3 CreateBucket in us-east-1: 200',
    source: `${API}/API_CreateBucket.html`,
    expected: { status: 200 },
    run: (t) => observe(t.s3().send(new S3.CreateBucketCommand({ Bucket: B }))),
  },
  {
    name: 'S3 CreateBucket of your own bucket again in us-east-1: 200 (legacy)',
    source: `${API}/API_CreateBucket.html (BucketAlreadyOwnedByYou: "In us-east-1 ... returns 200 OK")`,
    expected: { status: 200 },
    run: async (t) => {
      await bucket(t);
      return observe(t.s3().send(new S3.CreateBucketCommand({ Bucket: B })));
    },
  },
  {
    name: 'S3 CreateBucket of your own bucket again in eu-west-1: 409 BucketAlreadyOwnedByYou',
    source: `${API}/API_CreateBucket.html`,
    expected: { status: 409, error: 'BucketAlreadyOwnedByYou' },
    run: async (t) => {
      const s3 = t.s3('eu-west-1');
      const create = () => s3.send(new S3.CreateBucketCommand({ Bucket: B, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
      await create();
      return observe(create());
    },
  },
  {
    name: 'S3 CreateBucket with upper-case letters: 400 InvalidBucketName',
    source: `${GUIDE}/bucketnamingrules.html`,
    expected: { status: 400, error: 'InvalidBucketName' },
    run: (t) => observe(t.s3().send(new S3.CreateBucketCommand({ Bucket: 'Upper-Case' }))),
  },
  {
    name: 'S3 CreateBucket naming us-east-1 as LocationConstraint: 400 InvalidLocationConstraint',
    source: `${API}/API_CreateBucket.html`,
    expected: { status: 400, error: 'InvalidLocationConstraint' },
    run: (t) => observe(t.s3().send(new S3.CreateBucketCommand({ Bucket: B, CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as S3.BucketLocationConstraint } }))),
  },
  {
    name: 'S3 CreateBucket on the eu-west-1 endpoint naming another region: 400 IllegalLocationConstraintException',
    source: `${API}/API_CreateBucket.html`,
    expected: { status: 400, error: 'IllegalLocationConstraintException' },
    run: (t) => observe(t.s3('eu-west-1').send(new S3.CreateBucketCommand({ Bucket: B, CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }))),
  },
  {
    name: 'S3 HeadBucket of a missing bucket: 404',
    source: `${API}/API_HeadBucket.html`,
    expected: { status: 404, error: 'NotFound' },
    run: (t) => observe(t.s3().send(new S3.HeadBucketCommand({ Bucket: 'aws-table-missing' }))),
  },
  {
    name: 'S3 HeadBucket: the bucket region',
    source: `${API}/API_HeadBucket.html`,
    expected: { status: 200, region: 'us-east-1' },
    run: async (t) => observe((await bucket(t)).send(new S3.HeadBucketCommand({ Bucket: B })), (o) => ({ region: o.BucketRegion })),
  },
  one('S3 GetBucketLocation in us-east-1: no constraint', `${API}/API_GetBucketLocation.html`, { status: 200, constraint: null }, (s3) =>
    observe(s3.send(new S3.GetBucketLocationCommand({ Bucket: B })), (o) => ({ constraint: o.LocationConstraint ?? null })),
  ),
  one('S3 DeleteBucket with objects: 409 BucketNotEmpty', `${API}/API_DeleteBucket.html`, { status: 409, error: 'BucketNotEmpty' }, (s3) => observe(s3.send(new S3.DeleteBucketCommand({ Bucket: B }))), ['a']),
  {
    name: 'S3 DeleteBucket of a missing bucket: 404 NoSuchBucket',
    source: `${API}/API_DeleteBucket.html`,
    expected: { status: 404, error: 'NoSuchBucket' },
    run: (t) => observe(t.s3().send(new S3.DeleteBucketCommand({ Bucket: 'aws-table-missing' }))),
  },
  one('S3 DeleteBucket of an empty bucket: 204', `${API}/API_DeleteBucket.html`, { status: 204 }, (s3) => observe(s3.send(new S3.DeleteBucketCommand({ Bucket: B })))),
  one('S3 GetObject of a missing key: 404 NoSuchKey', `${API}/API_GetObject.html`, { status: 404, error: 'NoSuchKey' }, (s3) => observe(s3.send(new S3.GetObjectCommand({ Bucket: B, Key: 'missing' })))),
  one('S3 HeadObject of a missing key: 404 without a body', `${API}/API_HeadObject.html`, { status: 404, error: 'NotFound' }, (s3) => observe(s3.send(new S3.HeadObjectCommand({ Bucket: B, Key: 'missing' })))),
  {
    name: 'S3 PutObject in a missing bucket: 404 NoSuchBucket',
    source: `${API}/API_PutObject.html`,
    expected: { status: 404, error: 'NoSuchBucket' },
    run: (t) => observe(t.s3().send(new S3.PutObjectCommand({ Bucket: 'aws-table-missing', Key: 'a', Body: 'x' }))),
  },
  one('S3 PutObject: encrypted with SSE-S3 by default', `${GUIDE}/default-encryption-faq.html`, { status: 200, sse: 'AES256' }, (s3) =>
    observe(s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x' })), (o) => ({ sse: o.ServerSideEncryption })),
  ),
  one('S3 HeadObject: SSE-S3 reported on read', `${GUIDE}/UsingServerSideEncryption.html`, { status: 200, sse: 'AES256' }, (s3) =>
    observe(s3.send(new S3.HeadObjectCommand({ Bucket: B, Key: 'k' })), (o) => ({ sse: o.ServerSideEncryption })), ['k'],
  ),
  one('S3 GetBucketEncryption of a new bucket: SSE-S3 (AES256)', `${GUIDE}/bucket-encryption.html`, { status: 200, algorithm: 'AES256', bucketKey: false }, (s3) =>
    observe(s3.send(new S3.GetBucketEncryptionCommand({ Bucket: B })), (o) => ({
      algorithm: o.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
      bucketKey: o.ServerSideEncryptionConfiguration?.Rules?.[0]?.BucketKeyEnabled,
    })),
  ),
  one('S3 bucket default SSE-KMS: new objects report aws:kms and the key ARN', `${GUIDE}/specifying-kms-encryption.html`, { status: 200, sse: 'aws:kms', keyIsArn: true }, async (s3) => {
    await s3.send(new S3.PutBucketEncryptionCommand({ Bucket: B, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }));
    return observe(s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x' })), (o) => ({ sse: o.ServerSideEncryption, keyIsArn: /^arn:aws:kms:/.test(o.SSEKMSKeyId ?? '') }));
  }),
  one('S3 DeleteBucketEncryption: back to SSE-S3', `${API}/API_DeleteBucketEncryption.html`, { status: 200, sse: 'AES256' }, async (s3) => {
    await s3.send(new S3.PutBucketEncryptionCommand({ Bucket: B, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }));
    await s3.send(new S3.DeleteBucketEncryptionCommand({ Bucket: B }));
    return observe(s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x' })), (o) => ({ sse: o.ServerSideEncryption }));
  }),
  one('S3 SSE-C: GetObject without the customer key: 400 InvalidRequest', `${GUIDE}/ServerSideEncryptionCustomerKeys.html`, { status: 400, error: 'InvalidRequest' }, async (s3) => {
    await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'c', Body: 'x', ...SSE_C }));
    return observe(s3.send(new S3.GetObjectCommand({ Bucket: B, Key: 'c' })));
  }),
  one('S3 SSE-C: GetObject with the key: 200 and the key MD5', `${GUIDE}/ServerSideEncryptionCustomerKeys.html`, { status: 200, md5: SSE_C.SSECustomerKeyMD5 }, async (s3) => {
    await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'c', Body: 'x', ...SSE_C }));
    return observe(s3.send(new S3.GetObjectCommand({ Bucket: B, Key: 'c', ...SSE_C })), (o) => ({ md5: o.SSECustomerKeyMD5 }));
  }),
  one('S3 GetBucketVersioning of a new bucket: no Status', `${API}/API_GetBucketVersioning.html`, { status: 200, versioning: null }, (s3) =>
    observe(s3.send(new S3.GetBucketVersioningCommand({ Bucket: B })), (o) => ({ versioning: o.Status ?? null })),
  ),
  one('S3 PutObject in an unversioned bucket: no version id', `${GUIDE}/Versioning.html`, { status: 200, versionId: null }, (s3) =>
    observe(s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x' })), (o) => ({ versionId: o.VersionId ?? null })),
  ),
  {
    name: 'S3 PutObject in a versioned bucket: a new version id each time',
    source: `${GUIDE}/AddingObjectstoVersioningEnabledBuckets.html`,
    expected: { distinct: true, present: true },
    run: async (t) => {
      const s3 = await versioned(t);
      const a = await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '1' }));
      const b = await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '2' }));
      return { distinct: a.VersionId !== b.VersionId, present: Boolean(a.VersionId && b.VersionId) };
    },
  },
  {
    name: 'S3 GetObject of an older version: its own bytes',
    source: `${GUIDE}/RetrievingObjectVersions.html`,
    expected: { body: '1' },
    run: async (t) => {
      const s3 = await versioned(t);
      const a = await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '1' }));
      await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '2' }));
      const got = await s3.send(new S3.GetObjectCommand({ Bucket: B, Key: 'k', VersionId: a.VersionId }));
      return { body: await got.Body!.transformToString() };
    },
  },
  {
    name: 'S3 DeleteObject in a versioned bucket: a delete marker',
    source: `${GUIDE}/DeletingObjectVersions.html`,
    expected: { status: 204, marker: true, hasVersion: true },
    run: async (t) => {
      const s3 = await versioned(t);
      await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '1' }));
      return observe(s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k' })), (o) => ({ marker: o.DeleteMarker, hasVersion: Boolean(o.VersionId) }));
    },
  },
  {
    name: 'S3 GetObject behind a delete marker: 404 NoSuchKey',
    source: `${GUIDE}/DeleteMarker.html`,
    expected: { status: 404, error: 'NoSuchKey' },
    run: async (t) => {
      const s3 = await versioned(t);
      await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '1' }));
      await s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k' }));
      return observe(s3.send(new S3.GetObjectCommand({ Bucket: B, Key: 'k' })));
    },
  },
  {
    name: 'S3 GetObject of a delete marker by version id: 405',
    source: `${API}/API_GetObject.html ("If the specified version is a delete marker, the response returns a 405")`,
    expected: { status: 405, error: 'MethodNotAllowed' },
    run: async (t) => {
      const s3 = await versioned(t);
      await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '1' }));
      const marker = await s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k' }));
      return observe(s3.send(new S3.GetObjectCommand({ Bucket: B, Key: 'k', VersionId: marker.VersionId })));
    },
  },
  {
    name: 'S3 deleting the delete marker restores the object',
    source: `${GUIDE}/ManagingDelMarkers.html`,
    expected: { body: '1' },
    run: async (t) => {
      const s3 = await versioned(t);
      await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '1' }));
      const marker = await s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k' }));
      await s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k', VersionId: marker.VersionId }));
      return { body: await (await s3.send(new S3.GetObjectCommand({ Bucket: B, Key: 'k' }))).Body!.transformToString() };
    },
  },
  {
    name: 'S3 ListObjectVersions: versions newest first, delete markers apart',
    source: `${API}/API_ListObjectVersions.html`,
    expected: { status: 200, versions: [false, false], markers: [true] },
    run: async (t) => {
      const s3 = await versioned(t);
      await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '1' }));
      await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '2' }));
      await s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k' }));
      return observe(s3.send(new S3.ListObjectVersionsCommand({ Bucket: B })), (o) => ({
        versions: o.Versions?.map((v) => v.IsLatest),
        markers: o.DeleteMarkers?.map((m) => m.IsLatest),
      }));
    },
  },
  {
    name: 'S3 PutObject while versioning is suspended: version id null',
    source: `${GUIDE}/AddingObjectstoVersionSuspendedBuckets.html`,
    expected: { status: 200, versionId: 'null' },
    run: async (t) => observe((await versioned(t, 'Suspended')).send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x' })), (o) => ({ versionId: o.VersionId })),
  },
  {
    name: 'S3 GetObject with a malformed version id: 400 InvalidArgument',
    source: `${API}/API_GetObject.html`,
    expected: { status: 400, error: 'InvalidArgument' },
    run: async (t) => observe((await bucket(t, 'k')).send(new S3.GetObjectCommand({ Bucket: B, Key: 'k', VersionId: 'not-a-version' }))),
  },
  {
    name: 'S3 DeleteBucket with only a delete marker left: 409 BucketNotEmpty',
    source: `${GUIDE}/delete-bucket.html`,
    expected: { status: 409, error: 'BucketNotEmpty' },
    run: async (t) => {
      const s3 = await versioned(t);
      await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: '1' }));
      const put = await s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k' }));
      void put;
      return observe(s3.send(new S3.DeleteBucketCommand({ Bucket: B })));
    },
  },
  one('S3 GetBucketLifecycleConfiguration without one: 404 NoSuchLifecycleConfiguration', `${API}/API_GetBucketLifecycleConfiguration.html`, { status: 404, error: 'NoSuchLifecycleConfiguration' }, (s3) =>
    observe(s3.send(new S3.GetBucketLifecycleConfigurationCommand({ Bucket: B }))),
  ),
  one('S3 lifecycle configuration: stored and given back', `${API}/API_PutBucketLifecycleConfiguration.html`, { status: 200, rules: [{ ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } }] }, async (s3) => {
    await s3.send(new S3.PutBucketLifecycleConfigurationCommand({ Bucket: B, LifecycleConfiguration: { Rules: [{ ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } }] } }));
    return observe(s3.send(new S3.GetBucketLifecycleConfigurationCommand({ Bucket: B })), (o) => ({ rules: o.Rules }));
  }),
  one('S3 DeleteBucketLifecycle: 204, and the bucket stays', `${API}/API_DeleteBucketLifecycle.html`, { delete: { status: 204 }, head: { status: 200 } }, async (s3) => ({
    delete: await observe(s3.send(new S3.DeleteBucketLifecycleCommand({ Bucket: B }))),
    head: await observe(s3.send(new S3.HeadBucketCommand({ Bucket: B }))),
  })),
  one('S3 lifecycle rule without an action: 400 InvalidArgument', `${API}/API_LifecycleRule.html`, { status: 400, error: 'InvalidArgument' }, (s3) =>
    observe(s3.send(new S3.PutBucketLifecycleConfigurationCommand({ Bucket: B, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Filter: { Prefix: '' } }] } }))),
  ),
  one('S3 GetBucketPolicy without one: 404 NoSuchBucketPolicy', `${API}/API_GetBucketPolicy.html`, { status: 404, error: 'NoSuchBucketPolicy' }, (s3) => observe(s3.send(new S3.GetBucketPolicyCommand({ Bucket: B })))),
  one('S3 GetBucketTagging without tags: 404 NoSuchTagSet', `${API}/API_GetBucketTagging.html`, { status: 404, error: 'NoSuchTagSet' }, (s3) => observe(s3.send(new S3.GetBucketTaggingCommand({ Bucket: B })))),
  one('S3 GetBucketWebsite without one: 404 NoSuchWebsiteConfiguration', `${API}/API_GetBucketWebsite.html`, { status: 404, error: 'NoSuchWebsiteConfiguration' }, (s3) =>
    observe(s3.send(new S3.GetBucketWebsiteCommand({ Bucket: B }))),
  ),
  one('S3 GetBucketCors without rules: 404 NoSuchCORSConfiguration', `${API}/API_GetBucketCors.html`, { status: 404, error: 'NoSuchCORSConfiguration' }, (s3) => observe(s3.send(new S3.GetBucketCorsCommand({ Bucket: B })))),
  one('S3 GetPublicAccessBlock of a new bucket: all four on', `${GUIDE}/access-control-block-public-access.html`, { status: 200, all: [true, true, true, true] }, (s3) =>
    observe(s3.send(new S3.GetPublicAccessBlockCommand({ Bucket: B })), (o) => {
      const c = o.PublicAccessBlockConfiguration;
      return { all: [c?.BlockPublicAcls, c?.IgnorePublicAcls, c?.BlockPublicPolicy, c?.RestrictPublicBuckets] };
    }),
  ),
  one('S3 GetBucketOwnershipControls of a new bucket: BucketOwnerEnforced', `${GUIDE}/about-object-ownership.html`, { status: 200, ownership: 'BucketOwnerEnforced' }, (s3) =>
    observe(s3.send(new S3.GetBucketOwnershipControlsCommand({ Bucket: B })), (o) => ({ ownership: o.OwnershipControls?.Rules?.[0]?.ObjectOwnership })),
  ),
  one('S3 GetBucketAcl with ACLs disabled: the owner FULL_CONTROL only', `${GUIDE}/about-object-ownership.html`, { status: 200, grants: [['CanonicalUser', true, 'FULL_CONTROL']] }, (s3) =>
    observe(s3.send(new S3.GetBucketAclCommand({ Bucket: B })), (o) => ({ grants: o.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID === o.Owner?.ID, g.Permission]) })),
  ),
  one('S3 PutObject with ACL public-read when ACLs are disabled: 400 AccessControlListNotSupported', `${GUIDE}/about-object-ownership.html`, { status: 400, error: 'AccessControlListNotSupported' }, (s3) =>
    observe(s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', ACL: 'public-read' }))),
  ),
  one('S3 PutObject with bucket-owner-full-control when ACLs are disabled: 200', `${GUIDE}/about-object-ownership.html`, { status: 200 }, (s3) =>
    observe(s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', ACL: 'bucket-owner-full-control' }))),
  ),
  one('S3 object tags from x-amz-tagging, and TagCount on GetObject', `${API}/API_PutObject.html`, { tags: [{ Key: 'a', Value: '1' }], count: 1 }, async (s3) => {
    await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', Tagging: 'a=1' }));
    return {
      tags: (await s3.send(new S3.GetObjectTaggingCommand({ Bucket: B, Key: 'k' }))).TagSet,
      count: (await s3.send(new S3.GetObjectCommand({ Bucket: B, Key: 'k' }))).TagCount,
    };
  }),
  one('S3 GetObjectAttributes: ETag without quotes, size', `${API}/API_GetObjectAttributes.html`, { status: 200, etagQuoted: false, size: 9 }, (s3) =>
    observe(s3.send(new S3.GetObjectAttributesCommand({ Bucket: B, Key: 'k', ObjectAttributes: ['ETag', 'ObjectSize'] })), (o) => ({ etagQuoted: (o.ETag ?? '"').includes('"'), size: o.ObjectSize })), ['k'],
  ),
  one('S3 ListObjectsV2 paging: MaxKeys 2 of 3', `${API}/API_ListObjectsV2.html`, { status: 200, keyCount: 2, truncated: true, token: true }, (s3) =>
    observe(s3.send(new S3.ListObjectsV2Command({ Bucket: B, MaxKeys: 2 })), (o) => ({ keyCount: o.KeyCount, truncated: o.IsTruncated, token: Boolean(o.NextContinuationToken) })), ['a', 'b', 'c'],
  ),
  {
    name: 'S3 ListObjectsV2 of a missing bucket: 404 NoSuchBucket',
    source: `${API}/API_ListObjectsV2.html`,
    expected: { status: 404, error: 'NoSuchBucket' },
    run: (t) => observe(t.s3().send(new S3.ListObjectsV2Command({ Bucket: 'aws-table-missing' }))),
  },
  one('S3 DeleteObjects: a key of one space is deleted as named', `${API}/API_DeleteObjects.html`, { status: 200, deleted: [' '], left: ['a'] }, async (s3) => {
    await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: ' ', Body: 'x' }));
    const out = await observe(s3.send(new S3.DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: ' ' }] } })), (o) => ({ deleted: o.Deleted?.map((d) => d.Key) }));
    return { ...out, left: (await s3.send(new S3.ListObjectsV2Command({ Bucket: B }))).Contents?.map((c) => c.Key) };
  }, ['a']),
  one('S3 DeleteObject of a missing key: 204', `${API}/API_DeleteObject.html`, { status: 204 }, (s3) => observe(s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'never' })))),
  one('S3 CopyObject onto itself without changes: 400 InvalidRequest', `${API}/API_CopyObject.html`, { status: 400, error: 'InvalidRequest' }, (s3) =>
    observe(s3.send(new S3.CopyObjectCommand({ Bucket: B, Key: 'k', CopySource: `${B}/k` }))), ['k'],
  ),
  one('S3 CopyObject from a missing key: 404 NoSuchKey', `${API}/API_CopyObject.html`, { status: 404, error: 'NoSuchKey' }, (s3) =>
    observe(s3.send(new S3.CopyObjectCommand({ Bucket: B, Key: 'k', CopySource: `${B}/missing` }))),
  ),
  one('S3 GetObject with a Range: 206 and Content-Range', `${API}/API_GetObject.html`, { status: 206, range: 'bytes 0-3/9' }, (s3) =>
    observe(s3.send(new S3.GetObjectCommand({ Bucket: B, Key: 'k', Range: 'bytes=0-3' })), (o) => ({ range: o.ContentRange })), ['k'],
  ),
  one('S3 GetObject with If-None-Match of its ETag: 304', `${API}/API_GetObject.html`, { status: 304 }, async (s3) => {
    const { ETag } = await s3.send(new S3.HeadObjectCommand({ Bucket: B, Key: 'k' }));
    // A 304 has no body, so the SDK can name it only by its status.
    const { status } = await observe(s3.send(new S3.GetObjectCommand({ Bucket: B, Key: 'k', IfNoneMatch: ETag })));
    return { status };
  }, ['k']),
  one('S3 PutObject with If-None-Match * over an existing key: 412 PreconditionFailed', `${GUIDE}/conditional-writes.html`, { status: 412, error: 'PreconditionFailed' }, (s3) =>
    observe(s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', IfNoneMatch: '*' }))), ['k'],
  ),
  one('S3 UploadPart to an unknown upload: 404 NoSuchUpload', `${API}/API_UploadPart.html`, { status: 404, error: 'NoSuchUpload' }, (s3) =>
    observe(s3.send(new S3.UploadPartCommand({ Bucket: B, Key: 'k', UploadId: 'nope', PartNumber: 1, Body: 'x' }))),
  ),
  one('S3 CompleteMultipartUpload with a small first part: 400 EntityTooSmall', `${API}/API_CompleteMultipartUpload.html`, { status: 400, error: 'EntityTooSmall' }, async (s3) => {
    const { UploadId } = await s3.send(new S3.CreateMultipartUploadCommand({ Bucket: B, Key: 'm' }));
    const p1 = await s3.send(new S3.UploadPartCommand({ Bucket: B, Key: 'm', UploadId, PartNumber: 1, Body: 'small' }));
    const p2 = await s3.send(new S3.UploadPartCommand({ Bucket: B, Key: 'm', UploadId, PartNumber: 2, Body: 'last' }));
    return observe(
      s3.send(new S3.CompleteMultipartUploadCommand({ Bucket: B, Key: 'm', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } })),
    );
  }),
  {
    name: 'S3 PutBucketVersioning on a missing bucket: 404 NoSuchBucket',
    source: `${API}/API_PutBucketVersioning.html`,
    expected: { status: 404, error: 'NoSuchBucket' },
    run: (t) => observe(t.s3().send(new S3.PutBucketVersioningCommand({ Bucket: 'aws-table-missing', VersioningConfiguration: { Status: 'Enabled' } }))),
  },
  one('S3 user metadata: given back lower-cased', `${GUIDE}/UsingMetadata.html`, { status: 200, metadata: { author: 'Kim' } }, async (s3) => {
    await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'm', Body: 'x', Metadata: { Author: 'Kim' } }));
    return observe(s3.send(new S3.HeadObjectCommand({ Bucket: B, Key: 'm' })), (o) => ({ metadata: o.Metadata }));
  }),
  one('S3 ListBuckets: the bucket, with its region', `${API}/API_ListBuckets.html`, { status: 200, buckets: [[B, 'us-east-1']] }, (s3) =>
    observe(s3.send(new S3.ListBucketsCommand({})), (o) => ({ buckets: o.Buckets?.filter((b) => b.Name === B).map((b) => [b.Name, b.BucketRegion]) })),
  ),
];
