import { ServiceError } from '../../core/service-error.ts';
import { malformedXml } from '../../protocols/xml.ts';
import { accessibleBucket } from './bucket-access.ts';
import { childElement, childElements, childText, configRoot, onlyChildren } from './config-xml.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';

const MAX_BUCKET_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

type Tag = { Key: string; Value: string };

/** PutBucketTagging / GetBucketTagging / DeleteBucketTagging. PutBucketTagging replaces the whole set. */
export const bucketTaggingHandlers: S3Handlers = {
  PutBucketTagging: (ctx) => {
    const bucket = accessibleBucket(ctx);
    const tags = parseTagging(ctx.body);
    bucket.tags = tags.length > 0 ? tags : undefined;
    return { status: 204 };
  },
  GetBucketTagging: (ctx) => {
    const bucket = accessibleBucket(ctx);
    if (!bucket.tags) throw new ServiceError('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket.name });
    return { xml: { root: 'Tagging', value: { '@_xmlns': S3_XMLNS, TagSet: { Tag: bucket.tags } } } };
  },
  DeleteBucketTagging: (ctx) => {
    accessibleBucket(ctx).tags = undefined;
    return { status: 204 };
  },
};

function parseTagging(body: Buffer): Tag[] {
  const root = configRoot(body, 'Tagging');
  onlyChildren(root, ['TagSet']);
  const tagSet = childElement(root, 'TagSet');
  if (!tagSet) throw malformedXml();
  onlyChildren(tagSet, ['Tag']);
  const tags = childElements(tagSet, 'Tag').map((element): Tag => {
    onlyChildren(element, ['Key', 'Value']);
    const key = childText(element, 'Key');
    const value = childText(element, 'Value');
    if (key === undefined || value === undefined) throw malformedXml();
    return { Key: key, Value: value };
  });
  if (tags.length > MAX_BUCKET_TAGS) throw invalidTag('Bucket tag count cannot be greater than 50');
  const seen = new Set<string>();
  for (const { Key, Value } of tags) {
    if (Key === '') throw invalidTag('The TagKey you have provided is invalid');
    if (Key.length > MAX_KEY_LENGTH) throw invalidTag('The TagKey you have provided is too long, max 128');
    if (Value.length > MAX_VALUE_LENGTH) throw invalidTag('The TagValue you have provided is too long, max 256');
    // The aws: prefix is reserved for tags AWS sets itself (CloudFormation stacks and the like).
    if (Key.toLowerCase().startsWith('aws:')) throw invalidTag('System tags cannot be added/updated by requester');
    if (seen.has(Key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(Key);
  }
  return tags;
}

function invalidTag(message: string): ServiceError {
  return new ServiceError('InvalidTag', message, 400);
}
