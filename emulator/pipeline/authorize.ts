import { encodeAuthorizationMessage } from '../authz/authorization-messages.ts';
import { callerPolicies } from '../authz/caller-policies.ts';
import { conditionContext } from '../authz/condition-context.ts';
import { denialError, denialSentence } from '../authz/denial.ts';
import { parsePolicy } from '../authz/policy-documents.ts';
import { evaluate } from '../policy/evaluate.ts';
import type { EvaluationResult, PolicySet } from '../policy/types.ts';
import type { AuthorizationRequest, RequestContext } from './context.ts';

/**
 * Authorize stage: ask the service what this request does (action, resources,
 * condition keys) and decide whether the caller may do it, the AWS way: explicit
 * deny > allow > implicit deny, identity and resource policies, same-account and
 * cross-account rules (the policy engine decides; this stage gathers the facts).
 *
 * - Root may do anything in its own account (LocalStack's `test`/`test` keeps working),
 *   unless a resource policy denies it explicitly.
 * - Anonymous callers get only what a resource policy grants to "*".
 * - sts:AssumeRole is checked against the role's trust policy, which must trust the
 *   caller even in the same account.
 * Enforcement can be switched off with the `enforceIam` setting; the request is still
 * described in ctx.authorization for the request log.
 */
export function authorize(ctx: RequestContext): void {
  const service = ctx.service;
  if (!service) return;
  const request = service.authorization(ctx);
  ctx.authorization = request;
  if (!request || !ctx.store.settings.enforceIam) return;
  for (const part of [request, ...(request.additional ?? [])]) if (!part.decidedByHandler) authorizePart(ctx, part);
}

/**
 * Whether the caller may do `request` on every one of its resources, decided as the
 * authorize stage decides, without failing the request: for what a handler decides
 * itself (each key of an S3 DeleteObjects, the s3:BypassGovernanceRetention that an
 * x-amz-bypass-governance-retention header asks for, the lock headers only callers with
 * s3:GetObjectRetention see). Always true when IAM enforcement is off.
 */
export function permits(ctx: RequestContext, request: AuthorizationRequest): boolean {
  if (!ctx.store.settings.enforceIam) return true;
  const { decide } = decider(ctx, request);
  return request.resources.every((resource) => decide(resource).decision === 'Allow');
}

/** The policies and condition keys of one request, gathered once, and the decision for each of its resources. */
function decider(ctx: RequestContext, request: AuthorizationRequest) {
  const caller = ctx.caller;
  const policies: PolicySet = {
    ...(caller.kind === 'anonymous' ? { identityPolicies: [] } : callerPolicies(ctx.store, caller)),
    ...(request.resourcePolicy ? { resourcePolicy: parsePolicy(request.resourcePolicy) } : {}),
    principalIsRoot: caller.kind === 'root',
    resourcePolicyKind: request.action === 'sts:AssumeRole' ? 'trust' : 'resource',
  };
  const context = conditionContext(ctx, request);
  const decide = (resource: string): EvaluationResult =>
    evaluate(
      {
        principal: { arn: caller.arn, accountId: caller.accountId, ...(caller.roleArn ? { roleArn: caller.roleArn } : {}) },
        action: request.action,
        resource,
        ...(request.resourceAccount ? { resourceAccount: request.resourceAccount } : {}),
        context,
      },
      policies,
    );
  return { decide, context };
}

function authorizePart(ctx: RequestContext, request: AuthorizationRequest): void {
  const caller = ctx.caller;
  const { decide, context } = decider(ctx, request);
  for (const resource of request.resources) {
    const result = decide(resource);
    if (result.decision === 'Allow') continue;
    const sentence = denialSentence(ctx, request.action, resource, result);
    const encoded =
      ctx.service?.protocol === 'query' && caller.kind !== 'anonymous'
        ? encodeAuthorizationMessage(ctx.store, { caller, action: request.action, resource, context, result })
        : undefined;
    ctx.logParams.denied = `${result.decision}${result.deniedBy ? ` (${result.deniedBy})` : ''}`;
    if (encoded) ctx.logParams.encodedAuthorizationMessage = encoded;
    throw denialError(ctx, sentence, encoded);
  }
}
