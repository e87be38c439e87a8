import { uniqueId } from '../../core/ids.ts';
import { deleteConflict, entityAlreadyExists, validationError } from './iam-errors.ts';
import { byName, findUser, pathFilter, type IamHandler } from './iam-lookup.ts';
import { checkEntityName, entityName, entityPath, optionalParam } from './iam-params.ts';
import { userShape } from './iam-shapes.ts';
import { entityKey, type IamAccountState, type IamUser } from './iam-state.ts';
import { members, paginate } from './pagination.ts';

export function createUser(state: IamAccountState, name: string, path: string, now: Date): IamUser {
  if (state.users.has(entityKey(name))) throw entityAlreadyExists(`User with name ${name} already exists.`);
  const user: IamUser = {
    name,
    path,
    id: uniqueId('AIDA'),
    arn: `arn:aws:iam::${state.accountId}:user${path}${name}`,
    createDate: now,
    inlinePolicies: new Map(),
    attachedPolicies: new Set(),
    groups: new Set(),
    accessKeys: new Map(),
    mfaDevices: new Set(),
    tags: [],
  };
  state.users.set(entityKey(name), user);
  return user;
}

/**
 * UpdateUser: a new name or path changes the ARN; the user keeps its id, groups, keys,
 * MFA devices and policies, which follow it (IAM API Reference, UpdateUser).
 */
function renameUser(state: IamAccountState, user: IamUser, name: string, path: string): void {
  const oldKey = entityKey(user.name);
  state.users.delete(oldKey);
  user.name = name;
  user.path = path;
  user.arn = `arn:aws:iam::${state.accountId}:user${path}${name}`;
  state.users.set(entityKey(name), user);
  for (const group of state.groups.values()) {
    if (group.members.delete(oldKey)) group.members.add(entityKey(name));
  }
  for (const device of state.mfaDevices.values()) if (device.user === oldKey) device.user = entityKey(name);
  for (const key of user.accessKeys.values()) Object.assign(key.record.caller, { name, arn: user.arn });
}

/** GetUser describes a user with its tags (ListUsers does not). */
function withTags(user: IamUser): Record<string, unknown> {
  return { ...userShape(user), ...(user.tags.length > 0 ? { Tags: members(user.tags) } : {}) };
}

export const USER_HANDLERS: Record<string, IamHandler> = {
  CreateUser: (ctx, state) => {
    const name = entityName(ctx, 'UserName', 64);
    const user = createUser(state, name, entityPath(ctx), ctx.store.clock.now());
    return { result: { User: userShape(user) } };
  },

  GetUser: (ctx, state) => {
    const name = optionalParam(ctx, 'UserName');
    if (name !== undefined) return { result: { User: withTags(findUser(state, name)) } };
    // Without a name, GetUser describes the caller: an IAM user, or the account root.
    if (ctx.caller.kind === 'user' && ctx.caller.name) return { result: { User: withTags(findUser(state, ctx.caller.name)) } };
    if (ctx.caller.kind === 'root') {
      return { result: { User: { Path: '/', UserId: ctx.caller.accountId, Arn: ctx.caller.arn, CreateDate: new Date(0).toISOString() } } };
    }
    throw validationError('Must specify userName when calling with non-User credentials');
  },

  UpdateUser: (ctx, state) => {
    const user = findUser(state, entityName(ctx, 'UserName', 128));
    const newName = optionalParam(ctx, 'NewUserName');
    const newPath = optionalParam(ctx, 'NewPath') !== undefined ? entityPath(ctx, 'NewPath') : user.path;
    if (newName !== undefined) {
      checkEntityName('NewUserName', newName, 64);
      const taken = state.users.get(entityKey(newName));
      if (taken && taken !== user) throw entityAlreadyExists(`User with name ${newName} already exists.`);
    }
    renameUser(state, user, newName ?? user.name, newPath);
    return {};
  },

  ListUsers: (ctx, state) => {
    const all = byName(state.users.values()).filter(pathFilter(optionalParam(ctx, 'PathPrefix')));
    const page = paginate(ctx, all);
    return { result: { Users: members(page.items.map(userShape)), ...page.fields } };
  },

  DeleteUser: (ctx, state) => {
    const user = findUser(state, entityName(ctx, 'UserName', 128));
    // AWS refuses to delete a user that still has dependent objects, naming the first kind found.
    if (user.accessKeys.size > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
    if (user.inlinePolicies.size > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (user.attachedPolicies.size > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (user.groups.size > 0) throw deleteConflict('Cannot delete entity, must remove user from all groups first.');
    if (user.mfaDevices.size > 0) throw deleteConflict('Cannot delete entity, must delete MFA device first.');
    state.users.delete(entityKey(user.name));
    return {};
  },
};
