import type { ConditionValues } from '../policy/types.ts';
import type { AuthorizationRequest, RequestContext } from '../pipeline/context.ts';
import { sessionFacts } from './session-facts.ts';
import { effectiveSourceIp } from './source-ip.ts';
import { accountState, entityKey, type IamTag } from '../services/iam/iam-state.ts';
import { tagConditions } from '../services/iam/tagging.ts';

/** aws:PrincipalType as AWS names it. */
const PRINCIPAL_TYPES = { root: 'Account', user: 'User', 'assumed-role': 'AssumedRole', anonymous: 'Anonymous' } as const;

/**
 * The global condition keys of one request (IAM User Guide, "AWS global condition
 * context keys"), then the service's own keys. Keys AWS leaves out are left out
 * here too, because ...IfExists operators and Null conditions depend on absence:
 * aws:MultiFactorAuthPresent is only present with temporary credentials,
 * aws:username only for IAM users.
 */
export function conditionContext(ctx: RequestContext, request: AuthorizationRequest): Record<string, ConditionValues> {
  const caller = ctx.caller;
  const now = ctx.store.clock.nowMs();
  const context: Record<string, ConditionValues> = {
    'aws:SourceIp': effectiveSourceIp(ctx),
    'aws:CurrentTime': new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now / 1000)),
    // The emulator listens on plain http.
    'aws:SecureTransport': 'false',
    'aws:RequestedRegion': ctx.region,
  };
  if (caller.kind !== 'anonymous') {
    // For a session, aws:PrincipalArn is the role's ARN, not the session's.
    context['aws:PrincipalArn'] = caller.kind === 'assumed-role' && caller.roleArn ? caller.roleArn : caller.arn;
    context['aws:PrincipalAccount'] = caller.accountId;
    context['aws:PrincipalType'] = PRINCIPAL_TYPES[caller.kind];
    context['aws:userid'] = caller.userId;
  }
  if (caller.kind === 'user' && caller.name) context['aws:username'] = caller.name;
  // aws:PrincipalTag/<key>: the tags of the calling IAM user, or of the role a session was assumed from.
  Object.assign(context, tagConditions('aws:PrincipalTag', principalTags(ctx)));

  const temporary = ctx.credential?.sessionToken !== undefined;
  if (temporary) {
    const facts = sessionFacts(ctx.store).get(ctx.credential!.accessKeyId);
    context['aws:MultiFactorAuthPresent'] = String(caller.mfaAuthenticated === true);
    if (facts) context['aws:TokenIssueTime'] = new Date(facts.issuedAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (facts?.mfaAuthenticatedAtMs !== undefined) {
      context['aws:MultiFactorAuthAge'] = String(Math.floor((now - facts.mfaAuthenticatedAtMs) / 1000));
    }
  }
  return { ...context, ...request.conditions };
}

function principalTags(ctx: RequestContext): IamTag[] | undefined {
  const caller = ctx.caller;
  if (caller.kind === 'anonymous' || caller.kind === 'root') return undefined;
  const state = accountState(ctx.store, caller.accountId);
  if (caller.kind === 'user') return caller.name ? state.users.get(entityKey(caller.name))?.tags : undefined;
  const roleName = caller.roleArn?.split('/').pop();
  return roleName ? state.roles.get(entityKey(roleName))?.tags : undefined;
}
