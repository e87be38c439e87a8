import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { AWS_MANAGED_POLICIES } from './aws-managed-policies.ts';
import { noSuchEntity } from './iam-errors.ts';
import { accountState, entityKey, type IamAccountState, type IamGroup, type IamRole, type IamUser, type ManagedPolicy } from './iam-state.ts';

/** One IAM operation: the caller's account state in, the `<OperationResult>` content out. */
export type IamHandler = (ctx: RequestContext, state: IamAccountState) => ServiceResponse | Promise<ServiceResponse>;

/** IAM acts on the caller's own account: there is no cross-account IAM API. */
export function callerState(ctx: RequestContext): IamAccountState {
  return accountState(ctx.store, ctx.caller.accountId);
}

export function findUser(state: IamAccountState, name: string): IamUser {
  const user = state.users.get(entityKey(name));
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

export function findGroup(state: IamAccountState, name: string): IamGroup {
  const group = state.groups.get(entityKey(name));
  if (!group) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return group;
}

export function findRole(state: IamAccountState, name: string): IamRole {
  const role = state.roles.get(entityKey(name));
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

/** A managed policy visible to this account: its own customer managed ones and every AWS managed one. */
export function lookupPolicy(state: IamAccountState, arn: string): ManagedPolicy | undefined {
  return state.policies.get(arn) ?? AWS_MANAGED_POLICIES.get(arn);
}

/** The document of a managed policy's default version: the one in force wherever the policy is attached or passed. */
export function defaultPolicyDocument(state: IamAccountState, arn: string): string | undefined {
  const policy = lookupPolicy(state, arn);
  return policy?.versions.find((v) => v.versionId === policy.defaultVersionId)?.document;
}

export function findPolicy(state: IamAccountState, arn: string): ManagedPolicy {
  const policy = lookupPolicy(state, arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
  return policy;
}

/** Entities of this account with the policy attached (AttachmentCount is per account). */
export function attachmentsOf(state: IamAccountState, arn: string): { users: IamUser[]; groups: IamGroup[]; roles: IamRole[] } {
  return {
    users: [...state.users.values()].filter((u) => u.attachedPolicies.has(arn)),
    groups: [...state.groups.values()].filter((g) => g.attachedPolicies.has(arn)),
    roles: [...state.roles.values()].filter((r) => r.attachedPolicies.has(arn)),
  };
}

export function attachmentCount(state: IamAccountState, arn: string): number {
  const { users, groups, roles } = attachmentsOf(state, arn);
  return users.length + groups.length + roles.length;
}

/** IAM lists come back sorted by name, case-insensitively. */
export function byName<T extends { name: string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
}

export function pathFilter(prefix: string | undefined): (item: { path: string }) => boolean {
  return (item) => prefix === undefined || item.path.startsWith(prefix);
}
