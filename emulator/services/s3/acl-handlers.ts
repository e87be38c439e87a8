import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { malformedXml } from '../../protocols/xml.ts';
import { accessibleBucket, ownerElement } from './bucket-access.ts';
import { childElements, childText, configRoot, onlyChildren } from './config-xml.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import type { Bucket } from './s3-state.ts';
import { readableVersion, versionHeader } from './versioning.ts';

/**
 * ACLs as S3 has them since April 2023: new buckets are BucketOwnerEnforced, ACLs are
 * disabled, reads of an ACL answer the owner's FULL_CONTROL, and a request that sets any
 * other ACL fails with AccessControlListNotSupported (S3 User Guide, "Controlling ownership
 * of objects and disabling ACLs for your bucket"). Once ownership controls allow ACLs, a
 * canned or explicit ACL is accepted but not kept: access here is decided by policies only.
 */
const OWNERSHIP = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;
/** What a request may still say under BucketOwnerEnforced ("bucket-owner-full-control or equivalent"). */
const CANNED_ALLOWED_WHEN_ENFORCED = new Set(['private', 'bucket-owner-full-control']);

function enforced(bucket: Bucket): boolean {
  return bucket.ownershipControls === undefined || bucket.ownershipControls === 'BucketOwnerEnforced';
}

function aclNotSupported(): ServiceError {
  return new ServiceError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
}

/** PutObject/PutBucketAcl/PutObjectAcl/CopyObject: refuse an ACL a BucketOwnerEnforced bucket cannot take. */
export function assertAclAllowed(ctx: RequestContext, bucket: Bucket, body?: Buffer): void {
  if (!enforced(bucket)) return;
  const canned = ctx.headers['x-amz-acl'];
  if (canned !== undefined && !CANNED_ALLOWED_WHEN_ENFORCED.has(canned)) throw aclNotSupported();
  if (Object.keys(ctx.headers).some((name) => name.startsWith('x-amz-grant-'))) throw aclNotSupported();
  if (body && body.length > 0 && !grantsOnlyOwner(body, bucket)) throw aclNotSupported();
}

/** An AccessControlPolicy body whose only grant is the owner's FULL_CONTROL: the one ACL an enforced bucket accepts. */
function grantsOnlyOwner(body: Buffer, bucket: Bucket): boolean {
  const root = configRoot(body, 'AccessControlPolicy');
  onlyChildren(root, ['Owner', 'AccessControlList']);
  const list = root.AccessControlList;
  if (list === undefined || list === '') return true;
  if (typeof list !== 'object' || list === null) throw malformedXml();
  const grants = childElements(list as Record<string, unknown>, 'Grant');
  const owner = ownerElement(bucket.ownerAccount).ID;
  return grants.every((grant) => {
    const grantee = grant.Grantee as Record<string, unknown> | undefined;
    return childText(grant, 'Permission') === 'FULL_CONTROL' && typeof grantee === 'object' && grantee !== null && grantee.ID === owner;
  });
}

function ownerOnlyAcl(bucket: Bucket): Record<string, unknown> {
  const owner = ownerElement(bucket.ownerAccount);
  return {
    '@_xmlns': S3_XMLNS,
    Owner: owner,
    AccessControlList: {
      Grant: [
        {
          Grantee: { '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', '@_xsi:type': 'CanonicalUser', ...owner },
          Permission: 'FULL_CONTROL',
        },
      ],
    },
  };
}

function putAcl(ctx: RequestContext, bucket: Bucket): void {
  assertAclAllowed(ctx, bucket, ctx.body);
}

export const aclHandlers: S3Handlers = {
  GetBucketAcl: (ctx) => ({ xml: { root: 'AccessControlPolicy', value: ownerOnlyAcl(accessibleBucket(ctx)) } }),
  PutBucketAcl: (ctx) => {
    putAcl(ctx, accessibleBucket(ctx));
    return {};
  },
  GetObjectAcl: (ctx): ServiceResponse => {
    const bucket = accessibleBucket(ctx);
    const object = readableVersion(bucket, ctx.key ?? '', ctx.query.get('versionId') ?? undefined);
    return { headers: versionHeader(bucket, object.versionId), xml: { root: 'AccessControlPolicy', value: ownerOnlyAcl(bucket) } };
  },
  PutObjectAcl: (ctx): ServiceResponse => {
    const bucket = accessibleBucket(ctx);
    const object = readableVersion(bucket, ctx.key ?? '', ctx.query.get('versionId') ?? undefined);
    putAcl(ctx, bucket);
    return { headers: versionHeader(bucket, object.versionId) };
  },
  PutBucketOwnershipControls: (ctx) => {
    const bucket = accessibleBucket(ctx);
    const root = configRoot(ctx.body, 'OwnershipControls');
    onlyChildren(root, ['Rule']);
    const rules = childElements(root, 'Rule');
    if (rules.length !== 1) throw malformedXml();
    onlyChildren(rules[0]!, ['ObjectOwnership']);
    const ownership = childText(rules[0]!, 'ObjectOwnership');
    if (!OWNERSHIP.includes(ownership as (typeof OWNERSHIP)[number])) throw malformedXml();
    bucket.ownershipControls = ownership as (typeof OWNERSHIP)[number];
    return {};
  },
  GetBucketOwnershipControls: (ctx) => {
    const bucket = accessibleBucket(ctx);
    if (bucket.ownershipControls === 'none') {
      throw new ServiceError('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', 404, { BucketName: bucket.name });
    }
    const ownership = bucket.ownershipControls ?? 'BucketOwnerEnforced';
    return { xml: { root: 'OwnershipControls', value: { '@_xmlns': S3_XMLNS, Rule: { ObjectOwnership: ownership } } } };
  },
  DeleteBucketOwnershipControls: (ctx) => {
    accessibleBucket(ctx).ownershipControls = 'none';
    return { status: 204 };
  },
};
