import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext } from '../../pipeline/context.ts';

/** STS constraint failures, in the Coral wording AWS uses. */
export function stsValidationError(detail: string): ServiceError {
  return new ServiceError('ValidationError', `1 validation error detected: ${detail}`, 400);
}

export function param(ctx: RequestContext, name: string): string | undefined {
  return ctx.form?.get(name) ?? undefined;
}

export function required(ctx: RequestContext, name: string, member: string): string {
  const value = param(ctx, name);
  if (value === undefined) throw stsValidationError(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function durationSeconds(ctx: RequestContext, min: number, max: number): number | undefined {
  const text = param(ctx, 'DurationSeconds');
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw stsValidationError(`Value '${text}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`);
  if (value < min) throw stsValidationError(`Value '${value}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (value > max) throw stsValidationError(`Value '${value}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return value;
}

/** RoleSessionName: 2 to 64 characters of [\w+=,.@-]. */
export function roleSessionName(ctx: RequestContext): string {
  const name = required(ctx, 'RoleSessionName', 'roleSessionName');
  if (name.length < 2) throw stsValidationError(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2`);
  if (name.length > 64) throw stsValidationError(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
  if (!/^[\w+=,.@-]*$/.test(name)) {
    throw stsValidationError(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  return name;
}
