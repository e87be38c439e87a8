import { checkPolicyDocument, policySize } from '../../authz/policy-documents.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { POLICY_SIZE_LIMITS } from '../../policy/validate.ts';
import { limitExceeded, noSuchEntity } from './iam-errors.ts';
import { findGroup, findRole, findUser, type IamHandler } from './iam-lookup.ts';
import { entityName, requiredParam } from './iam-params.ts';
import { encodeDocument } from './iam-shapes.ts';
import type { IamAccountState } from './iam-state.ts';
import { members, paginate } from './pagination.ts';

type Kind = 'User' | 'Role' | 'Group';

/** Inline policies count against an aggregate quota per entity, whitespace excluded. */
const AGGREGATE_QUOTA: Record<Kind, number> = {
  User: POLICY_SIZE_LIMITS['iam-inline-user'],
  Role: POLICY_SIZE_LIMITS['iam-inline-role'],
  Group: POLICY_SIZE_LIMITS['iam-inline-group'],
};

interface InlineOwner {
  name: string;
  inlinePolicies: Map<string, string>;
}

function owner(kind: Kind, ctx: RequestContext, state: IamAccountState): InlineOwner {
  if (kind === 'User') return findUser(state, entityName(ctx, 'UserName', 128));
  if (kind === 'Role') return findRole(state, entityName(ctx, 'RoleName', 64));
  return findGroup(state, entityName(ctx, 'GroupName', 128));
}

function findInline(kind: Kind, entity: InlineOwner, policyName: string): string {
  const document = entity.inlinePolicies.get(policyName);
  if (document === undefined) throw noSuchEntity(`The ${kind.toLowerCase()} policy with name ${policyName} cannot be found.`);
  return document;
}

function inlineHandlers(kind: Kind): Record<string, IamHandler> {
  return {
    [`Put${kind}Policy`]: (ctx, state) => {
      const entity = owner(kind, ctx, state);
      const policyName = entityName(ctx, 'PolicyName', 128);
      const document = requiredParam(ctx, 'PolicyDocument');
      checkPolicyDocument(document, 'identity');
      let total = policySize(document);
      for (const [name, other] of entity.inlinePolicies) if (name !== policyName) total += policySize(other);
      if (total > AGGREGATE_QUOTA[kind]) {
        throw limitExceeded(`Maximum policy size of ${AGGREGATE_QUOTA[kind]} bytes exceeded for ${kind.toLowerCase()} ${entity.name}`);
      }
      entity.inlinePolicies.set(policyName, document);
      return {};
    },
    [`Get${kind}Policy`]: (ctx, state) => {
      const entity = owner(kind, ctx, state);
      const policyName = entityName(ctx, 'PolicyName', 128);
      const document = findInline(kind, entity, policyName);
      return { result: { [`${kind}Name`]: entity.name, PolicyName: policyName, PolicyDocument: encodeDocument(document) } };
    },
    [`List${kind}Policies`]: (ctx, state) => {
      const entity = owner(kind, ctx, state);
      const page = paginate(ctx, [...entity.inlinePolicies.keys()].sort());
      return { result: { PolicyNames: members(page.items), ...page.fields } };
    },
    [`Delete${kind}Policy`]: (ctx, state) => {
      const entity = owner(kind, ctx, state);
      const policyName = entityName(ctx, 'PolicyName', 128);
      findInline(kind, entity, policyName);
      entity.inlinePolicies.delete(policyName);
      return {};
    },
  };
}

export const INLINE_POLICY_HANDLERS: Record<string, IamHandler> = {
  ...inlineHandlers('User'),
  ...inlineHandlers('Role'),
  ...inlineHandlers('Group'),
};
