import { ServiceError } from '../core/service-error.ts';
import type { EvaluationResult } from '../policy/types.ts';
import type { RequestContext } from '../pipeline/context.ts';

/** How AWS names each kind of policy in a denial ("Troubleshooting access denied error messages"). */
const POLICY_TYPE: Record<NonNullable<EvaluationResult['deniedBy']>, { a: string; no: string }> = {
  'identity-policy': { a: 'an identity-based policy', no: 'no identity-based policy' },
  'no-policy': { a: 'an identity-based policy', no: 'no identity-based policy' },
  'resource-policy': { a: 'a resource-based policy', no: 'no resource-based policy' },
  'session-policy': { a: 'a session policy', no: 'no session policy' },
  'permissions-boundary': { a: 'a permissions boundary', no: 'no permissions boundary' },
};

/**
 * AWS's access-denied sentence:
 *   User: <arn> is not authorized to perform: <action> on resource: <arn> because no identity-based policy allows the <action> action
 *   User: <arn> is not authorized to perform: <action> on resource: <arn> with an explicit deny in a resource-based policy
 * S3 quotes the resource ARN; an action without a resource leaves the "on resource" part out.
 */
export function denialSentence(ctx: RequestContext, action: string, resource: string, result: EvaluationResult): string {
  const type = POLICY_TYPE[result.deniedBy ?? 'identity-policy'];
  const quoted = ctx.service?.protocol === 'rest-xml' ? `"${resource}"` : resource;
  const onResource = resource === '*' ? '' : ` on resource: ${quoted}`;
  const reason = result.decision === 'ExplicitDeny' ? `with an explicit deny in ${type.a}` : `because ${type.no} allows the ${action} action`;
  return `User: ${ctx.caller.arn} is not authorized to perform: ${action}${onResource} ${reason}`;
}

/**
 * The denial in the service's own error shape: S3 403 AccessDenied (plain "Access Denied"
 * for anonymous callers, as S3 says it), DynamoDB 400 AccessDeniedException, IAM/STS 403
 * AccessDenied. IAM and STS denials end with "Encoded authorization failure message: ..."
 * (the EC2 convention) so DecodeAuthorizationMessage can explain them.
 */
export function denialError(ctx: RequestContext, sentence: string, encodedMessage: string | undefined): ServiceError {
  const protocol = ctx.service?.protocol;
  if (protocol === 'json') return new ServiceError('AccessDeniedException', sentence, 400);
  if (protocol === 'query') {
    const suffix = encodedMessage ? ` Encoded authorization failure message: ${encodedMessage}` : '';
    return new ServiceError('AccessDenied', `${sentence}${suffix}`, 403);
  }
  if (ctx.caller.kind === 'anonymous') return new ServiceError('AccessDenied', 'Access Denied', 403);
  return new ServiceError('AccessDenied', sentence, 403);
}
