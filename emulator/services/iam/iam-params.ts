import type { RequestContext } from '../../pipeline/context.ts';
import { invalidInput, validationError } from './iam-errors.ts';

/**
 * Reading and validating query-protocol parameters. The SDK does not check
 * constraints client-side, so the service must, with AWS's messages: the member
 * name in the message is the camel-cased parameter name (UserName -> userName).
 */
const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(?:\/|\/[\u0021-\u007E]+\/)$/;

function memberName(parameter: string): string {
  return parameter[0]!.toLowerCase() + parameter.slice(1);
}

export function optionalParam(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.form?.get(name);
  return value === null ? undefined : value;
}

export function requiredParam(ctx: RequestContext, name: string): string {
  const value = optionalParam(ctx, name);
  if (value === undefined) {
    throw validationError(`Value null at '${memberName(name)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function checkLength(name: string, value: string, min: number, max: number): void {
  if (value.length < min) {
    throw validationError(`Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
  }
  if (value.length > max) {
    throw validationError(`Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
}

/** User, group, role, policy and MFA device names: [\w+=,.@-]+ within a length limit. */
export function entityName(ctx: RequestContext, parameter: string, max: number): string {
  const value = requiredParam(ctx, parameter);
  checkEntityName(parameter, value, max);
  return value;
}

export function checkEntityName(parameter: string, value: string, max: number): void {
  checkLength(parameter, value, 1, max);
  if (!NAME_PATTERN.test(value)) {
    throw validationError(`Value '${value}' at '${memberName(parameter)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
  }
}

export function entityPath(ctx: RequestContext, parameter = 'Path'): string {
  const value = optionalParam(ctx, parameter) ?? '/';
  checkLength(parameter, value, 1, 512);
  if (!PATH_PATTERN.test(value)) {
    throw validationError(`Value '${value}' at '${memberName(parameter)}' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)`);
  }
  return value;
}

export function integerParam(ctx: RequestContext, name: string, min: number, max: number): number | undefined {
  const text = optionalParam(ctx, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw validationError(`Value '${text}' at '${memberName(name)}' failed to satisfy constraint: Member must be an integer`);
  if (value < min) throw validationError(`Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError(`Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return value;
}

export function booleanParam(ctx: RequestContext, name: string): boolean | undefined {
  const text = optionalParam(ctx, name);
  if (text === undefined) return undefined;
  return text.toLowerCase() === 'true';
}

/** Query lists arrive as Name.member.1, Name.member.2 ... */
export function listParam(ctx: RequestContext, name: string): string[] {
  const out: string[] = [];
  for (let index = 1; ; index += 1) {
    const value = ctx.form?.get(`${name}.member.${index}`);
    if (value === null || value === undefined) return out;
    out.push(value);
  }
}

/** Policy ARNs: the SDK sends them as given, so a malformed one must be refused here. */
export function policyArnParam(ctx: RequestContext, name = 'PolicyArn'): string {
  const value = requiredParam(ctx, name);
  checkLength(name, value, 20, 2048);
  if (!/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\//.test(value)) {
    throw invalidInput(`ARN ${value} is not valid.`);
  }
  return value;
}
