import type { Caller } from '../../core/identity.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { AuthorizationRequest, RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { checkPolicyDocument, policySize } from '../../authz/policy-documents.ts';
import { defaultPolicyDocument } from '../iam/iam-lookup.ts';
import { validationError } from '../iam/iam-errors.ts';
import { integerParam, optionalParam, requiredParam } from '../iam/iam-params.ts';
import { accountState, entityKey, type IamRole } from '../iam/iam-state.ts';
import { credentialsShape, issueSession } from './session-credentials.ts';
import { roleSessionName } from './sts-params.ts';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;
/** Session policies are packed into the token; AWS reports their size as a percentage of this budget. */
const PACKED_POLICY_BUDGET = 2048;
/** A session that assumes another role ("role chaining") is capped at one hour. */
const ROLE_CHAINING_MAX_SECONDS = 3600;

function roleFor(ctx: RequestContext, roleArn: string): IamRole | undefined {
  const match = ROLE_ARN.exec(roleArn);
  if (!match) return undefined;
  const role = accountState(ctx.store, match[1]!).roles.get(entityKey(match[2]!));
  return role?.arn === roleArn ? role : undefined;
}

function roleArnParam(ctx: RequestContext): string {
  const arn = requiredParam(ctx, 'RoleArn');
  if (arn.length < 20) throw validationError(`Value '${arn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`);
  return arn;
}

/** sts:AssumeRole on the role, judged by the role's trust policy (and the caller's identity policies). */
export function assumeRoleAuthorization(ctx: RequestContext): AuthorizationRequest {
  const roleArn = ctx.form?.get('RoleArn') ?? '';
  const role = roleFor(ctx, roleArn);
  const externalId = optionalParam(ctx, 'ExternalId');
  const sessionName = optionalParam(ctx, 'RoleSessionName');
  return {
    action: 'sts:AssumeRole',
    resources: [roleArn || '*'],
    resourceAccount: ROLE_ARN.exec(roleArn)?.[1],
    ...(role ? { resourcePolicy: role.assumeRolePolicyDocument } : {}),
    conditions: {
      ...(externalId !== undefined ? { 'sts:ExternalId': externalId } : {}),
      ...(sessionName !== undefined ? { 'sts:RoleSessionName': sessionName } : {}),
    },
  };
}

/** `roleAccount`: PolicyArns name managed policies as the role's account sees them. */
function sessionPolicies(ctx: RequestContext, roleAccount: string): { documents: string[]; packedSize?: number } {
  const documents: string[] = [];
  const inline = optionalParam(ctx, 'Policy');
  if (inline !== undefined) {
    checkPolicyDocument(inline, 'identity');
    documents.push(inline);
  }
  for (let index = 1; ; index += 1) {
    const arn = optionalParam(ctx, `PolicyArns.member.${index}.arn`);
    if (arn === undefined) break;
    const document = defaultPolicyDocument(accountState(ctx.store, roleAccount), arn);
    if (document === undefined) throw new ServiceError('MalformedPolicyDocument', `Policy ${arn} does not exist or is not attachable.`, 400);
    documents.push(document);
  }
  if (documents.length === 0) return { documents };
  const packedSize = Math.ceil((documents.reduce((sum, d) => sum + policySize(d), 0) / PACKED_POLICY_BUDGET) * 100);
  if (packedSize > 100) {
    throw new ServiceError('PackedPolicyTooLarge', `Packed policy consumes ${packedSize}% of allotted space, please use smaller policy.`, 400);
  }
  return { documents, packedSize };
}

export function assumeRole(ctx: RequestContext): ServiceResponse {
  const roleArn = roleArnParam(ctx);
  const sessionName = roleSessionName(ctx);
  const requested = integerParam(ctx, 'DurationSeconds', 900, 43200);
  const role = roleFor(ctx, roleArn);
  if (!role) {
    // AWS does not say whether the role exists: a missing role is an access denial.
    throw new ServiceError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  if (requested !== undefined && requested > role.maxSessionDuration) {
    throw new ServiceError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
  }
  if (ctx.caller.kind === 'assumed-role' && requested !== undefined && requested > ROLE_CHAINING_MAX_SECONDS) {
    throw new ServiceError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
  }
  const accountId = ROLE_ARN.exec(role.arn)![1]!;
  const { documents, packedSize } = sessionPolicies(ctx, accountId);
  const caller: Omit<Caller, 'accessKeyId'> = {
    kind: 'assumed-role',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
    userId: `${role.id}:${sessionName}`,
    name: role.name,
    sessionName,
    roleArn: role.arn,
    ...(documents.length > 0 ? { sessionPolicies: documents } : {}),
  };
  const record = issueSession(ctx.store, caller, requested ?? 3600, false);
  // A profile with role_arn + source_profile: the request log says "assumed-role via profile NAME".
  if (ctx.credential?.source !== undefined) record.source = `assumed-role via ${ctx.credential.source}`;
  return {
    result: {
      Credentials: credentialsShape(record),
      AssumedRoleUser: { AssumedRoleId: caller.userId, Arn: caller.arn },
      ...(packedSize !== undefined ? { PackedPolicySize: packedSize } : {}),
    },
  };
}
