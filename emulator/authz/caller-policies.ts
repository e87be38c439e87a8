import type { Caller } from '../core/identity.ts';
import type { Store } from '../core/store.ts';
import type { PolicyDocument } from '../policy/types.ts';
import { defaultPolicyDocument } from '../services/iam/iam-lookup.ts';
import { accountState, entityKey, type IamAccountState } from '../services/iam/iam-state.ts';
import { parsePolicy } from './policy-documents.ts';

export interface CallerPolicies {
  identityPolicies: PolicyDocument[];
  sessionPolicies?: PolicyDocument[];
}

function managed(state: IamAccountState, arns: Iterable<string>): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  for (const arn of arns) {
    const document = defaultPolicyDocument(state, arn);
    if (document !== undefined) out.push(parsePolicy(document));
  }
  return out;
}

/**
 * The identity-based policies in force for a caller, read live from IAM state (a policy
 * change applies to the next request, sessions included):
 * - IAM user: inline + attached managed (default versions) + those of its groups;
 * - assumed-role session: the role's inline + attached, and the session policies;
 * - root and anonymous: none (root is allowed by being root).
 * A deleted user or role leaves its credentials with no permissions, as on AWS.
 */
export function callerPolicies(store: Store, caller: Caller): CallerPolicies {
  const state = accountState(store, caller.accountId);
  if (caller.kind === 'user' && caller.name) {
    const user = state.users.get(entityKey(caller.name));
    if (!user) return { identityPolicies: [] };
    const documents = [...user.inlinePolicies.values()].map(parsePolicy).concat(managed(state, user.attachedPolicies));
    for (const groupKey of user.groups) {
      const group = state.groups.get(groupKey);
      if (group) documents.push(...[...group.inlinePolicies.values()].map(parsePolicy), ...managed(state, group.attachedPolicies));
    }
    return { identityPolicies: documents };
  }
  if (caller.kind === 'assumed-role' && caller.name) {
    const role = state.roles.get(entityKey(caller.name));
    const identityPolicies = role ? [...role.inlinePolicies.values()].map(parsePolicy).concat(managed(state, role.attachedPolicies)) : [];
    const sessionPolicies = caller.sessionPolicies?.map(parsePolicy);
    return { identityPolicies, ...(sessionPolicies && sessionPolicies.length > 0 ? { sessionPolicies } : {}) };
  }
  return { identityPolicies: [] };
}
