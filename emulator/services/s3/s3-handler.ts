import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';

/** One S3 operation's handler. Each concern (buckets, objects, multipart, configuration) exports a table of them. */
export type S3Handler = (ctx: RequestContext) => Promise<ServiceResponse> | ServiceResponse;
export type S3Handlers = Record<string, S3Handler>;

/** Every S3 XML document carries this namespace. */
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
