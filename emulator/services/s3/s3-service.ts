import { notImplemented } from '../../core/service-error.ts';
import type { ServiceModule } from '../../pipeline/context.ts';
import { s3Address } from './addressing.ts';
import { bodyStorage } from './body-storage.ts';
import { bucketConfigHandlers } from './bucket-config-handlers.ts';
import { bucketHandlers } from './bucket-handlers.ts';
import { withCorsHeaders } from './cors-preflight.ts';
import { listHandlers } from './list-handlers.ts';
import { multipartHandlers } from './multipart-handlers.ts';
import { objectHandlers } from './object-handlers.ts';
import { isS3Operation, s3OperationOf } from './operations.ts';
import { authenticatePostForm, isPostObject, postObjectAuthorization, postObjectHandlers, readPostForm } from './post-object.ts';
import { s3AllowsAnonymous, s3Authorization } from './s3-authorization.ts';
import type { S3Handlers } from './s3-handler.ts';
import { applyS3Seed, dumpS3, seedS3 } from './s3-seed.ts';

/** Every implemented S3 operation, one table per concern. */
const HANDLERS: S3Handlers = {
  ...bucketHandlers,
  ...listHandlers,
  ...objectHandlers,
  ...multipartHandlers,
  ...bucketConfigHandlers,
  ...postObjectHandlers,
};

export const s3Service: ServiceModule = {
  name: 's3',
  signingName: 's3',
  protocol: 'rest-xml',

  resolveOperation(ctx) {
    const address = s3Address(ctx);
    ctx.bucket = address.bucket;
    ctx.key = address.key;
    ctx.website = address.website;
    // A browser's form upload (POST Object) is not in the SDK's model: told apart by its multipart body.
    const operation = isPostObject(ctx) ? 'PostObject' : s3OperationOf(ctx);
    if (!Object.hasOwn(HANDLERS, operation)) throw notImplemented('S3', operation, isS3Operation(operation));
    return operation;
  },

  allowsAnonymous: s3AllowsAnonymous,
  readRequestBody: readPostForm,
  authenticateBody: authenticatePostForm,
  authorization: (ctx) => (ctx.operation === 'PostObject' ? postObjectAuthorization(ctx) : s3Authorization(ctx)),

  async handle(ctx) {
    return withCorsHeaders(ctx, await HANDLERS[ctx.operation!]!(ctx));
  },

  seed: seedS3,
  applySeed: applyS3Seed,
  dump: dumpS3,
  dispose: (store) => bodyStorage(store).clear(),
};
