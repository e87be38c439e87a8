import type { Policy, Request, Verdict } from './policy-types.ts';
import { statementApplies } from './statement-matches.ts';

/**
 * TODO 3: The verdict of a list of policies (a user's identity-based policies) for a request.
 *
 * AWS's rule, in this order:
 * 1. if ANY statement that applies (statementApplies) is a Deny -> 'ExplicitDeny',
 *    whatever allows it elsewhere;
 * 2. else if any statement that applies is an Allow -> 'Allow';
 * 3. else -> 'ImplicitDeny' (nothing said yes: denied by default).
 */
export function evaluatePolicies(policies: Policy[], request: Request): Verdict {
  // BEGIN SOLUTION TODO 3
  const applying = policies.flatMap((policy) => policy.Statement).filter((statement) => statementApplies(statement, request));
  if (applying.some((statement) => statement.Effect === 'Deny')) return 'ExplicitDeny';
  if (applying.some((statement) => statement.Effect === 'Allow')) return 'Allow';
  return 'ImplicitDeny';
  // END SOLUTION
}
