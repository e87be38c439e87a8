import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { malformedXml } from '../../protocols/xml.ts';
import { accessibleBucket } from './bucket-access.ts';
import { childElement, childElements, childText, configRoot, onlyChildren } from './config-xml.ts';
import { invalidArgument } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import type { S3Object } from './s3-state.ts';
import { readableVersion, versionHeader } from './versioning.ts';

/** An object carries at most 10 tags (S3 User Guide, "Categorizing your objects using tags"). */
const MAX_OBJECT_TAGS = 10;
type Tag = { Key: string; Value: string };

function checkTags(tags: Tag[]): Tag[] {
  if (tags.length > MAX_OBJECT_TAGS) throw new ServiceError('BadRequest', 'Object tags cannot be greater than 10', 400);
  const seen = new Set<string>();
  for (const { Key, Value } of tags) {
    if (Key === '' || Key.length > 128) throw new ServiceError('InvalidTag', 'The TagKey you have provided is invalid', 400);
    if (Value.length > 256) throw new ServiceError('InvalidTag', 'The TagValue you have provided is invalid', 400);
    if (seen.has(Key)) throw new ServiceError('InvalidTag', 'Cannot provide multiple Tags with the same key', 400);
    seen.add(Key);
  }
  return tags;
}

/** x-amz-tagging on PutObject/CopyObject/CreateMultipartUpload: a URL-encoded query string (`a=1&b=2`). */
export function tagsFromHeader(ctx: RequestContext): Tag[] | undefined {
  const header = ctx.headers['x-amz-tagging'];
  if (header === undefined) return undefined;
  return checkTags([...new URLSearchParams(header)].map(([Key, Value]) => ({ Key, Value })));
}

function parseTagging(body: Buffer): Tag[] {
  const root = configRoot(body, 'Tagging');
  onlyChildren(root, ['TagSet']);
  const tagSet = childElement(root, 'TagSet');
  if (!tagSet) throw malformedXml();
  onlyChildren(tagSet, ['Tag']);
  return checkTags(
    childElements(tagSet, 'Tag').map((element) => {
      onlyChildren(element, ['Key', 'Value']);
      const key = childText(element, 'Key');
      const value = childText(element, 'Value');
      if (key === undefined || value === undefined) throw malformedXml();
      return { Key: key, Value: value };
    }),
  );
}

function target(ctx: RequestContext): { object: S3Object; headers: Record<string, string> } {
  const bucket = accessibleBucket(ctx);
  const object = readableVersion(bucket, ctx.key ?? '', ctx.query.get('versionId') ?? undefined);
  return { object, headers: versionHeader(bucket, object.versionId) };
}

/** PutObjectTagging (replaces the set) / GetObjectTagging / DeleteObjectTagging, of the current or a named version. */
export const objectTaggingHandlers: S3Handlers = {
  PutObjectTagging: (ctx): ServiceResponse => {
    const { object, headers } = target(ctx);
    const tags = parseTagging(ctx.body);
    object.tags = tags.length > 0 ? tags : undefined;
    return { headers };
  },
  GetObjectTagging: (ctx): ServiceResponse => {
    const { object, headers } = target(ctx);
    return { headers, xml: { root: 'Tagging', value: { '@_xmlns': S3_XMLNS, TagSet: { Tag: object.tags ?? [] } } } };
  },
  DeleteObjectTagging: (ctx): ServiceResponse => {
    const { object, headers } = target(ctx);
    object.tags = undefined;
    return { status: 204, headers };
  },
};

const ATTRIBUTES = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'];

/**
 * GetObjectAttributes: the attributes named in x-amz-object-attributes. The ETag comes
 * without quotes here, unlike every other S3 response (S3 API Reference, GetObjectAttributes).
 */
export const objectAttributesHandlers: S3Handlers = {
  GetObjectAttributes: (ctx): ServiceResponse => {
    const { object, headers } = target(ctx);
    const wanted = (ctx.headers['x-amz-object-attributes'] ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
    if (wanted.length === 0) throw invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', '');
    const unknown = wanted.find((name) => !ATTRIBUTES.includes(name));
    if (unknown) throw invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', unknown);
    const parts = /-(\d+)"$/.exec(object.etag);
    const checksums = Object.entries(object.checksums);
    const value: Record<string, unknown> = { '@_xmlns': S3_XMLNS };
    if (wanted.includes('ETag')) value.ETag = object.etag.replace(/"/g, '');
    if (wanted.includes('Checksum') && checksums.length > 0) {
      value.Checksum = {
        ...Object.fromEntries(checksums.map(([algorithm, sum]) => [`Checksum${algorithm}`, sum])),
        ChecksumType: checksums.some(([, sum]) => /-\d+$/.test(sum)) ? 'COMPOSITE' : 'FULL_OBJECT',
      };
    }
    if (wanted.includes('ObjectParts') && parts) value.ObjectParts = { TotalPartsCount: Number(parts[1]) };
    if (wanted.includes('StorageClass')) value.StorageClass = 'STANDARD';
    if (wanted.includes('ObjectSize')) value.ObjectSize = object.size;
    return { headers: { ...headers, 'last-modified': object.lastModified.toUTCString() }, xml: { root: 'GetObjectAttributesResponse', value } };
  },
};
