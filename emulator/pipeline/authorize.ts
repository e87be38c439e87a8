import type { RequestContext } from './context.ts';

/**
 * Authorize stage: ask the service what this request does (action, resources,
 * condition keys) and decide whether the caller may do it.
 *
 * Every request passes through here with its resolved caller, action and resource,
 * so that the request log and the policy engine see the same facts.
 * Policy evaluation is not enforced yet: everything authenticated is allowed.
 */
export function authorize(ctx: RequestContext): void {
  const service = ctx.service;
  if (!service) return;
  ctx.authorization = service.authorization(ctx);
}
