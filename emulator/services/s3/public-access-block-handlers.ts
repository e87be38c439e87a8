import { ServiceError } from '../../core/service-error.ts';
import { malformedXml } from '../../protocols/xml.ts';
import { accessibleBucket } from './bucket-access.ts';
import { childText, configRoot, onlyChildren } from './config-xml.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import type { PublicAccessBlock } from './s3-state.ts';

const SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/**
 * What a new bucket gets: since April 2023 S3 turns on all four Block Public Access
 * settings for every new bucket, so making a bucket public is a deliberate
 * DeletePublicAccessBlock / PutPublicAccessBlock first.
 */
export function blockAllPublicAccess(): PublicAccessBlock {
  return { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
}

/** PutPublicAccessBlock / GetPublicAccessBlock / DeletePublicAccessBlock on a bucket. */
export const publicAccessBlockHandlers: S3Handlers = {
  PutPublicAccessBlock: (ctx) => {
    const bucket = accessibleBucket(ctx);
    bucket.publicAccessBlock = parsePublicAccessBlock(ctx.body);
    return {};
  },
  GetPublicAccessBlock: (ctx) => {
    const bucket = accessibleBucket(ctx);
    if (!bucket.publicAccessBlock) {
      throw new ServiceError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, {
        BucketName: bucket.name,
      });
    }
    const settings = bucket.publicAccessBlock;
    return {
      xml: {
        root: 'PublicAccessBlockConfiguration',
        value: { '@_xmlns': S3_XMLNS, ...Object.fromEntries(SETTINGS.map((name) => [name, String(settings[name])])) },
      },
    };
  },
  DeletePublicAccessBlock: (ctx) => {
    accessibleBucket(ctx).publicAccessBlock = undefined;
    return { status: 204 };
  },
};

/** A setting left out of the document is false. */
function parsePublicAccessBlock(body: Buffer): PublicAccessBlock {
  const root = configRoot(body, 'PublicAccessBlockConfiguration');
  onlyChildren(root, [...SETTINGS]);
  const settings = {} as PublicAccessBlock;
  for (const name of SETTINGS) {
    const text = childText(root, name)?.toLowerCase();
    if (text !== undefined && text !== 'true' && text !== 'false') throw malformedXml();
    settings[name] = text === 'true';
  }
  return settings;
}
