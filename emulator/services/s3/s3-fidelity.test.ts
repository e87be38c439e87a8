import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketVersioningCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectTaggingCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  UploadPartCopyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { policy, userWithKey } from '../iam/iam-test-support.ts';
import type { RunningEmulator } from '../../server.ts';
import { failure, s3Client, startEmulator } from './s3-test-support.ts';

/** Issue 15: what real clients (the AWS SDK examples, an S3 compatibility suite) found, through the SDK. */
let emulator: RunningEmulator;
let s3: S3Client;
const BUCKET = 'fidelity-bucket';

beforeAll(async () => {
  emulator = await startEmulator();
  s3 = s3Client(emulator);
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.store.reset();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

async function text(key: string, versionId?: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: versionId }));
  return out.Body!.transformToString();
}

describe('operations are never served as another operation', () => {
  it('DeleteBucketLifecycle removes the lifecycle configuration, not the bucket', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept.txt', Body: 'kept' }));
    const out = await s3.send(new DeleteBucketLifecycleCommand({ Bucket: BUCKET }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).$metadata.httpStatusCode).toBe(200);
    expect(await text('kept.txt')).toBe('kept');
  });

  it('PutObjectLegalHold is served as itself and leaves the object bytes alone (object-lock.test.ts has the rest)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'held.txt', Body: 'original' }));
    const refused = await failure(s3.send(new PutObjectLegalHoldCommand({ Bucket: BUCKET, Key: 'held.txt', LegalHold: { Status: 'ON' } })));
    // The bucket has no Object Lock.
    expect([refused.status, refused.name, refused.message]).toEqual([400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration']);
    expect(emulator.store.log.list().at(-1)?.operation).toBe('PutObjectLegalHold');
    expect(await text('held.txt')).toBe('original');
  });
});

describe('Signature Version 2', () => {
  it('a SigV2 presigned URL (boto3 without signature_version) is refused as AWS refuses SigV2 on new buckets, not served anonymously', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'v2.txt', Body: 'x' }));
    const expires = Math.floor(Date.now() / 1000) + 300;
    const signature = createHmac('sha1', 'test').update(`GET\n\n\n${expires}\n/${BUCKET}/v2.txt`).digest('base64');
    const url = `${emulator.endpoint}/${BUCKET}/v2.txt?AWSAccessKeyId=test&Signature=${encodeURIComponent(signature)}&Expires=${expires}`;
    const response = await fetch(url);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidRequest</Code>');
  });
});

describe('DeleteObjects', () => {
  it('deletes keys exactly as named, spaces included', async () => {
    for (const key of [' ', 'a ', 'a']) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `body of [${key}]` }));
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: ' ' }, { Key: 'a ' }] } }));
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual([' ', 'a ']);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(left.Contents?.map((c) => c.Key)).toEqual(['a']);
  });
});

const as = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  new S3Client({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });

describe('IAM: actions without a resource type', () => {
  it('allows s3:ListAllMyBuckets on "arn:aws:s3:::*" (the form AWS examples use), not on one bucket ARN', async () => {
    const wide = await userWithKey(emulator, 'wide', policy({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::*' }));
    const narrow = await userWithKey(emulator, 'narrow', policy({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: `arn:aws:s3:::${BUCKET}` }));
    const listed = await as(wide).send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toContain(BUCKET);
    const denied = await failure(as(narrow).send(new ListBucketsCommand({})));
    expect([denied.status, denied.name]).toEqual([403, 'AccessDenied']);
  });
});

describe('IAM: acting on a named version is its own permission', () => {
  it('s3:DeleteObject does not grant deleting a version (s3:DeleteObjectVersion), alone or in DeleteObjects', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'v.txt', Body: 'x' }));
    const user = as(await userWithKey(emulator, 'deleter', policy({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${BUCKET}/*` })));
    const single = await failure(user.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'v.txt', VersionId })));
    expect([single.status, single.message]).toEqual([403, expect.stringContaining('s3:DeleteObjectVersion')]);
    // DeleteObjects authorizes each entry and reports a denied one in its result (object-lock.test.ts has more).
    const batch = await user.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'v.txt', VersionId }] } }));
    expect(batch.Errors).toEqual([{ Key: 'v.txt', VersionId, Code: 'AccessDenied', Message: 'Access Denied' }]);
    expect(await text('v.txt', VersionId)).toBe('x');
    expect((await user.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'v.txt' }))).DeleteMarker).toBe(true);
  });
});

describe('versioning', () => {
  it('keeps every version, hides a deleted key behind a delete marker, and brings it back when the marker goes', async () => {
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status).toBeUndefined();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'before.txt', Body: 'unversioned' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status).toBe('Enabled');

    const v1 = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'note.txt', Body: 'first' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'note.txt', Body: 'second' }));
    expect(v1.VersionId).toMatch(/^[\w-]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await text('note.txt')).toBe('second');
    expect(await text('note.txt', v1.VersionId)).toBe('first');
    // What was there before versioning is the version "null".
    expect(await text('before.txt', 'null')).toBe('unversioned');

    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'note.txt' }));
    expect(deleted.DeleteMarker).toBe(true);
    const gone = await failure(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'note.txt' })));
    expect([gone.status, gone.name]).toEqual([404, 'NoSuchKey']);
    const marker = await failure(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'note.txt', VersionId: deleted.VersionId })));
    expect(marker.status).toBe(405);

    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: 'note' }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [v2.VersionId, false],
      [v1.VersionId, false],
    ]);
    expect(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[deleted.VersionId, true]]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents?.map((c) => c.Key)).toEqual(['before.txt']);

    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'note.txt', VersionId: deleted.VersionId }));
    expect(await text('note.txt')).toBe('second');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'note.txt', VersionId: v2.VersionId }));
    expect(await text('note.txt')).toBe('first');
  });

  it('answers NoSuchVersion for a version that is not there, InvalidArgument for one that cannot be', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a', Body: 'a' }));
    const missing = await failure(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a', VersionId: 'A'.repeat(32) })));
    expect([missing.status, missing.name]).toEqual([404, 'NoSuchVersion']);
    const malformed = await failure(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a', VersionId: 'not a version' })));
    expect([malformed.status, malformed.name]).toEqual([400, 'InvalidArgument']);
  });

  it('writes the version "null" while suspended, replacing the previous null version', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    const kept = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'enabled' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Suspended' } }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'suspended 1' }));
    const last = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'suspended 2' }));
    expect(last.VersionId).toBe('null');
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual(['null', kept.VersionId]);
    expect(await text('k')).toBe('suspended 2');
  });

  it('refuses to delete a bucket that still holds versions or delete markers', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'k' }));
    const refused = await failure(s3.send(new DeleteBucketCommand({ Bucket: BUCKET })));
    expect([refused.status, refused.name]).toEqual([409, 'BucketNotEmpty']);
  });
});

describe('server-side encryption', () => {
  it('reports SSE-S3 on every object by default, and the bucket default encryption as AES256', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x' }));
    expect(put.ServerSideEncryption).toBe('AES256');
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'k' }))).ServerSideEncryption).toBe('AES256');
    const config = await s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }));
    expect(config.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
  });

  it('applies a bucket default of SSE-KMS to new objects, with the key ARN, until the default is deleted', async () => {
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: BUCKET,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: '1234abcd-12ab-34cd-56ef-1234567890ab' } }] },
      }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x' }));
    expect(put.ServerSideEncryption).toBe('aws:kms');
    expect(put.SSEKMSKeyId).toBe('arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: BUCKET }));
    expect((await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k2', Body: 'x' }))).ServerSideEncryption).toBe('AES256');
  });

  it('SSE-C: a read without the customer key, or with another key, fails; with the key it succeeds', async () => {
    const key = randomBytes(32);
    const md5 = (k: Buffer) => createHash('md5').update(k).digest('base64');
    const sse = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64'), SSECustomerKeyMD5: md5(key) };
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'secret', Body: 'customer encrypted', ...sse }));
    expect(put.SSECustomerKeyMD5).toBe(md5(key));
    const without = await failure(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'secret' })));
    expect([without.status, without.name]).toEqual([400, 'InvalidRequest']);
    const other = randomBytes(32);
    const wrong = await failure(
      s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'secret', SSECustomerAlgorithm: 'AES256', SSECustomerKey: other.toString('base64'), SSECustomerKeyMD5: md5(other) })),
    );
    expect(wrong.status).toBe(400);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'secret', ...sse }));
    expect(await got.Body!.transformToString()).toBe('customer encrypted');
  });
});

describe('lifecycle configuration', () => {
  it('is NoSuchLifecycleConfiguration until set, then given back, and gone after delete', async () => {
    const none = await failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET })));
    expect([none.status, none.name]).toEqual([404, 'NoSuchLifecycleConfiguration']);
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: BUCKET,
        LifecycleConfiguration: { Rules: [{ ID: 'expire-logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } }] },
      }),
    );
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }))).Rules;
    expect(rules).toEqual([{ ID: 'expire-logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } }]);
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: BUCKET }));
    expect((await failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET })))).status).toBe(404);
  });

  it('refuses a rule without an action, and an expiration of zero days', async () => {
    const noAction = await failure(
      s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: BUCKET, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Filter: { Prefix: '' } }] } })),
    );
    expect([noAction.status, noAction.name]).toEqual([400, 'InvalidArgument']);
    const zero = await failure(
      s3.send(
        new PutBucketLifecycleConfigurationCommand({ Bucket: BUCKET, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 0 } }] } }),
      ),
    );
    expect([zero.status, zero.name]).toEqual([400, 'InvalidArgument']);
  });
});

describe('UploadPartCopy', () => {
  it('builds a multipart object from byte ranges of an existing one', async () => {
    const source = Buffer.alloc(6 * 1024 * 1024, 'a');
    source.write('tail', source.length - 4);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'source.bin', Body: source }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'copy.bin' }));
    const split = 5 * 1024 * 1024;
    const parts = [];
    for (const [PartNumber, range] of [[1, `bytes=0-${split - 1}`], [2, `bytes=${split}-${source.length - 1}`]] as const) {
      const out = await s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'copy.bin', UploadId, PartNumber, CopySource: `${BUCKET}/source.bin`, CopySourceRange: range }));
      parts.push({ PartNumber, ETag: out.CopyPartResult?.ETag });
    }
    const beyond = await failure(
      s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'copy.bin', UploadId, PartNumber: 3, CopySource: `${BUCKET}/source.bin`, CopySourceRange: 'bytes=0-99999999' })),
    );
    expect([beyond.status, beyond.name]).toEqual([400, 'InvalidArgument']);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'copy.bin', UploadId, MultipartUpload: { Parts: parts } }));
    const copy = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy.bin' }))).Body!.transformToByteArray());
    expect(copy.equals(source)).toBe(true);
  });
});

describe('object tagging, attributes and ACLs', () => {
  it('stores tags from x-amz-tagging and PutObjectTagging, and counts them on GetObject', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x', Tagging: 'team=blue&stage=dev' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'k' }))).TagSet).toEqual([
      { Key: 'team', Value: 'blue' },
      { Key: 'stage', Value: 'dev' },
    ]);
    await s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'k', Tagging: { TagSet: [{ Key: 'only', Value: 'one' }] } }));
    expect((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'k' }))).TagCount).toBe(1);
  });

  it('GetObjectAttributes answers the attributes asked for, with the ETag unquoted', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'hello' }));
    const out = await s3.send(new GetObjectAttributesCommand({ Bucket: BUCKET, Key: 'k', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass'] }));
    expect([out.ETag, out.ObjectSize, out.StorageClass]).toEqual([put.ETag!.replace(/"/g, ''), 5, 'STANDARD']);
  });

  it('ACLs are disabled on new buckets: the owner holds FULL_CONTROL, and a public-read object ACL is refused', async () => {
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: BUCKET }));
    expect(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID === acl.Owner?.ID, g.Permission])).toEqual([['CanonicalUser', true, 'FULL_CONTROL']]);
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: BUCKET }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe('BucketOwnerEnforced');
    const refused = await failure(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'public.txt', Body: 'x', ACL: 'public-read' })));
    expect([refused.status, refused.name]).toEqual([400, 'AccessControlListNotSupported']);
  });
});
