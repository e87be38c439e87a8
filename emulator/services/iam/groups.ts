import { uniqueId } from '../../core/ids.ts';
import { deleteConflict, entityAlreadyExists } from './iam-errors.ts';
import { byName, findGroup, findUser, pathFilter, type IamHandler } from './iam-lookup.ts';
import { entityName, entityPath, optionalParam } from './iam-params.ts';
import { groupShape, userShape } from './iam-shapes.ts';
import { entityKey } from './iam-state.ts';
import { members, paginate } from './pagination.ts';

export const GROUP_HANDLERS: Record<string, IamHandler> = {
  CreateGroup: (ctx, state) => {
    const name = entityName(ctx, 'GroupName', 128);
    const path = entityPath(ctx);
    if (state.groups.has(entityKey(name))) throw entityAlreadyExists(`Group with name ${name} already exists.`);
    const group = {
      name,
      path,
      id: uniqueId('AGPA'),
      arn: `arn:aws:iam::${state.accountId}:group${path}${name}`,
      createDate: ctx.store.clock.now(),
      inlinePolicies: new Map<string, string>(),
      attachedPolicies: new Set<string>(),
      members: new Set<string>(),
    };
    state.groups.set(entityKey(name), group);
    return { result: { Group: groupShape(group) } };
  },

  GetGroup: (ctx, state) => {
    const group = findGroup(state, entityName(ctx, 'GroupName', 128));
    const users = byName([...group.members].map((key) => state.users.get(key)!));
    const page = paginate(ctx, users);
    return { result: { Group: groupShape(group), Users: members(page.items.map(userShape)), ...page.fields } };
  },

  ListGroups: (ctx, state) => {
    const all = byName(state.groups.values()).filter(pathFilter(optionalParam(ctx, 'PathPrefix')));
    const page = paginate(ctx, all);
    return { result: { Groups: members(page.items.map(groupShape)), ...page.fields } };
  },

  ListGroupsForUser: (ctx, state) => {
    const user = findUser(state, entityName(ctx, 'UserName', 128));
    const page = paginate(ctx, byName([...user.groups].map((key) => state.groups.get(key)!)));
    return { result: { Groups: members(page.items.map(groupShape)), ...page.fields } };
  },

  DeleteGroup: (ctx, state) => {
    const group = findGroup(state, entityName(ctx, 'GroupName', 128));
    if (group.members.size > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    if (group.inlinePolicies.size > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (group.attachedPolicies.size > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    state.groups.delete(entityKey(group.name));
    return {};
  },

  AddUserToGroup: (ctx, state) => {
    const group = findGroup(state, entityName(ctx, 'GroupName', 128));
    const user = findUser(state, entityName(ctx, 'UserName', 64));
    group.members.add(entityKey(user.name));
    user.groups.add(entityKey(group.name));
    return {};
  },

  RemoveUserFromGroup: (ctx, state) => {
    const group = findGroup(state, entityName(ctx, 'GroupName', 128));
    const user = findUser(state, entityName(ctx, 'UserName', 64));
    group.members.delete(entityKey(user.name));
    user.groups.delete(entityKey(group.name));
    return {};
  },
};
