import type { Caller, CredentialRecord } from '../../core/identity.ts';
import { accessKeyId, secretAccessKey } from '../../core/ids.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { limitExceeded, noSuchEntity, validationError } from './iam-errors.ts';
import { findUser, type IamHandler } from './iam-lookup.ts';
import { checkEntityName, optionalParam, requiredParam } from './iam-params.ts';
import { iso } from './iam-shapes.ts';
import type { AccessKey, IamAccountState, IamUser } from './iam-state.ts';
import { members, paginate } from './pagination.ts';

const MAX_KEYS_PER_USER = 2;

export function userCaller(user: IamUser, accountId: string, key?: string): Caller {
  return { kind: 'user', accountId, arn: user.arn, userId: user.id, name: user.name, accessKeyId: key };
}

/** A new long-term key, registered with authenticate's credential registry so it signs requests at once. */
export function createAccessKey(ctx: RequestContext, state: IamAccountState, user: IamUser): AccessKey {
  if (user.accessKeys.size >= MAX_KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`);
  const id = accessKeyId(false);
  const record: CredentialRecord = {
    accessKeyId: id,
    secretAccessKey: secretAccessKey(),
    status: 'Active',
    caller: userCaller(user, state.accountId, id),
  };
  const key = { record, createDate: ctx.store.clock.now() };
  user.accessKeys.set(id, key);
  ctx.store.credentials.add(record);
  return key;
}

/** UserName, or the calling IAM user when it is omitted (as the CLI's `iam create-access-key` does). */
function targetUser(ctx: RequestContext, state: IamAccountState): IamUser {
  const name = optionalParam(ctx, 'UserName');
  if (name !== undefined) {
    checkEntityName('UserName', name, 128);
    return findUser(state, name);
  }
  if (ctx.caller.kind === 'user' && ctx.caller.name) return findUser(state, ctx.caller.name);
  throw validationError('Must specify userName when calling with non-User credentials');
}

function findKey(user: IamUser, id: string): AccessKey {
  const key = user.accessKeys.get(id);
  if (!key) throw noSuchEntity(`The Access Key with id ${id} cannot be found`);
  return key;
}

function metadata(user: IamUser, key: AccessKey): Record<string, unknown> {
  return { UserName: user.name, AccessKeyId: key.record.accessKeyId, Status: key.record.status, CreateDate: iso(key.createDate) };
}

export const ACCESS_KEY_HANDLERS: Record<string, IamHandler> = {
  CreateAccessKey: (ctx, state) => {
    const user = targetUser(ctx, state);
    const key = createAccessKey(ctx, state, user);
    return { result: { AccessKey: { ...metadata(user, key), SecretAccessKey: key.record.secretAccessKey } } };
  },

  ListAccessKeys: (ctx, state) => {
    const user = targetUser(ctx, state);
    const page = paginate(ctx, [...user.accessKeys.values()]);
    return { result: { AccessKeyMetadata: members(page.items.map((key) => metadata(user, key))), ...page.fields } };
  },

  UpdateAccessKey: (ctx, state) => {
    const user = targetUser(ctx, state);
    const key = findKey(user, requiredParam(ctx, 'AccessKeyId'));
    const status = requiredParam(ctx, 'Status');
    if (status !== 'Active' && status !== 'Inactive') {
      throw validationError(`Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
    }
    // The registry holds this same record: authenticate sees the new status on the next request.
    key.record.status = status;
    return {};
  },

  GetAccessKeyLastUsed: (ctx, state) => {
    const id = requiredParam(ctx, 'AccessKeyId');
    const owner = [...state.users.values()].find((user) => user.accessKeys.has(id));
    // AWS answers AccessDenied, not NoSuchEntity, for a key the account does not have.
    if (!owner) throw new ServiceError('AccessDenied', `The access key ${id} does not belong to this account.`, 403);
    // The last request signed with the key, from the emulator's request log; N/A when never used (IAM API Reference, AccessKeyLastUsed).
    const last = ctx.store.log.list().filter((entry) => entry.accessKeyId === id && entry.requestId !== ctx.requestId).at(-1);
    return {
      result: {
        UserName: owner.name,
        AccessKeyLastUsed: last
          ? { LastUsedDate: last.time, ServiceName: last.service, Region: last.region ?? 'us-east-1' }
          : { ServiceName: 'N/A', Region: 'N/A' },
      },
    };
  },

  DeleteAccessKey: (ctx, state) => {
    const user = targetUser(ctx, state);
    const key = findKey(user, requiredParam(ctx, 'AccessKeyId'));
    user.accessKeys.delete(key.record.accessKeyId);
    ctx.store.credentials.remove(key.record.accessKeyId);
    return {};
  },
};
