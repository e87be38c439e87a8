import { uniqueId } from '../../core/ids.ts';
import { checkPolicyDocument, policySize } from '../../authz/policy-documents.ts';
import { POLICY_SIZE_LIMITS } from '../../policy/validate.ts';
import { deleteConflict, entityAlreadyExists, limitExceeded } from './iam-errors.ts';
import { byName, findRole, pathFilter, type IamHandler } from './iam-lookup.ts';
import { entityName, entityPath, integerParam, optionalParam, requiredParam } from './iam-params.ts';
import { roleShape } from './iam-shapes.ts';
import { entityKey, type IamAccountState, type IamRole } from './iam-state.ts';
import { members, paginate } from './pagination.ts';

/** The default trust-policy quota (ACLSizePerRole); AWS lets an account raise it to 4,096. */
const TRUST_POLICY_QUOTA = POLICY_SIZE_LIMITS['iam-trust'];
const DEFAULT_MAX_SESSION_DURATION = 3600;

export function checkTrustPolicy(text: string): void {
  if (policySize(text) > TRUST_POLICY_QUOTA) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_QUOTA}`);
  checkPolicyDocument(text, 'trust');
}

export interface NewRole {
  name: string;
  path?: string;
  trustPolicy: string;
  description?: string;
  maxSessionDuration?: number;
}

export function createRole(state: IamAccountState, input: NewRole, now: Date): IamRole {
  if (state.roles.has(entityKey(input.name))) throw entityAlreadyExists(`Role with name ${input.name} already exists.`);
  const path = input.path ?? '/';
  const role: IamRole = {
    name: input.name,
    path,
    id: uniqueId('AROA'),
    arn: `arn:aws:iam::${state.accountId}:role${path}${input.name}`,
    createDate: now,
    description: input.description,
    assumeRolePolicyDocument: input.trustPolicy,
    maxSessionDuration: input.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    inlinePolicies: new Map(),
    attachedPolicies: new Set(),
    tags: [],
  };
  state.roles.set(entityKey(role.name), role);
  return role;
}

/** MaxSessionDuration: one to twelve hours. */
function maxSessionDuration(ctx: Parameters<IamHandler>[0]): number | undefined {
  return integerParam(ctx, 'MaxSessionDuration', 3600, 43200);
}

export const ROLE_HANDLERS: Record<string, IamHandler> = {
  CreateRole: (ctx, state) => {
    const name = entityName(ctx, 'RoleName', 64);
    const path = entityPath(ctx);
    const trustPolicy = requiredParam(ctx, 'AssumeRolePolicyDocument');
    const duration = maxSessionDuration(ctx);
    checkTrustPolicy(trustPolicy);
    const role = createRole(
      state,
      { name, path, trustPolicy, description: optionalParam(ctx, 'Description'), maxSessionDuration: duration },
      ctx.store.clock.now(),
    );
    return { result: { Role: roleShape(role) } };
  },

  GetRole: (ctx, state) => {
    const role = findRole(state, entityName(ctx, 'RoleName', 64));
    return { result: { Role: { ...roleShape(role), ...(role.tags.length > 0 ? { Tags: members(role.tags) } : {}) } } };
  },

  ListRoles: (ctx, state) => {
    const all = byName(state.roles.values()).filter(pathFilter(optionalParam(ctx, 'PathPrefix')));
    const page = paginate(ctx, all);
    return { result: { Roles: members(page.items.map(roleShape)), ...page.fields } };
  },

  UpdateRole: (ctx, state) => {
    const role = findRole(state, entityName(ctx, 'RoleName', 64));
    const duration = maxSessionDuration(ctx);
    const description = optionalParam(ctx, 'Description');
    if (duration !== undefined) role.maxSessionDuration = duration;
    if (description !== undefined) role.description = description;
    return { result: {} };
  },

  UpdateAssumeRolePolicy: (ctx, state) => {
    const role = findRole(state, entityName(ctx, 'RoleName', 64));
    const document = requiredParam(ctx, 'PolicyDocument');
    checkTrustPolicy(document);
    role.assumeRolePolicyDocument = document;
    return {};
  },

  DeleteRole: (ctx, state) => {
    const role = findRole(state, entityName(ctx, 'RoleName', 64));
    if (role.attachedPolicies.size > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (role.inlinePolicies.size > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    state.roles.delete(entityKey(role.name));
    return {};
  },
};
