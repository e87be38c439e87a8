import type { RequestContext } from '../../pipeline/context.ts';
import { invalidInput, limitExceeded, validationError } from './iam-errors.ts';
import { findRole, findUser, type IamHandler } from './iam-lookup.ts';
import { entityName, listParam, optionalParam } from './iam-params.ts';
import type { IamTag } from './iam-state.ts';
import { members, paginate } from './pagination.ts';

/** IAM allows 50 tags on a user or role (IAM User Guide, "Tagging IAM resources"). */
const MAX_TAGS = 50;

/** Tags.member.N.Key / Tags.member.N.Value, checked as IAM checks them. */
export function tagsParam(ctx: RequestContext): IamTag[] {
  const tags: IamTag[] = [];
  for (let index = 1; ; index += 1) {
    const key = optionalParam(ctx, `Tags.member.${index}.Key`);
    if (key === undefined) break;
    const value = optionalParam(ctx, `Tags.member.${index}.Value`) ?? '';
    if (key.length < 1 || key.length > 128) throw validationError(`Value '${key}' at 'tags.${index}.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`);
    if (value.length > 256) throw validationError(`Value '${value}' at 'tags.${index}.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
    if (key.toLowerCase().startsWith('aws:')) throw invalidInput('User-defined tag keys can\'t start with "aws:". This prefix is reserved for AWS tags.');
    tags.push({ Key: key, Value: value });
  }
  const keys = tags.map((tag) => tag.Key.toLowerCase());
  if (new Set(keys).size !== keys.length) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  return tags;
}

/** Adds or replaces tags; keys compare case-insensitively, the new spelling wins. */
export function mergeTags(existing: IamTag[], added: IamTag[]): IamTag[] {
  const merged = existing.filter((tag) => !added.some((a) => a.Key.toLowerCase() === tag.Key.toLowerCase())).concat(added);
  if (merged.length > MAX_TAGS) throw limitExceeded(`The number of tags has reached the maximum limit of ${MAX_TAGS}.`);
  return merged;
}

function withoutKeys(existing: IamTag[], keys: string[]): IamTag[] {
  const lower = new Set(keys.map((key) => key.toLowerCase()));
  return existing.filter((tag) => !lower.has(tag.Key.toLowerCase()));
}

export const TAG_HANDLERS: Record<string, IamHandler> = {
  TagUser: (ctx, state) => {
    const user = findUser(state, entityName(ctx, 'UserName', 128));
    user.tags = mergeTags(user.tags, tagsParam(ctx));
    return {};
  },
  UntagUser: (ctx, state) => {
    const user = findUser(state, entityName(ctx, 'UserName', 128));
    user.tags = withoutKeys(user.tags, listParam(ctx, 'TagKeys'));
    return {};
  },
  ListUserTags: (ctx, state) => {
    const user = findUser(state, entityName(ctx, 'UserName', 128));
    const page = paginate(ctx, user.tags);
    return { result: { Tags: members(page.items), ...page.fields } };
  },
  TagRole: (ctx, state) => {
    const role = findRole(state, entityName(ctx, 'RoleName', 64));
    role.tags = mergeTags(role.tags, tagsParam(ctx));
    return {};
  },
  UntagRole: (ctx, state) => {
    const role = findRole(state, entityName(ctx, 'RoleName', 64));
    role.tags = withoutKeys(role.tags, listParam(ctx, 'TagKeys'));
    return {};
  },
  ListRoleTags: (ctx, state) => {
    const role = findRole(state, entityName(ctx, 'RoleName', 64));
    const page = paginate(ctx, role.tags);
    return { result: { Tags: members(page.items), ...page.fields } };
  },
};

/** Condition keys for tags: aws:ResourceTag/<key> of a resource, aws:PrincipalTag/<key> of a caller, aws:RequestTag/<key> of a request. */
export function tagConditions(prefix: 'aws:ResourceTag' | 'aws:PrincipalTag' | 'aws:RequestTag', tags: IamTag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [`${prefix}/${tag.Key}`, tag.Value]));
}
