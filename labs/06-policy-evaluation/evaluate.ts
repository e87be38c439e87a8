import { evaluatePolicies } from './evaluate-policies.ts';
import type { Policies, Principal, Request, Statement, Verdict } from './policy-types.ts';
import { listOf, statementApplies } from './statement-matches.ts';

/**
 * How a resource-policy statement's Principal names the caller:
 * - 'caller': the caller itself (its user ARN), or everyone ("*" or { "AWS": "*" });
 * - 'account': only the caller's account (arn:aws:iam::<account>:root);
 * - 'none': someone else.
 */
export type PrincipalMatch = 'caller' | 'account' | 'none';

/** TODO 5: Which of the above is `principal` for the caller of `request`? */
export function principalMatch(principal: Principal | undefined, request: Request): PrincipalMatch {
  // BEGIN SOLUTION TODO 5
  if (principal === undefined) return 'none';
  const entries = principal === '*' ? ['*'] : listOf(principal.AWS);
  if (entries.some((entry) => entry === '*' || entry === request.principal.arn)) return 'caller';
  if (entries.includes(`arn:aws:iam::${request.principal.account}:root`)) return 'account';
  return 'none';
  // END SOLUTION
}

/**
 * TODO 5: The verdict for a request, with the caller's identity policies AND the
 * resource's policy (if any).
 *
 * 1. An explicit Deny anywhere wins: in an identity policy, or in a resource-policy
 *    statement whose Principal covers the caller (its ARN, "*", or its account).
 * 2. Same account (resourceAccount === principal.account): ONE side is enough. Allow when
 *    the identity policies allow, or when a resource-policy Allow names the caller (its
 *    ARN or "*"). A resource-policy Allow that names only the account grants nothing by
 *    itself: it leaves the decision to the account's identity policies.
 * 3. Cross account: BOTH sides must allow. The identity policies (of the caller's own
 *    account) allow, AND a resource-policy Allow names the caller, "*" or its account.
 * 4. Otherwise 'ImplicitDeny'.
 */
export function evaluate(request: Request, policies: Policies): Verdict {
  // BEGIN SOLUTION TODO 5
  const identity = evaluatePolicies(policies.identity, request);
  const resourceStatements = (policies.resource?.Statement ?? [])
    .map((statement): [Statement, PrincipalMatch] => [statement, principalMatch(statement.Principal, request)])
    .filter(([statement, match]) => match !== 'none' && statementApplies(statement, request));
  if (identity === 'ExplicitDeny' || resourceStatements.some(([statement]) => statement.Effect === 'Deny')) return 'ExplicitDeny';

  const allows = resourceStatements.filter(([statement]) => statement.Effect === 'Allow').map(([, match]) => match);
  const identityAllows = identity === 'Allow';
  if (request.resourceAccount === request.principal.account) {
    return identityAllows || allows.includes('caller') ? 'Allow' : 'ImplicitDeny';
  }
  return identityAllows && allows.length > 0 ? 'Allow' : 'ImplicitDeny';
  // END SOLUTION
}
