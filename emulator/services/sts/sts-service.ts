import { ServiceError, notImplemented } from '../../core/service-error.ts';
import type { RequestContext, ServiceModule, ServiceResponse } from '../../pipeline/context.ts';
import { decodeAuthorizationMessage } from '../../authz/authorization-messages.ts';
import { assumeRole, assumeRoleAuthorization } from './assume-role.ts';
import { getSessionToken } from './get-session-token.ts';
import { requiredParam } from '../iam/iam-params.ts';
import { STS_OPERATIONS } from './sts-operations.ts';

type Handler = (ctx: RequestContext) => ServiceResponse;

const HANDLERS: Record<string, Handler> = {
  GetCallerIdentity: (ctx) => ({
    result: { Arn: ctx.caller.arn, UserId: ctx.caller.userId, Account: ctx.caller.accountId },
  }),

  AssumeRole: assumeRole,

  GetSessionToken: getSessionToken,

  DecodeAuthorizationMessage: (ctx) => {
    const encoded = requiredParam(ctx, 'EncodedMessage');
    const decoded = decodeAuthorizationMessage(ctx.store, encoded, ctx.caller.accountId);
    if (decoded === undefined) {
      throw new ServiceError('InvalidAuthorizationMessageException', 'The encoded authorization message is invalid.', 400);
    }
    return { result: { DecodedMessage: decoded } };
  },

  GetAccessKeyInfo: (ctx) => {
    const keyId = requiredParam(ctx, 'AccessKeyId');
    const record = ctx.store.credentials.find(keyId);
    if (!record) throw new ServiceError('InvalidParameterValue', `The access key ID ${keyId} is not valid.`, 400);
    return { result: { Account: record.caller.accountId } };
  },
};

/** Query actions that belong to STS (the rest go to IAM) when the request's signature does not say. */
export const STS_ACTIONS: ReadonlySet<string> = STS_OPERATIONS;

export const stsService: ServiceModule = {
  name: 'sts',
  signingName: 'sts',
  protocol: 'query',

  resolveOperation(ctx) {
    const action = ctx.form?.get('Action') ?? '';
    if (!Object.hasOwn(HANDLERS, action)) throw notImplemented('STS', action, STS_OPERATIONS.has(action));
    return action;
  },

  authorization(ctx) {
    // GetCallerIdentity and GetSessionToken need no permission: AWS answers them even under an explicit deny.
    if (ctx.operation === 'GetCallerIdentity' || ctx.operation === 'GetSessionToken') return undefined;
    if (ctx.operation === 'AssumeRole') return assumeRoleAuthorization(ctx);
    return { action: `sts:${ctx.operation}`, resources: ['*'] };
  },

  async handle(ctx) {
    return HANDLERS[ctx.operation!]!(ctx);
  },
};
