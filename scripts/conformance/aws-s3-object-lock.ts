import * as Iam from '@aws-sdk/client-iam';
import * as S3 from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { observe, type Observation, type Target } from './behaviour.ts';
import type { AwsExpectation } from './aws-expectation.ts';

/** S3 Object Lock and DeleteObjects' per-key authorization, with the answers AWS documents. */
const B = 'aws-table-lock-bucket';
const API = 'https://docs.aws.amazon.com/AmazonS3/latest/API';
const GUIDE = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide';
/** InvalidBucketState: "The request is not valid with the current state of the bucket", 409 Conflict. */
const ERRORS = `${API}/ErrorResponses.html#ErrorCodeList`;

async function lockedBucket(t: Target): Promise<S3Client> {
  const s3 = t.s3();
  await s3.send(new S3.CreateBucketCommand({ Bucket: B, ObjectLockEnabledForBucket: true }));
  return s3;
}

/** A behaviour on a bucket created with Object Lock. */
function locked(name: string, source: string, expected: Observation, call: (s3: S3Client, t: Target) => Promise<Observation>): AwsExpectation {
  return { name, source, expected, run: async (t) => call(await lockedBucket(t), t) };
}

const inAnHour = () => new Date(Date.now() + 3_600_000);

async function lockedVersion(s3: S3Client, mode: 'GOVERNANCE' | 'COMPLIANCE', key = 'k'): Promise<string> {
  const out = await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: key, Body: 'x', ObjectLockMode: mode, ObjectLockRetainUntilDate: inAnHour() }));
  return out.VersionId!;
}

export const AWS_S3_OBJECT_LOCK: AwsExpectation[] = [
  locked('S3 CreateBucket with Object Lock: versioning Enabled', `${GUIDE}/object-lock.html ("When you create a bucket with Object Lock enabled, Amazon S3 automatically enables versioning")`, { status: 200, versioning: 'Enabled' }, (s3) =>
    observe(s3.send(new S3.GetBucketVersioningCommand({ Bucket: B })), (o) => ({ versioning: o.Status })),
  ),
  locked('S3 PutBucketVersioning Suspended on an Object Lock bucket: 409 InvalidBucketState', `${GUIDE}/object-lock-configure.html ("you can't disable Object Lock or suspend versioning"); ${ERRORS}`, { status: 409, error: 'InvalidBucketState' }, (s3) =>
    observe(s3.send(new S3.PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Suspended' } }))),
  ),
  {
    name: 'S3 PutObjectLockConfiguration on an unversioned bucket: 409 InvalidBucketState',
    source: `${GUIDE}/object-lock-configure.html ("you must enable S3 Versioning and Object Lock"); ${ERRORS}`,
    expected: { status: 409, error: 'InvalidBucketState' },
    run: async (t) => {
      const s3 = t.s3();
      await s3.send(new S3.CreateBucketCommand({ Bucket: B }));
      return observe(s3.send(new S3.PutObjectLockConfigurationCommand({ Bucket: B, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } })));
    },
  },
  locked('S3 Object Lock default retention: a new version gets its mode', `${GUIDE}/object-lock.html#object-lock-bucket-config-defaults`, { status: 200, mode: 'GOVERNANCE', hasDate: true }, async (s3) => {
    await s3.send(new S3.PutObjectLockConfigurationCommand({ Bucket: B, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } }));
    await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x' }));
    return observe(s3.send(new S3.HeadObjectCommand({ Bucket: B, Key: 'k' })), (o) => ({ mode: o.ObjectLockMode, hasDate: o.ObjectLockRetainUntilDate !== undefined }));
  }),
  locked('S3 DeleteObject without a version id on a locked object: 204 and a delete marker', `${GUIDE}/object-lock-managing.html ("you can still create a delete marker")`, { status: 204, marker: true }, async (s3) => {
    await lockedVersion(s3, 'COMPLIANCE');
    return observe(s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k' })), (o) => ({ marker: o.DeleteMarker }));
  }),
  locked('S3 DeleteObject of a COMPLIANCE-locked version, with the bypass header: 403 AccessDenied', `${GUIDE}/object-lock.html#object-lock-retention-modes ("can't be overwritten or deleted by any user, including the root user")`, { status: 403, error: 'AccessDenied' }, async (s3) => {
    const version = await lockedVersion(s3, 'COMPLIANCE');
    return observe(s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k', VersionId: version, BypassGovernanceRetention: true })));
  }),
  locked('S3 DeleteObject of a GOVERNANCE-locked version without the bypass header: 403 AccessDenied', `${GUIDE}/object-lock-managing.html#object-lock-managing-bypass`, { status: 403, error: 'AccessDenied' }, async (s3) => {
    const version = await lockedVersion(s3, 'GOVERNANCE');
    return observe(s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k', VersionId: version })));
  }),
  locked('S3 DeleteObject of a GOVERNANCE-locked version with the bypass header (root may bypass): 204', `${GUIDE}/object-lock-managing.html#object-lock-managing-bypass`, { status: 204 }, async (s3) => {
    const version = await lockedVersion(s3, 'GOVERNANCE');
    return observe(s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k', VersionId: version, BypassGovernanceRetention: true })));
  }),
  locked('S3 PutObjectRetention shortening COMPLIANCE: 403 AccessDenied; extending it: 200', `${GUIDE}/object-lock.html#object-lock-retention-modes ("its retention period can't be shortened"), #object-lock-retention-periods`, { shorten: { status: 403, error: 'AccessDenied' }, extend: { status: 200 } }, async (s3) => {
    const version = await lockedVersion(s3, 'COMPLIANCE');
    const retain = (ms: number) =>
      observe(s3.send(new S3.PutObjectRetentionCommand({ Bucket: B, Key: 'k', VersionId: version, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(Date.now() + ms) } })));
    return { shorten: await retain(600_000), extend: await retain(7_200_000) };
  }),
  locked('S3 legal hold: deleting the version is refused even with the bypass header', `${GUIDE}/object-lock-managing.html ("Bypassing governance mode doesn't affect an object version's legal hold status")`, { status: 403, error: 'AccessDenied' }, async (s3) => {
    const { VersionId } = await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', ObjectLockLegalHoldStatus: 'ON' }));
    return observe(s3.send(new S3.DeleteObjectCommand({ Bucket: B, Key: 'k', VersionId, BypassGovernanceRetention: true })));
  }),
  locked('S3 HeadObject of a locked version: mode, date and legal hold', `${GUIDE}/object-lock-managing.html#object-lock-managing-view`, { status: 200, mode: 'GOVERNANCE', hasDate: true, legalHold: 'ON' }, async (s3) => {
    await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: inAnHour(), ObjectLockLegalHoldStatus: 'ON' }));
    return observe(s3.send(new S3.HeadObjectCommand({ Bucket: B, Key: 'k' })), (o) => ({
      mode: o.ObjectLockMode,
      hasDate: o.ObjectLockRetainUntilDate !== undefined,
      legalHold: o.ObjectLockLegalHoldStatus,
    }));
  }),
  {
    name: 'S3 DeleteObjects with one key the caller may not delete: 200, that key an AccessDenied error, the other deleted',
    source: `${API}/API_DeleteObjects.html ("For each key, Amazon S3 performs a delete operation and returns the result of that delete, success or failure"; the example's <Error> with Code AccessDenied)`,
    expected: { status: 200, deleted: ['open/a'], errors: [['closed/b', 'AccessDenied']] },
    run: async (t) => {
      const s3 = t.s3();
      await s3.send(new S3.CreateBucketCommand({ Bucket: B }));
      for (const key of ['open/a', 'closed/b']) await s3.send(new S3.PutObjectCommand({ Bucket: B, Key: key, Body: 'x' }));
      await t.iam.send(new Iam.CreateUserCommand({ UserName: 'cleaner' }));
      const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${B}/open/*` }] };
      await t.iam.send(new Iam.PutUserPolicyCommand({ UserName: 'cleaner', PolicyName: 'open-only', PolicyDocument: JSON.stringify(document) }));
      const { AccessKey } = await t.iam.send(new Iam.CreateAccessKeyCommand({ UserName: 'cleaner' }));
      const cleaner = new S3.S3Client({
        endpoint: t.backend.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        maxAttempts: 1,
        credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      });
      return observe(cleaner.send(new S3.DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'open/a' }, { Key: 'closed/b' }] } })), (o) => ({
        deleted: o.Deleted?.map((d) => d.Key),
        errors: o.Errors?.map((e) => [e.Key, e.Code]),
      }));
    },
  },
];
