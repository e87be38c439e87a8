import type { RequestContext, ServiceResponse } from './context.ts';

/** Dispatch stage: hand the request to its service's handler. */
export function dispatch(ctx: RequestContext): Promise<ServiceResponse> {
  if (!ctx.service) throw new Error('dispatch before route');
  return ctx.service.handle(ctx);
}
