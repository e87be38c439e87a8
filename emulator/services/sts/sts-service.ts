import { notImplemented } from '../../core/service-error.ts';
import type { RequestContext, ServiceModule, ServiceResponse } from '../../pipeline/context.ts';

type Handler = (ctx: RequestContext) => ServiceResponse;

const HANDLERS: Record<string, Handler> = {
  GetCallerIdentity: (ctx) => ({
    result: { Arn: ctx.caller.arn, UserId: ctx.caller.userId, Account: ctx.caller.accountId },
  }),
};

export const STS_ACTIONS = new Set([
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'DecodeAuthorizationMessage',
  'GetAccessKeyInfo',
  'GetCallerIdentity',
  'GetFederationToken',
  'GetSessionToken',
]);

export const stsService: ServiceModule = {
  name: 'sts',
  signingName: 'sts',
  protocol: 'query',

  resolveOperation(ctx) {
    const action = ctx.form?.get('Action') ?? '';
    if (!HANDLERS[action]) throw notImplemented('STS', action);
    return action;
  },

  authorization(ctx) {
    // GetCallerIdentity needs no permission: AWS answers it even under an explicit deny.
    if (ctx.operation === 'GetCallerIdentity') return undefined;
    return { action: `sts:${ctx.operation}`, resources: ['*'] };
  },

  async handle(ctx) {
    return HANDLERS[ctx.operation!]!(ctx);
  },
};
