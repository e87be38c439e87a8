import { notImplemented } from '../../core/service-error.ts';
import type { ServiceModule } from '../../pipeline/context.ts';
import { ACCESS_KEY_HANDLERS } from './access-keys.ts';
import { GROUP_HANDLERS } from './groups.ts';
import { iamAuthorization } from './iam-resources.ts';
import { callerState, type IamHandler } from './iam-lookup.ts';
import { applyIamSeed, dumpIam, seedIam } from './iam-seed.ts';
import { INLINE_POLICY_HANDLERS } from './inline-policies.ts';
import { MANAGED_POLICY_HANDLERS } from './managed-policies.ts';
import { MFA_HANDLERS } from './mfa-devices.ts';
import { ACCOUNT_SETTINGS_HANDLERS } from './account-settings.ts';
import { TAG_HANDLERS } from './tagging.ts';
import { IAM_OPERATIONS } from './iam-operations.ts';
import { ROLE_HANDLERS } from './roles.ts';
import { USER_HANDLERS } from './users.ts';

const HANDLERS: Record<string, IamHandler> = {
  ...USER_HANDLERS,
  ...GROUP_HANDLERS,
  ...ROLE_HANDLERS,
  ...MANAGED_POLICY_HANDLERS,
  ...INLINE_POLICY_HANDLERS,
  ...ACCESS_KEY_HANDLERS,
  ...MFA_HANDLERS,
  ...TAG_HANDLERS,
  ...ACCOUNT_SETTINGS_HANDLERS,
};

/** IAM over the query protocol. IAM is global: state is per account, whatever region the client names. */
export const iamService: ServiceModule = {
  name: 'iam',
  signingName: 'iam',
  protocol: 'query',

  resolveOperation(ctx) {
    const action = ctx.form?.get('Action') ?? '';
    if (!Object.hasOwn(HANDLERS, action)) throw notImplemented('IAM', action, IAM_OPERATIONS.has(action));
    return action;
  },

  authorization: iamAuthorization,

  async handle(ctx) {
    return HANDLERS[ctx.operation!]!(ctx, callerState(ctx));
  },

  seed: seedIam,
  applySeed: applyIamSeed,
  dump: dumpIam,
};
