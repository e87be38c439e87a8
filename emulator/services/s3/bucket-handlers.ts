import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { malformedXml, parseXml } from '../../protocols/xml.ts';
import { accessibleBucket, existingBucket, ownerElement } from './bucket-access.ts';
import { assertValidBucketName } from './bucket-names.ts';
import { bodyStorage } from './body-storage.ts';
import { asksForObjectLock, enableObjectLock } from './object-lock-handlers.ts';
import { blockAllPublicAccess } from './public-access-block-handlers.ts';
import { accessDenied, noSuchBucket } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import { s3State, type Bucket } from './s3-state.ts';
import { hasAnyVersion } from './versioning.ts';

const US_EAST_1 = 'us-east-1';

/** Bucket lifecycle: create, look up, locate, list, delete. */
export const bucketHandlers: S3Handlers = {
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  GetBucketLocation: (ctx) => {
    const bucket = accessibleBucket(ctx);
    // us-east-1 buckets have no location constraint: the element is empty.
    const constraint = bucket.region === US_EAST_1 ? '' : bucket.region;
    return { xml: { root: 'LocationConstraint', value: { '@_xmlns': S3_XMLNS, '#text': constraint } } };
  },
  ListBuckets: listBuckets,
  DeleteBucket: deleteBucket,
};

export function newBucket(name: string, ownerAccount: string, region: string, createdAt: Date, invisibleReads = 0): Bucket {
  return {
    name,
    ownerAccount,
    region,
    createdAt,
    objects: new Map(),
    uploads: new Map(),
    invisibleReadsLeft: invisibleReads,
    // New buckets block all public access, as on AWS since April 2023.
    publicAccessBlock: blockAllPublicAccess(),
  };
}

function createBucket(ctx: RequestContext): ServiceResponse {
  const name = ctx.bucket ?? '';
  assertValidBucketName(name);
  const constraint = locationConstraintOf(ctx.body);
  if (constraint !== undefined) ctx.logParams.LocationConstraint = constraint;
  const region = bucketRegion(ctx.region, constraint);

  const buckets = s3State(ctx.store).buckets;
  const existing = buckets.get(name);
  if (existing) {
    if (existing.ownerAccount !== ctx.caller.accountId) {
      throw new ServiceError(
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        409,
        { BucketName: name },
      );
    }
    // AWS's documented legacy behaviour: re-creating your own us-east-1 bucket through us-east-1
    // is an idempotent 200; everywhere else it is 409 BucketAlreadyOwnedByYou.
    if (!(existing.region === US_EAST_1 && region === US_EAST_1)) {
      throw new ServiceError(
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        409,
        { BucketName: name },
      );
    }
    return { headers: { location: `/${name}` } };
  }

  const bucket = newBucket(name, ctx.caller.accountId, region, ctx.receivedAt, ctx.store.faults.newBucketInvisibleReads);
  // x-amz-bucket-object-lock-enabled: true turns Object Lock on, and versioning with it.
  if (asksForObjectLock(ctx)) enableObjectLock(bucket);
  buckets.set(name, bucket);
  return { headers: { location: `/${name}` } };
}

/** The LocationConstraint of a CreateBucketConfiguration body; undefined when no body or an empty one was sent. */
function locationConstraintOf(body: Buffer): string | undefined {
  if (body.length === 0 || body.toString('utf8').trim() === '') return undefined;
  const document = parseXml(body);
  const configuration = document.CreateBucketConfiguration;
  if (configuration === undefined) throw malformedXml();
  if (configuration === '') return undefined;
  if (typeof configuration !== 'object' || configuration === null) throw malformedXml();
  const constraint = (configuration as Record<string, unknown>).LocationConstraint;
  if (constraint === undefined || constraint === '') return undefined;
  if (typeof constraint !== 'string') throw malformedXml();
  return constraint;
}

/**
 * Where the new bucket lives. The us-east-1 endpoint takes no constraint for itself
 * (naming it is an error) but may create buckets elsewhere; every other regional endpoint
 * needs a constraint equal to its own region.
 */
function bucketRegion(requestRegion: string, constraint: string | undefined): string {
  if (requestRegion === US_EAST_1) {
    if (constraint === US_EAST_1) {
      throw new ServiceError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, {
        LocationConstraint: constraint,
      });
    }
    return constraint ?? US_EAST_1;
  }
  if (constraint === undefined) {
    throw new ServiceError(
      'IllegalLocationConstraintException',
      'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
      400,
    );
  }
  if (constraint !== requestRegion) {
    throw new ServiceError(
      'IllegalLocationConstraintException',
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      400,
    );
  }
  return constraint;
}

function headBucket(ctx: RequestContext): ServiceResponse {
  const bucket = existingBucket(ctx);
  // Eventual consistency fault: a new bucket is not yet visible to its first K reads, whoever reads.
  if (bucket.invisibleReadsLeft > 0) {
    bucket.invisibleReadsLeft -= 1;
    throw noSuchBucket(bucket.name);
  }
  accessibleBucket(ctx);
  return { headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' } };
}

function listBuckets(ctx: RequestContext): ServiceResponse {
  const account = ctx.caller.accountId;
  if (!account) throw accessDenied();
  const mine = [...s3State(ctx.store).buckets.values()]
    .filter((bucket) => bucket.ownerAccount === account)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    xml: {
      root: 'ListAllMyBucketsResult',
      value: {
        '@_xmlns': S3_XMLNS,
        Buckets: {
          Bucket: mine.map((bucket) => ({
            Name: bucket.name,
            CreationDate: bucket.createdAt.toISOString(),
            BucketRegion: bucket.region,
          })),
        },
        Owner: ownerElement(account),
      },
    },
  };
}

function deleteBucket(ctx: RequestContext): ServiceResponse {
  const bucket = accessibleBucket(ctx);
  // A versioned bucket is empty only when no version and no delete marker is left.
  if (hasAnyVersion(bucket)) {
    throw new ServiceError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket.name });
  }
  // Incomplete multipart uploads do not keep a bucket alive; their parts go with it.
  const storage = bodyStorage(ctx.store);
  for (const upload of bucket.uploads.values()) for (const part of upload.parts.values()) storage.release(part.body);
  s3State(ctx.store).buckets.delete(bucket.name);
  return { status: 204 };
}
