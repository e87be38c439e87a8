import { uniqueId } from '../../core/ids.ts';
import { deleteConflict, entityAlreadyExists, validationError } from './iam-errors.ts';
import { byName, findUser, pathFilter, type IamHandler } from './iam-lookup.ts';
import { entityName, entityPath, optionalParam } from './iam-params.ts';
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
  };
  state.users.set(entityKey(name), user);
  return user;
}

export const USER_HANDLERS: Record<string, IamHandler> = {
  CreateUser: (ctx, state) => {
    const name = entityName(ctx, 'UserName', 64);
    const user = createUser(state, name, entityPath(ctx), ctx.store.clock.now());
    return { result: { User: userShape(user) } };
  },

  GetUser: (ctx, state) => {
    const name = optionalParam(ctx, 'UserName');
    if (name !== undefined) return { result: { User: userShape(findUser(state, name)) } };
    // Without a name, GetUser describes the caller: an IAM user, or the account root.
    if (ctx.caller.kind === 'user' && ctx.caller.name) return { result: { User: userShape(findUser(state, ctx.caller.name)) } };
    if (ctx.caller.kind === 'root') {
      return { result: { User: { Path: '/', UserId: ctx.caller.accountId, Arn: ctx.caller.arn, CreateDate: new Date(0).toISOString() } } };
    }
    throw validationError('Must specify userName when calling with non-User credentials');
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
