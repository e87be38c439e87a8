import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { acceptCode } from '../iam/mfa-devices.ts';
import { validationError } from '../iam/iam-errors.ts';
import { integerParam, optionalParam } from '../iam/iam-params.ts';
import { accountState, entityKey } from '../iam/iam-state.ts';
import { credentialsShape, issueSession } from './session-credentials.ts';

/** Users may ask for 15 minutes to 36 hours (default 12); the account root for at most an hour. */
const USER_LIMITS = { max: 129600, fallback: 43200 };
const ROOT_LIMITS = { max: 3600, fallback: 3600 };

function mfaDenied(message: string): ServiceError {
  return new ServiceError('AccessDenied', message, 403);
}

/** With SerialNumber and TokenCode, the code must be the current TOTP of the user's enabled device. */
function checkMfa(ctx: RequestContext): boolean {
  const serial = optionalParam(ctx, 'SerialNumber');
  const code = optionalParam(ctx, 'TokenCode');
  if (serial === undefined && code === undefined) return false;
  if (serial === undefined || code === undefined) {
    throw mfaDenied('MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.');
  }
  if (!/^\d{6}$/.test(code)) {
    throw validationError(`Value '${code}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*`);
  }
  const device = accountState(ctx.store, ctx.caller.accountId).mfaDevices.get(serial);
  const userKey = ctx.caller.name ? entityKey(ctx.caller.name) : undefined;
  if (!device || device.user === undefined || device.user !== userKey) {
    throw mfaDenied('MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.');
  }
  if (!acceptCode(device, code, ctx.store.clock.nowMs())) {
    throw mfaDenied('MultiFactorAuthentication failed with invalid MFA one time pass code. ');
  }
  return true;
}

export function getSessionToken(ctx: RequestContext): ServiceResponse {
  const caller = ctx.caller;
  if (caller.kind === 'assumed-role' || ctx.credential?.sessionToken !== undefined) {
    throw new ServiceError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  }
  const limits = caller.kind === 'root' ? ROOT_LIMITS : USER_LIMITS;
  const duration = integerParam(ctx, 'DurationSeconds', 900, limits.max) ?? limits.fallback;
  const mfa = checkMfa(ctx);
  const { accessKeyId: _longTermKey, ...identity } = caller;
  const record = issueSession(ctx.store, identity, duration, mfa);
  return { result: { Credentials: credentialsShape(record) } };
}
