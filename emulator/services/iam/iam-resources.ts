import type { AuthorizationRequest, RequestContext } from '../../pipeline/context.ts';
import { optionalParam } from './iam-params.ts';
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
  const conditions = policyArn !== undefined && /^(Attach|Detach)/.test(ctx.operation ?? '') ? { 'iam:PolicyARN': policyArn } : undefined;
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
  return { action, resources: [resource], resourceAccount: accountId, ...(conditions ? { conditions } : {}) };
}
