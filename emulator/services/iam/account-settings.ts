import { entityAlreadyExists, noSuchEntity, validationError } from './iam-errors.ts';
import type { IamHandler } from './iam-lookup.ts';
import { booleanParam, integerParam, requiredParam } from './iam-params.ts';
import { members } from './pagination.ts';

/**
 * Account-wide IAM settings: the password policy (absent until set: GetAccountPasswordPolicy
 * answers 404 NoSuchEntity, as on a new AWS account) and the account alias.
 */
const BOOLEAN_SETTINGS = ['RequireSymbols', 'RequireNumbers', 'RequireUppercaseCharacters', 'RequireLowercaseCharacters', 'AllowUsersToChangePassword', 'HardExpiry'];

export const ACCOUNT_SETTINGS_HANDLERS: Record<string, IamHandler> = {
  UpdateAccountPasswordPolicy: (ctx, state) => {
    // Every setting left out takes its default, as on AWS: UpdateAccountPasswordPolicy replaces the policy.
    const minimum = integerParam(ctx, 'MinimumPasswordLength', 6, 128) ?? 6;
    const maxAge = integerParam(ctx, 'MaxPasswordAge', 1, 1095);
    const reuse = integerParam(ctx, 'PasswordReusePrevention', 1, 24);
    const policy: Record<string, unknown> = { MinimumPasswordLength: minimum };
    for (const name of BOOLEAN_SETTINGS) policy[name] = booleanParam(ctx, name) ?? false;
    policy.ExpirePasswords = maxAge !== undefined;
    if (maxAge !== undefined) policy.MaxPasswordAge = maxAge;
    if (reuse !== undefined) policy.PasswordReusePrevention = reuse;
    state.passwordPolicy = policy;
    return {};
  },
  GetAccountPasswordPolicy: (_ctx, state) => {
    if (!state.passwordPolicy) throw noSuchEntity(`The Password Policy with domain name ${state.accountId} cannot be found.`);
    return { result: { PasswordPolicy: state.passwordPolicy } };
  },
  DeleteAccountPasswordPolicy: (_ctx, state) => {
    if (!state.passwordPolicy) throw noSuchEntity(`The account policy with name PasswordPolicy cannot be found.`);
    state.passwordPolicy = undefined;
    return {};
  },
  CreateAccountAlias: (ctx, state) => {
    const alias = requiredParam(ctx, 'AccountAlias');
    if (!/^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(alias)) {
      throw validationError(`Value '${alias}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`);
    }
    if (state.aliases.includes(alias)) return {};
    // An account has one alias; AWS answers EntityAlreadyExists for a second one.
    if (state.aliases.length > 0) throw entityAlreadyExists(`The account alias ${alias} already exists.`);
    state.aliases = [alias];
    return {};
  },
  DeleteAccountAlias: (ctx, state) => {
    const alias = requiredParam(ctx, 'AccountAlias');
    if (!state.aliases.includes(alias)) throw noSuchEntity(`The account alias ${alias} cannot be found.`);
    state.aliases = [];
    return {};
  },
  ListAccountAliases: (_ctx, state) => ({ result: { AccountAliases: members(state.aliases), IsTruncated: false } }),
};
