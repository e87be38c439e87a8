import type { AuthorizationRequest, RequestContext } from '../../pipeline/context.ts';
import { listParam, optionalParam } from './iam-params.ts';
import { tagConditions, tagsParam } from './tagging.ts';
import type { IamTag } from './iam-state.ts';
import { accountState, entityKey } from './iam-state.ts';

/**
 * What an IAM request acts on, for the authorize stage: `iam:<Operation>` on the
 * ARN of the user, role, group, policy or MFA device it names (as in the IAM
 * service authorization reference), `*` for account-wide list calls. Calls that
 * default to the caller (GetUser, CreateAccessKey ... without UserName) act on the
 * caller's own user ARN, which is what lets `${aws:username}` policies work.
 */
export function iamAuthorization(ctx: RequestContext): AuthorizationRequest {
  const accountId = ctx.caller.accountId;
  const state = accountState(ctx.store, accountId);
  const action = `iam:${ctx.operation}`;
  const base = `arn:aws:iam::${accountId}`;
  const userName = optionalParam(ctx, 'UserName');
  const roleName = optionalParam(ctx, 'RoleName');
  const groupName = optionalParam(ctx, 'GroupName');
  const policyArn = optionalParam(ctx, 'PolicyArn');
  const conditions: Record<string, string | string[]> = policyArn !== undefined && /^(Attach|Detach)/.test(ctx.operation ?? '') ? { 'iam:PolicyARN': policyArn } : {};
  // aws:ResourceTag/<key>: the tags of the user or role the request acts on (IAM User Guide, "Controlling access to IAM users and roles using tags").
  const target = userName !== undefined ? state.users.get(entityKey(userName)) : roleName !== undefined ? state.roles.get(entityKey(roleName)) : undefined;
  Object.assign(conditions, tagConditions('aws:ResourceTag', target?.tags));
  if (ctx.operation === 'TagUser' || ctx.operation === 'TagRole' || ctx.operation === 'CreateUser' || ctx.operation === 'CreateRole') {
    const requested = safeTags(ctx);
    Object.assign(conditions, tagConditions('aws:RequestTag', requested));
    if (requested.length > 0) conditions['aws:TagKeys'] = requested.map((tag) => tag.Key);
  }
  if (ctx.operation === 'UntagUser' || ctx.operation === 'UntagRole') conditions['aws:TagKeys'] = listParam(ctx, 'TagKeys');
  const path = optionalParam(ctx, 'Path') ?? '/';

  let resource = '*';
  if (userName !== undefined) resource = state.users.get(entityKey(userName))?.arn ?? `${base}:user/${userName}`;
  else if (roleName !== undefined) resource = state.roles.get(entityKey(roleName))?.arn ?? `${base}:role${path}${roleName}`;
  else if (groupName !== undefined) resource = state.groups.get(entityKey(groupName))?.arn ?? `${base}:group${path}${groupName}`;
  else if (policyArn !== undefined) resource = policyArn;
  else if (ctx.operation === 'CreatePolicy') resource = `${base}:policy${path}${optionalParam(ctx, 'PolicyName') ?? ''}`;
  else if (ctx.operation === 'CreateVirtualMFADevice') resource = `${base}:mfa${path}${optionalParam(ctx, 'VirtualMFADeviceName') ?? ''}`;
  else if (optionalParam(ctx, 'SerialNumber') !== undefined) resource = optionalParam(ctx, 'SerialNumber')!;
  else if (ctx.caller.kind === 'user' && /^(GetUser|CreateAccessKey|ListAccessKeys|UpdateAccessKey|DeleteAccessKey|ListMFADevices)$/.test(ctx.operation ?? '')) {
    resource = ctx.caller.arn;
  }
  return { action, resources: [resource], resourceAccount: accountId, ...(Object.keys(conditions).length > 0 ? { conditions } : {}) };
}

/** The request's tags for aws:RequestTag; a malformed tag list is the handler's error to report, not the authorizer's. */
function safeTags(ctx: RequestContext): IamTag[] {
  try {
    return tagsParam(ctx);
  } catch {
    return [];
  }
}
