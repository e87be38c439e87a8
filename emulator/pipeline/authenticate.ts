import { ANONYMOUS } from '../core/identity.ts';
import { ServiceError } from '../core/service-error.ts';
import type { RequestContext } from './context.ts';

/**
 * Authenticate stage: resolve the caller from the SigV4 credential.
 * (Signature verification is added by the SigV4 module.)
 */
export function authenticate(ctx: RequestContext): void {
  const header = ctx.headers.authorization;
  const credential = /Credential=([^/]+)\/\d{8}\/([^/]+)\//.exec(header ?? '') ?? /^([^/]+)\/\d{8}\/([^/]+)\//.exec(ctx.query.get('X-Amz-Credential') ?? '');
  if (!credential) {
    ctx.caller = ANONYMOUS;
    if (ctx.service?.allowsAnonymous?.(ctx)) return;
    throw new ServiceError('AccessDenied', 'Access Denied', 403);
  }
  const record = ctx.store.credentials.find(credential[1]);
  if (!record) throw new ServiceError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
  ctx.region = credential[2];
  ctx.credential = record;
  ctx.caller = record.caller;
}
