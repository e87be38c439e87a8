import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@smithy/types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { policy, userWithKey } from '../iam/iam-test-support.ts';
import type { RunningEmulator } from '../../server.ts';
import { failure, s3Client, startEmulator } from './s3-test-support.ts';

/** S3 Object Lock through the SDK: configuration, retention and legal holds, and what they refuse. */
let emulator: RunningEmulator;
let s3: S3Client;
const LOCKED = 'locked-bucket';
const PLAIN = 'plain-bucket';

beforeAll(async () => {
  emulator = await startEmulator();
  s3 = s3Client(emulator);
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.store.reset();
  await s3.send(new CreateBucketCommand({ Bucket: LOCKED, ObjectLockEnabledForBucket: true }));
  await s3.send(new CreateBucketCommand({ Bucket: PLAIN }));
});

/** A time `seconds` from now on the emulator's clock, the one retention dates are compared with. */
const fromNow = (seconds: number) => new Date(emulator.store.clock.nowMs() + seconds * 1000);

const as = (credentials: AwsCredentialIdentity) =>
  new S3Client({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });

/** A client that sends no Content-MD5 and no checksum (what an old client or a hand-made request does). */
function withoutIntegrityHeaders(): S3Client {
  const client = s3Client(emulator);
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      for (const name of Object.keys(headers)) if (/^(content-md5|x-amz-checksum-|x-amz-sdk-checksum|x-amz-trailer)/i.test(name)) delete headers[name];
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'dropIntegrityHeaders' },
  );
  return client;
}

async function put(key: string, lock: Partial<PutObjectCommand['input']> = {}, bucket = LOCKED): Promise<string> {
  const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}`, ...lock }));
  return out.VersionId!;
}

describe('bucket configuration', () => {
  it('CreateBucket with Object Lock turns versioning on for good and answers an enabled configuration without a rule', async () => {
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: LOCKED }))).Status).toBe('Enabled');
    const config = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: LOCKED }));
    expect(config.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
    const suspend = await failure(s3.send(new PutBucketVersioningCommand({ Bucket: LOCKED, VersioningConfiguration: { Status: 'Suspended' } })));
    expect([suspend.status, suspend.name]).toEqual([409, 'InvalidBucketState']);
  });

  it('a bucket without Object Lock has no configuration, and gets one only once its versioning is Enabled', async () => {
    const none = await failure(s3.send(new GetObjectLockConfigurationCommand({ Bucket: PLAIN })));
    expect([none.status, none.name]).toEqual([404, 'ObjectLockConfigurationNotFoundError']);
    const configuration = { ObjectLockEnabled: 'Enabled' as const, Rule: { DefaultRetention: { Mode: 'GOVERNANCE' as const, Days: 1 } } };
    const unversioned = await failure(s3.send(new PutObjectLockConfigurationCommand({ Bucket: PLAIN, ObjectLockConfiguration: configuration })));
    expect([unversioned.status, unversioned.name, unversioned.message]).toEqual([409, 'InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration"]);
    await s3.send(new PutBucketVersioningCommand({ Bucket: PLAIN, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: PLAIN, ObjectLockConfiguration: configuration }));
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: PLAIN }))).ObjectLockConfiguration).toEqual(configuration);
  });

  it('a default retention needs a mode and exactly one positive period, within S3 limits', async () => {
    const set = (DefaultRetention: object) =>
      failure(s3.send(new PutObjectLockConfigurationCommand({ Bucket: LOCKED, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention } } })));
    expect((await set({ Mode: 'GOVERNANCE', Days: 1, Years: 1 })).name).toBe('MalformedXML');
    expect((await set({ Days: 1 })).name).toBe('MalformedXML');
    expect((await set({ Mode: 'GOVERNANCE' })).name).toBe('MalformedXML');
    const zero = await set({ Mode: 'COMPLIANCE', Days: 0 });
    expect([zero.status, zero.name, zero.message]).toEqual([400, 'InvalidArgument', 'Default retention period must be a positive integer value.']);
    expect((await set({ Mode: 'COMPLIANCE', Years: 101 })).message).toBe('Default retention period too large.');
  });

  it('new versions take the default retention from their creation time; an explicit mode and date override it; removing the rule stops it', async () => {
    await s3.send(
      new PutObjectLockConfigurationCommand({ Bucket: LOCKED, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2 } } } }),
    );
    await put('default.txt');
    const head = await s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'default.txt' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    // Last-Modified is an HTTP date, to the second.
    const lasts = head.ObjectLockRetainUntilDate!.getTime() - head.LastModified!.getTime();
    expect(lasts).toBeGreaterThanOrEqual(2 * 86_400_000);
    expect(lasts).toBeLessThan(2 * 86_400_000 + 1000);

    const until = fromNow(3600);
    await put('explicit.txt', { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until });
    const explicit = await s3.send(new GetObjectRetentionCommand({ Bucket: LOCKED, Key: 'explicit.txt' }));
    expect(explicit.Retention).toEqual({ Mode: 'COMPLIANCE', RetainUntilDate: until });

    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: LOCKED, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
    await put('after.txt');
    expect((await s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'after.txt' }))).ObjectLockMode).toBeUndefined();
    // The earlier version keeps the retention it was given.
    expect((await s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'default.txt' }))).ObjectLockMode).toBe('GOVERNANCE');
  });
});

describe('lock headers on writes', () => {
  it('PutObject, CopyObject and multipart uploads store the mode, date and legal hold; GetObject reports them', async () => {
    const until = fromNow(600);
    await put('put.txt', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: 'ON' });
    const got = await s3.send(new GetObjectCommand({ Bucket: LOCKED, Key: 'put.txt' }));
    expect([got.ObjectLockMode, got.ObjectLockLegalHoldStatus]).toEqual(['GOVERNANCE', 'ON']);
    expect(got.ObjectLockRetainUntilDate).toEqual(until);
    await got.Body!.transformToString();

    await s3.send(new CopyObjectCommand({ Bucket: LOCKED, Key: 'copy.txt', CopySource: `${LOCKED}/put.txt`, ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until }));
    const copy = await s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'copy.txt' }));
    // The copy is locked as its own request says; the source's legal hold does not come along.
    expect([copy.ObjectLockMode, copy.ObjectLockLegalHoldStatus]).toEqual(['COMPLIANCE', undefined]);

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: LOCKED, Key: 'multi.txt', ObjectLockLegalHoldStatus: 'ON' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: LOCKED, Key: 'multi.txt', UploadId, PartNumber: 1, Body: 'one part' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: LOCKED, Key: 'multi.txt', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket: LOCKED, Key: 'multi.txt' }))).LegalHold).toEqual({ Status: 'ON' });
  });

  it('refuses lock headers on a bucket without Object Lock, a date in the past, a mode without a date, an unknown mode', async () => {
    const plain = await failure(put('x.txt', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: fromNow(60) }, PLAIN));
    expect([plain.status, plain.name, plain.message]).toEqual([400, 'InvalidRequest', 'Bucket is missing ObjectLockConfiguration']);
    const past = await failure(put('x.txt', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: fromNow(-60) }));
    expect([past.status, past.name, past.message]).toEqual([400, 'InvalidArgument', 'The retain until date must be in the future!']);
    const half = await failure(put('x.txt', { ObjectLockMode: 'GOVERNANCE' }));
    expect([half.name, half.message]).toEqual(['InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied']);
    const unknown = await failure(put('x.txt', { ObjectLockMode: 'FOREVER' as 'GOVERNANCE', ObjectLockRetainUntilDate: fromNow(60) }));
    expect([unknown.name, unknown.message]).toEqual(['InvalidArgument', 'Unknown wormMode directive.']);
    const hold = await failure(put('x.txt', { ObjectLockLegalHoldStatus: 'MAYBE' as 'ON' }));
    expect(hold.name).toBe('InvalidArgument');
  });

  it('a locked upload needs Content-MD5 or a checksum, whether the lock is asked for or the bucket default', async () => {
    const bare = withoutIntegrityHeaders();
    const asked = await failure(bare.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'a.txt', Body: 'a', ObjectLockLegalHoldStatus: 'ON' })));
    expect([asked.status, asked.name, asked.message]).toEqual([400, 'InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters']);
    // Without any lock the same client uploads fine.
    await bare.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'a.txt', Body: 'a' }));
    await s3.send(
      new PutObjectLockConfigurationCommand({ Bucket: LOCKED, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } }),
    );
    expect((await failure(bare.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'b.txt', Body: 'b' })))).name).toBe('InvalidRequest');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: LOCKED, Key: 'm.txt' }));
    const part = await failure(bare.send(new UploadPartCommand({ Bucket: LOCKED, Key: 'm.txt', UploadId, PartNumber: 1, Body: 'p' })));
    expect(part.message).toBe('Content-MD5 OR x-amz-checksum- HTTP header is required for Put Part requests with Object Lock parameters');
    // The SDK's default checksum satisfies it.
    await put('c.txt');
  });
});

describe('what a lock refuses', () => {
  it('GOVERNANCE: a plain delete adds a delete marker; deleting the version is AccessDenied unless governance is bypassed', async () => {
    const version = await put('g.txt', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: fromNow(3600) });
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'g.txt' }));
    expect(marker.DeleteMarker).toBe(true);
    const refused = await failure(s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'g.txt', VersionId: version })));
    expect([refused.status, refused.name, refused.message]).toEqual([403, 'AccessDenied', 'Access Denied because object protected by object lock.']);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: LOCKED, Key: 'g.txt', VersionId: version }))).Body!.transformToString()).toBe('body of g.txt');
    // The delete marker itself is not protected.
    await s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'g.txt', VersionId: marker.VersionId }));
    // The account's root user has s3:BypassGovernanceRetention.
    await s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'g.txt', VersionId: version, BypassGovernanceRetention: true }));
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'g.txt', VersionId: version })))).status).toBe(404);
  });

  it('COMPLIANCE: no bypass, extension only, until the emulator clock passes the date', async () => {
    const version = await put('c.txt', { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: fromNow(60) });
    const bypass = await failure(s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'c.txt', VersionId: version, BypassGovernanceRetention: true })));
    expect([bypass.status, bypass.name]).toEqual([403, 'AccessDenied']);
    const retention = (Mode: 'GOVERNANCE' | 'COMPLIANCE', seconds: number) =>
      s3.send(new PutObjectRetentionCommand({ Bucket: LOCKED, Key: 'c.txt', VersionId: version, Retention: { Mode, RetainUntilDate: fromNow(seconds) }, BypassGovernanceRetention: true }));
    expect((await failure(retention('COMPLIANCE', 30))).name).toBe('AccessDenied');
    expect((await failure(retention('GOVERNANCE', 600))).name).toBe('AccessDenied');
    const removed = await failure(s3.send(new PutObjectRetentionCommand({ Bucket: LOCKED, Key: 'c.txt', VersionId: version, Retention: {}, BypassGovernanceRetention: true })));
    expect(removed.name).toBe('AccessDenied');
    await retention('COMPLIANCE', 120);
    expect((await s3.send(new GetObjectRetentionCommand({ Bucket: LOCKED, Key: 'c.txt', VersionId: version }))).Retention?.Mode).toBe('COMPLIANCE');

    emulator.store.clock.advance(90);
    expect((await failure(s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'c.txt', VersionId: version })))).name).toBe('AccessDenied');
    emulator.store.clock.advance(60);
    await s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'c.txt', VersionId: version }));
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'c.txt', VersionId: version })))).status).toBe(404);
  });

  it('GOVERNANCE retention is extended freely, shortened or removed only with the bypass', async () => {
    const version = await put('g.txt', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: fromNow(600) });
    const set = (Retention: { Mode?: 'GOVERNANCE' | 'COMPLIANCE'; RetainUntilDate?: Date }, bypass?: boolean) =>
      s3.send(new PutObjectRetentionCommand({ Bucket: LOCKED, Key: 'g.txt', Retention, BypassGovernanceRetention: bypass }));
    await set({ Mode: 'GOVERNANCE', RetainUntilDate: fromNow(1200) });
    expect((await failure(set({ Mode: 'GOVERNANCE', RetainUntilDate: fromNow(300) }))).name).toBe('AccessDenied');
    expect((await failure(set({}))).name).toBe('AccessDenied');
    await set({}, true);
    const none = await failure(s3.send(new GetObjectRetentionCommand({ Bucket: LOCKED, Key: 'g.txt', VersionId: version })));
    expect([none.status, none.name]).toEqual([404, 'NoSuchObjectLockConfiguration']);
    await s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'g.txt', VersionId: version }));
  });

  it('a legal hold keeps a version whatever the bypass, until it is turned OFF', async () => {
    const version = await put('h.txt');
    const never = await failure(s3.send(new GetObjectLegalHoldCommand({ Bucket: LOCKED, Key: 'h.txt' })));
    expect([never.status, never.name]).toEqual([404, 'NoSuchObjectLockConfiguration']);
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: LOCKED, Key: 'h.txt', VersionId: version, LegalHold: { Status: 'ON' } }));
    const held = await failure(s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'h.txt', VersionId: version, BypassGovernanceRetention: true })));
    expect(held.name).toBe('AccessDenied');
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: LOCKED, Key: 'h.txt', VersionId: version, LegalHold: { Status: 'OFF' } }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'h.txt' }))).ObjectLockLegalHoldStatus).toBe('OFF');
    await s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'h.txt', VersionId: version }));
  });

  it('DeleteObjects reports a locked version as AccessDenied and deletes the rest', async () => {
    const locked = await put('locked.txt', { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: fromNow(600) });
    const free = await put('free.txt');
    const out = await s3.send(
      new DeleteObjectsCommand({ Bucket: LOCKED, Delete: { Objects: [{ Key: 'locked.txt', VersionId: locked }, { Key: 'free.txt', VersionId: free }, { Key: 'locked.txt' }] } }),
    );
    expect(out.Errors).toEqual([{ Key: 'locked.txt', VersionId: locked, Code: 'AccessDenied', Message: 'Access Denied because object protected by object lock.' }]);
    expect(out.Deleted?.map((d) => [d.Key, d.DeleteMarker ?? false])).toEqual([
      ['free.txt', false],
      ['locked.txt', true],
    ]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'locked.txt', VersionId: locked }))).ObjectLockMode).toBe('COMPLIANCE');
  });

  it('retention and legal-hold calls need a bucket with Object Lock, after a well-formed document', async () => {
    await put('p.txt', {}, PLAIN);
    const retention = await failure(s3.send(new PutObjectRetentionCommand({ Bucket: PLAIN, Key: 'p.txt', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: fromNow(60) } })));
    expect([retention.status, retention.name, retention.message]).toEqual([400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration']);
    expect((await failure(s3.send(new GetObjectLegalHoldCommand({ Bucket: PLAIN, Key: 'p.txt' })))).name).toBe('InvalidRequest');
    const modeOnly = await failure(s3.send(new PutObjectRetentionCommand({ Bucket: PLAIN, Key: 'p.txt', Retention: { Mode: 'GOVERNANCE' } })));
    expect([modeOnly.status, modeOnly.name]).toEqual([400, 'MalformedXML']);
    const past = await failure(s3.send(new PutObjectRetentionCommand({ Bucket: LOCKED, Key: 'p.txt', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: fromNow(-60) } })));
    expect([past.name, past.message, (past.error as { ArgumentName?: string }).ArgumentName]).toEqual(['InvalidArgument', 'The retain until date must be in the future!', 'RetainUntilDate']);
  });

  it('x-amz-bypass-governance-retention is refused on a bucket without Object Lock; lock headers are checked before the bucket is', async () => {
    await put('p.txt', {}, PLAIN);
    const single = await failure(s3.send(new DeleteObjectCommand({ Bucket: PLAIN, Key: 'p.txt', BypassGovernanceRetention: false })));
    expect([single.status, single.name, single.message]).toEqual([400, 'InvalidArgument', 'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.']);
    const batch = await failure(s3.send(new DeleteObjectsCommand({ Bucket: PLAIN, Delete: { Objects: [{ Key: 'p.txt' }] }, BypassGovernanceRetention: true })));
    expect([batch.status, batch.name]).toEqual([400, 'InvalidArgument']);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: PLAIN, Key: 'p.txt' }))).Body!.transformToString()).toBe('body of p.txt');
    const hold = await failure(put('q.txt', { ObjectLockLegalHoldStatus: 'wrong' as 'ON' }, PLAIN));
    expect([hold.name, hold.message]).toEqual(['InvalidArgument', "Legal Hold must be either of 'ON' or 'OFF'"]);
  });
});

describe('permissions', () => {
  const resource = `arn:aws:s3:::${LOCKED}/*`;

  it('bypassing governance needs s3:BypassGovernanceRetention as well as the header', async () => {
    const base = { Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention'], Resource: resource };
    const plain = as(await userWithKey(emulator, 'plain', policy(base)));
    const trusted = as(await userWithKey(emulator, 'trusted', policy(base, { Effect: 'Allow', Action: 's3:BypassGovernanceRetention', Resource: resource })));
    const version = await put('g.txt', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: fromNow(600) });
    const denied = await failure(plain.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'g.txt', VersionId: version, BypassGovernanceRetention: true })));
    expect([denied.status, denied.message]).toEqual([403, 'Access Denied because object protected by object lock.']);
    // The permission alone is not enough: the request must ask for the bypass.
    expect((await failure(trusted.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'g.txt', VersionId: version })))).name).toBe('AccessDenied');
    await trusted.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'g.txt', VersionId: version, BypassGovernanceRetention: true }));
  });

  it('GetObject shows the lock only to callers who may read it; a write naming a lock needs the lock permission', async () => {
    await put('r.txt', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: fromNow(600), ObjectLockLegalHoldStatus: 'ON' });
    const reader = as(await userWithKey(emulator, 'reader', policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: resource })));
    const auditor = as(await userWithKey(emulator, 'auditor', policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectRetention'], Resource: resource })));
    const seen = await reader.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'r.txt' }));
    expect([seen.ObjectLockMode, seen.ObjectLockRetainUntilDate, seen.ObjectLockLegalHoldStatus]).toEqual([undefined, undefined, undefined]);
    const audited = await auditor.send(new HeadObjectCommand({ Bucket: LOCKED, Key: 'r.txt' }));
    expect([audited.ObjectLockMode, audited.ObjectLockLegalHoldStatus]).toEqual(['GOVERNANCE', undefined]);

    await reader.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'w.txt', Body: 'w' }));
    const locking = await failure(reader.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'w.txt', Body: 'w', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: fromNow(60) })));
    expect([locking.status, locking.message]).toEqual([403, expect.stringContaining('s3:PutObjectRetention')]);
  });
});

describe('Object Lock condition keys', () => {
  it('a bucket policy bounds retention periods with s3:object-lock-remaining-retention-days (the User Guide example)', async () => {
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: LOCKED,
        Policy: policy({
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObjectRetention',
          Resource: `arn:aws:s3:::${LOCKED}/*`,
          Condition: { NumericGreaterThan: { 's3:object-lock-remaining-retention-days': '10' } },
        }),
      }),
    );
    const version = await put('r.txt');
    const long = await failure(s3.send(new PutObjectRetentionCommand({ Bucket: LOCKED, Key: 'r.txt', VersionId: version, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: fromNow(30 * 86_400) } })));
    expect([long.status, long.name]).toEqual([403, 'AccessDenied']);
    await s3.send(new PutObjectRetentionCommand({ Bucket: LOCKED, Key: 'r.txt', VersionId: version, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: fromNow(5 * 86_400) } }));
    // A write naming a retention is also a s3:PutObjectRetention, with the same keys.
    const write = await failure(put('w.txt', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: fromNow(30 * 86_400) }));
    expect(write.status).toBe(403);
    await put('w.txt', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: fromNow(86_400) });
  });
});

describe('DeleteObjects authorizes each key', () => {
  it('deletes the keys the caller may delete and reports the others as AccessDenied', async () => {
    for (const key of ['public/a.txt', 'private/b.txt']) await put(key, {}, PLAIN);
    const user = as(await userWithKey(emulator, 'cleaner', policy({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${PLAIN}/public/*` })));
    const out = await user.send(new DeleteObjectsCommand({ Bucket: PLAIN, Delete: { Objects: [{ Key: 'public/a.txt' }, { Key: 'private/b.txt' }] } }));
    expect(out.Deleted).toEqual([{ Key: 'public/a.txt' }]);
    expect(out.Errors).toEqual([{ Key: 'private/b.txt', Code: 'AccessDenied', Message: 'Access Denied' }]);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: PLAIN, Key: 'private/b.txt' }))).Body!.transformToString()).toBe('body of private/b.txt');
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket: PLAIN, Key: 'public/a.txt' })))).status).toBe(404);

    // A caller who may delete none of them still gets a 200 with one error per key.
    const nobody = as(await userWithKey(emulator, 'nobody', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${PLAIN}/*` })));
    const none = await nobody.send(new DeleteObjectsCommand({ Bucket: PLAIN, Delete: { Objects: [{ Key: 'private/b.txt' }], Quiet: true } }));
    expect(none.Errors?.map((e) => e.Code)).toEqual(['AccessDenied']);
  });

  it('an explicit deny in the bucket policy denies just the keys it names', async () => {
    for (const key of ['keep/x.txt', 'tmp/y.txt']) await put(key, {}, PLAIN);
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: PLAIN,
        Policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${PLAIN}/keep/*` }),
      }),
    );
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: PLAIN, Delete: { Objects: [{ Key: 'keep/x.txt' }, { Key: 'tmp/y.txt' }] } }));
    expect(out.Deleted?.map((d) => d.Key)).toEqual(['tmp/y.txt']);
    expect(out.Errors?.map((e) => [e.Key, e.Code])).toEqual([['keep/x.txt', 'AccessDenied']]);
  });
});
