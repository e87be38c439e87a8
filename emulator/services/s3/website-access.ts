import { conditionContext } from '../../authz/condition-context.ts';
import { parsePolicy } from '../../authz/policy-documents.ts';
import { evaluate } from '../../policy/evaluate.ts';
import type { ConditionValues } from '../../policy/types.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { isPublicPolicy } from './public-policy.ts';
import type { Bucket } from './s3-state.ts';

/** The anonymous caller as the policy engine knows it: no account, no identity policies. */
const ANONYMOUS_PRINCIPAL = { arn: '*', accountId: '' };

/**
 * Whether an anonymous website visitor may perform `action` (s3:GetObject on an
 * object, s3:ListBucket on the bucket). Only the bucket policy can grant it, and with
 * RestrictPublicBuckets on, a public policy grants nothing to anonymous callers.
 */
export function anonymousMay(ctx: RequestContext, bucket: Bucket, action: string, resource: string): boolean {
  if (bucket.policy === undefined) return false;
  const policy = parsePolicy(bucket.policy);
  if (bucket.publicAccessBlock?.RestrictPublicBuckets && isPublicPolicy(policy)) return false;
  const result = evaluate(
    {
      principal: ANONYMOUS_PRINCIPAL,
      action,
      resource,
      resourceAccount: bucket.ownerAccount,
      context: websiteConditionContext(ctx, action, resource),
    },
    { identityPolicies: [], resourcePolicy: policy },
  );
  return result.decision === 'Allow';
}

/**
 * The request's global condition keys (the authorize stage's own), plus the two
 * headers AWS exposes as keys and website policies like to test: aws:Referer
 * ("only from my site") and aws:UserAgent.
 */
function websiteConditionContext(ctx: RequestContext, action: string, resource: string): Record<string, ConditionValues> {
  const context = conditionContext(ctx, { action, resources: [resource] });
  const referer = ctx.headers.referer;
  if (referer !== undefined) context['aws:Referer'] = referer;
  const userAgent = ctx.headers['user-agent'];
  if (userAgent !== undefined) context['aws:UserAgent'] = userAgent;
  return context;
}
