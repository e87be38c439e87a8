import { uniqueId } from '../../core/ids.ts';
import { ServiceError } from '../../core/service-error.ts';
import { checkPolicyDocument, policySize } from '../../authz/policy-documents.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { POLICY_SIZE_LIMITS } from '../../policy/validate.ts';
import { AWS_MANAGED_POLICIES } from './aws-managed-policies.ts';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity, validationError } from './iam-errors.ts';
import { attachmentCount, attachmentsOf, byName, findGroup, findPolicy, findRole, findUser, lookupPolicy, pathFilter, type IamHandler } from './iam-lookup.ts';
import { booleanParam, entityName, entityPath, optionalParam, policyArnParam, requiredParam } from './iam-params.ts';
import { policyShape, policyVersionShape } from './iam-shapes.ts';
import type { IamAccountState, ManagedPolicy } from './iam-state.ts';
import { members, paginate } from './pagination.ts';

const MANAGED_POLICY_QUOTA = POLICY_SIZE_LIMITS['iam-managed'];
const MAX_VERSIONS = 5;
/** Managed policies attached to one user, group or role (the default quota). */
const MAX_ATTACHED = 10;

function checkManagedDocument(text: string): void {
  if (policySize(text) > MANAGED_POLICY_QUOTA) throw limitExceeded(`Cannot exceed quota for PolicySize: ${MANAGED_POLICY_QUOTA}`);
  checkPolicyDocument(text, 'identity');
}

export interface NewPolicy {
  name: string;
  path?: string;
  document: string;
  description?: string;
}

export function createPolicy(state: IamAccountState, input: NewPolicy, now: Date): ManagedPolicy {
  const path = input.path ?? '/';
  const arn = `arn:aws:iam::${state.accountId}:policy${path}${input.name}`;
  if (state.policies.has(arn)) throw entityAlreadyExists(`A policy called ${input.name} already exists. Duplicate names are not allowed.`);
  const policy: ManagedPolicy = {
    name: input.name,
    path,
    id: uniqueId('ANPA'),
    arn,
    description: input.description,
    createDate: now,
    updateDate: now,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document: input.document, createDate: now }],
    nextVersion: 2,
    awsManaged: false,
  };
  state.policies.set(arn, policy);
  return policy;
}

/** Only the account's own policies can be changed; AWS managed ones belong to AWS. */
function customerPolicy(state: IamAccountState, arn: string): ManagedPolicy {
  const policy = findPolicy(state, arn);
  if (policy.awsManaged) throw new ServiceError('AccessDenied', `You are not allowed to modify the AWS managed policy ${arn}.`, 403);
  return policy;
}

function versionIdParam(ctx: RequestContext): string {
  const versionId = requiredParam(ctx, 'VersionId');
  if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(versionId)) {
    throw validationError(`Value '${versionId}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?`);
  }
  return versionId;
}

function findVersion(policy: ManagedPolicy, versionId: string) {
  const version = policy.versions.find((v) => v.versionId === versionId);
  if (!version) throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
  return version;
}

type AttachTarget = { attachedPolicies: Set<string> };

function attachTarget(kind: 'User' | 'Role' | 'Group', ctx: RequestContext, state: IamAccountState): AttachTarget {
  if (kind === 'User') return findUser(state, entityName(ctx, 'UserName', 128));
  if (kind === 'Role') return findRole(state, entityName(ctx, 'RoleName', 64));
  return findGroup(state, entityName(ctx, 'GroupName', 128));
}

function attachHandlers(kind: 'User' | 'Role' | 'Group'): Record<string, IamHandler> {
  return {
    [`Attach${kind}Policy`]: (ctx, state) => {
      const target = attachTarget(kind, ctx, state);
      const arn = policyArnParam(ctx);
      if (!lookupPolicy(state, arn)) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
      if (!target.attachedPolicies.has(arn) && target.attachedPolicies.size >= MAX_ATTACHED) {
        throw limitExceeded(`Cannot exceed quota for PoliciesPer${kind}: ${MAX_ATTACHED}`);
      }
      target.attachedPolicies.add(arn);
      return {};
    },
    [`Detach${kind}Policy`]: (ctx, state) => {
      const target = attachTarget(kind, ctx, state);
      const arn = policyArnParam(ctx);
      if (!target.attachedPolicies.delete(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
      return {};
    },
    [`ListAttached${kind}Policies`]: (ctx, state) => {
      const target = attachTarget(kind, ctx, state);
      const policies = byName([...target.attachedPolicies].map((arn) => lookupPolicy(state, arn)).filter((p): p is ManagedPolicy => p !== undefined));
      const page = paginate(ctx, policies.filter(pathFilter(optionalParam(ctx, 'PathPrefix'))));
      return {
        result: { AttachedPolicies: members(page.items.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn }))), ...page.fields },
      };
    },
  };
}

export const MANAGED_POLICY_HANDLERS: Record<string, IamHandler> = {
  CreatePolicy: (ctx, state) => {
    const name = entityName(ctx, 'PolicyName', 128);
    const path = entityPath(ctx);
    const document = requiredParam(ctx, 'PolicyDocument');
    checkManagedDocument(document);
    const policy = createPolicy(state, { name, path, document, description: optionalParam(ctx, 'Description') }, ctx.store.clock.now());
    return { result: { Policy: policyShape(policy, 0) } };
  },

  GetPolicy: (ctx, state) => {
    const policy = findPolicy(state, policyArnParam(ctx));
    return { result: { Policy: policyShape(policy, attachmentCount(state, policy.arn)) } };
  },

  DeletePolicy: (ctx, state) => {
    const policy = customerPolicy(state, policyArnParam(ctx));
    if (attachmentCount(state, policy.arn) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
    if (policy.versions.length > 1) {
      throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    state.policies.delete(policy.arn);
    return {};
  },

  ListPolicies: (ctx, state) => {
    const scope = optionalParam(ctx, 'Scope') ?? 'All';
    if (!['All', 'AWS', 'Local'].includes(scope)) {
      throw validationError(`Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`);
    }
    const onlyAttached = booleanParam(ctx, 'OnlyAttached') ?? false;
    const candidates = [
      ...(scope !== 'Local' ? AWS_MANAGED_POLICIES.values() : []),
      ...(scope !== 'AWS' ? state.policies.values() : []),
    ];
    const all = byName(candidates)
      .filter(pathFilter(optionalParam(ctx, 'PathPrefix')))
      .map((policy) => ({ policy, count: attachmentCount(state, policy.arn) }))
      .filter(({ count }) => !onlyAttached || count > 0);
    const page = paginate(ctx, all);
    return { result: { Policies: members(page.items.map(({ policy, count }) => policyShape(policy, count))), ...page.fields } };
  },

  GetPolicyVersion: (ctx, state) => {
    const policy = findPolicy(state, policyArnParam(ctx));
    const version = findVersion(policy, versionIdParam(ctx));
    return { result: { PolicyVersion: policyVersionShape(policy, version, true) } };
  },

  CreatePolicyVersion: (ctx, state) => {
    const policy = customerPolicy(state, policyArnParam(ctx));
    const document = requiredParam(ctx, 'PolicyDocument');
    checkManagedDocument(document);
    if (policy.versions.length >= MAX_VERSIONS) {
      throw limitExceeded(`A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
    }
    const now = ctx.store.clock.now();
    const version = { versionId: `v${policy.nextVersion}`, document, createDate: now };
    policy.nextVersion += 1;
    policy.versions.push(version);
    if (booleanParam(ctx, 'SetAsDefault')) policy.defaultVersionId = version.versionId;
    policy.updateDate = now;
    return { result: { PolicyVersion: policyVersionShape(policy, version, false) } };
  },

  SetDefaultPolicyVersion: (ctx, state) => {
    const policy = customerPolicy(state, policyArnParam(ctx));
    const version = findVersion(policy, versionIdParam(ctx));
    policy.defaultVersionId = version.versionId;
    policy.updateDate = ctx.store.clock.now();
    return {};
  },

  ListPolicyVersions: (ctx, state) => {
    const policy = findPolicy(state, policyArnParam(ctx));
    // Newest first, as AWS lists them.
    const page = paginate(ctx, [...policy.versions].reverse());
    return { result: { Versions: members(page.items.map((v) => policyVersionShape(policy, v, false))), ...page.fields } };
  },

  DeletePolicyVersion: (ctx, state) => {
    const policy = customerPolicy(state, policyArnParam(ctx));
    const version = findVersion(policy, versionIdParam(ctx));
    if (version.versionId === policy.defaultVersionId) throw deleteConflict('Cannot delete the default version of a policy.');
    policy.versions = policy.versions.filter((v) => v !== version);
    return {};
  },

  ListEntitiesForPolicy: (ctx, state) => {
    const policy = findPolicy(state, policyArnParam(ctx));
    const filter = optionalParam(ctx, 'EntityFilter');
    const prefix = pathFilter(optionalParam(ctx, 'PathPrefix'));
    const { users, groups, roles } = attachmentsOf(state, policy.arn);
    const entities = [
      ...(filter === undefined || filter === 'Group' ? byName(groups).filter(prefix).map((g) => ({ kind: 'Group', name: g.name, id: g.id })) : []),
      ...(filter === undefined || filter === 'User' ? byName(users).filter(prefix).map((u) => ({ kind: 'User', name: u.name, id: u.id })) : []),
      ...(filter === undefined || filter === 'Role' ? byName(roles).filter(prefix).map((r) => ({ kind: 'Role', name: r.name, id: r.id })) : []),
    ];
    const page = paginate(ctx, entities);
    const of = (kind: string) => page.items.filter((e) => e.kind === kind);
    return {
      result: {
        PolicyGroups: members(of('Group').map((e) => ({ GroupName: e.name, GroupId: e.id }))),
        PolicyUsers: members(of('User').map((e) => ({ UserName: e.name, UserId: e.id }))),
        PolicyRoles: members(of('Role').map((e) => ({ RoleName: e.name, RoleId: e.id }))),
        ...page.fields,
      },
    };
  },

  ...attachHandlers('User'),
  ...attachHandlers('Role'),
  ...attachHandlers('Group'),
};
