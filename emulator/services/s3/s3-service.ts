import { notImplemented } from '../../core/service-error.ts';
import type { RequestContext, ServiceModule, ServiceResponse } from '../../pipeline/context.ts';
import { s3Address } from './addressing.ts';

type Handler = (ctx: RequestContext) => Promise<ServiceResponse> | ServiceResponse;

const HANDLERS: Record<string, Handler> = {
  ListBuckets: () => ({ xml: { root: 'ListAllMyBucketsResult', value: { Buckets: '', Owner: {} } } }),
};

/** S3 operation from method, bucket/key presence and sub-resource query parameters. */
function operationOf(ctx: RequestContext): string {
  if (!ctx.bucket) return ctx.method === 'GET' ? 'ListBuckets' : `${ctx.method} /`;
  return `${ctx.method} ${ctx.key === undefined ? 'bucket' : 'object'}`;
}

export const s3Service: ServiceModule = {
  name: 's3',
  signingName: 's3',
  protocol: 'rest-xml',

  resolveOperation(ctx) {
    const address = s3Address(ctx);
    ctx.bucket = address.bucket;
    ctx.key = address.key;
    ctx.website = address.website;
    const operation = operationOf(ctx);
    if (!HANDLERS[operation]) throw notImplemented('S3', operation);
    return operation;
  },

  authorization(ctx) {
    return { action: `s3:${ctx.operation}`, resources: ['*'] };
  },

  async handle(ctx) {
    return HANDLERS[ctx.operation!]!(ctx);
  },
};
