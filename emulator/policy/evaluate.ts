import { isAnonymous, principalMatch, type PrincipalMatch } from './principal-match.ts';
import { RequestContext } from './request-context.ts';
import { statementApplies, statementLabel, statementsOf, variablesEnabled } from './statement-match.ts';
import type { EvaluationRequest, EvaluationResult, PolicyDocument, PolicySet } from './types.ts';

/**
 * AWS's policy evaluation logic (IAM User Guide, "Policy evaluation logic" and
 * "Cross-account policy evaluation logic"), without Organizations policies:
 *
 * 1. An explicit Deny in any applicable policy wins.
 * 2. Same account: allowed when the identity policies allow (capped by the session
 *    policies of an assumed-role session and by a permissions boundary), OR when the
 *    resource policy grants to the caller by name. A resource policy that names only the
 *    account delegates to the identity policies and grants nothing by itself.
 *    Role trust policies (`resourcePolicyKind: 'trust'`) must trust the caller even in
 *    the same account.
 * 3. Cross account: the caller's identity side AND the resource policy must both allow.
 * 4. Otherwise: implicit deny.
 */

interface IdentityVerdict {
  deny?: string;
  allow?: string;
}

type GrantLevel = Exclude<PrincipalMatch, 'none'>;

interface ResourceVerdict {
  deny?: string;
  allow: Partial<Record<GrantLevel, string>>;
}

function label(policyIndex: number, statementIndex: number, sid: string | undefined, policies: number): string {
  if (sid) return sid;
  return policies > 1 ? `Policy[${policyIndex}].Statement[${statementIndex}]` : `Statement[${statementIndex}]`;
}

function analyzePrincipalPolicies(
  policies: PolicyDocument[],
  request: EvaluationRequest,
  context: RequestContext,
): IdentityVerdict {
  const verdict: IdentityVerdict = {};
  policies.forEach((policy, policyIndex) => {
    const variables = variablesEnabled(policy);
    statementsOf(policy).forEach((statement, statementIndex) => {
      if (!statementApplies(statement, request.action, request.resource, context, variables)) return;
      const name = label(policyIndex, statementIndex, statement.Sid, policies.length);
      if (statement.Effect === 'Deny') verdict.deny ??= name;
      else verdict.allow ??= name;
    });
  });
  return verdict;
}

function analyzeResourcePolicy(
  policy: PolicyDocument,
  request: EvaluationRequest,
  context: RequestContext,
  hasBoundary: boolean,
): ResourceVerdict {
  const verdict: ResourceVerdict = { allow: {} };
  const variables = variablesEnabled(policy);
  statementsOf(policy).forEach((statement, index) => {
    // "If you use NotPrincipal with Deny ... principals with a permissions boundary are always
    // denied, regardless of the values in NotPrincipal" (IAM User Guide, NotPrincipal).
    const boundaryNotPrincipalDeny = hasBoundary && statement.Effect === 'Deny' && statement.NotPrincipal !== undefined;
    const level = boundaryNotPrincipalDeny ? 'direct' : principalMatch(statement, request.principal);
    if (level === 'none') return;
    if (!statementApplies(statement, request.action, request.resource, context, variables)) return;
    const name = statementLabel(statement, index);
    // A Deny naming the account (or anything that covers the caller) is still an explicit deny.
    if (statement.Effect === 'Deny') verdict.deny ??= name;
    else verdict.allow[level] ??= name;
  });
  return verdict;
}

const isServicePrincipal = (arn: string): boolean => arn !== '*' && !arn.startsWith('arn:');

export function evaluate(request: EvaluationRequest, policies: PolicySet): EvaluationResult {
  const context = new RequestContext(request.context);
  const principal = request.principal;
  const anonymous = isAnonymous(principal);
  // "No permissions are required to perform this operation ... you can still perform this
  // operation" even under an explicit deny (STS API reference, GetCallerIdentity).
  if (!anonymous && request.action.toLowerCase() === 'sts:getcalleridentity') {
    return { decision: 'Allow', allowedBy: 'no-permission-required' };
  }
  const identity = anonymous ? {} : analyzePrincipalPolicies(policies.identityPolicies, request, context);
  const sessionPolicies = policies.sessionPolicies ?? [];
  const session = sessionPolicies.length > 0 ? analyzePrincipalPolicies(sessionPolicies, request, context) : undefined;
  const boundaries = policies.permissionsBoundaries ?? [];
  const boundary = boundaries.length > 0 ? analyzePrincipalPolicies(boundaries, request, context) : undefined;
  const resource = policies.resourcePolicy
    ? analyzeResourcePolicy(policies.resourcePolicy, request, context, boundary !== undefined)
    : undefined;

  if (identity.deny) return { decision: 'ExplicitDeny', deniedBy: 'identity-policy', matchedStatement: identity.deny };
  if (session?.deny) return { decision: 'ExplicitDeny', deniedBy: 'session-policy', matchedStatement: session.deny };
  if (boundary?.deny) return { decision: 'ExplicitDeny', deniedBy: 'permissions-boundary', matchedStatement: boundary.deny };
  if (resource?.deny) return { decision: 'ExplicitDeny', deniedBy: 'resource-policy', matchedStatement: resource.deny };

  const grants = resource?.allow ?? {};
  // Anonymous callers and service principals have no identity policies: only the resource policy can grant.
  if (anonymous || isServicePrincipal(principal.arn)) {
    const grant = grants.direct ?? grants.wildcard;
    if (grant) return { decision: 'Allow', allowedBy: 'resource-policy', matchedStatement: grant };
    return { decision: 'ImplicitDeny', deniedBy: resource ? 'resource-policy' : 'no-policy' };
  }

  const identityAllows = policies.principalIsRoot === true || identity.allow !== undefined;
  const sessionAllows = !session || session.allow !== undefined;
  const boundaryAllows = !boundary || boundary.allow !== undefined;
  const principalSideAllows = identityAllows && sessionAllows && boundaryAllows;
  const principalSideAllow = (): EvaluationResult =>
    policies.principalIsRoot
      ? { decision: 'Allow', allowedBy: 'root' }
      : { decision: 'Allow', allowedBy: 'identity-policy', matchedStatement: identity.allow };
  const principalSideDenial = (): EvaluationResult => {
    if (!identityAllows) {
      const none = policies.identityPolicies.length === 0 && !resource;
      return { decision: 'ImplicitDeny', deniedBy: none ? 'no-policy' : 'identity-policy' };
    }
    if (!sessionAllows) return { decision: 'ImplicitDeny', deniedBy: 'session-policy' };
    return { decision: 'ImplicitDeny', deniedBy: 'permissions-boundary' };
  };

  const crossAccount = request.resourceAccount !== undefined && request.resourceAccount !== principal.accountId;
  if (crossAccount) {
    const grant = grants.direct ?? grants.wildcard ?? grants.role ?? grants.account;
    if (!principalSideAllows) return principalSideDenial();
    if (!grant) return { decision: 'ImplicitDeny', deniedBy: 'resource-policy' };
    return principalSideAllow();
  }

  // Same account: a resource policy naming the caller grants by itself. Naming the session ARN
  // escapes both session policies and the boundary; `*` escapes only the boundary; naming the
  // role behind the session is limited by both ("Session policies", "Permissions boundaries").
  const standalone =
    grants.direct ??
    (sessionAllows ? grants.wildcard : undefined) ??
    (sessionAllows && boundaryAllows ? grants.role : undefined);
  const trustRequired = policies.resourcePolicyKind === 'trust' && resource !== undefined;
  if (principalSideAllows && (!trustRequired || grants.account || standalone)) return principalSideAllow();
  if (standalone) return { decision: 'Allow', allowedBy: 'resource-policy', matchedStatement: standalone };
  if (principalSideAllows) return { decision: 'ImplicitDeny', deniedBy: 'resource-policy' };
  return principalSideDenial();
}

// The authorize stage and IAM/S3 import the grammar checks from here too.
export { PolicyValidationError, parsePolicyJson, validatePolicy, POLICY_SIZE_LIMITS } from './validate.ts';
export type { PolicyKind, PolicySizeLimit } from './validate.ts';
