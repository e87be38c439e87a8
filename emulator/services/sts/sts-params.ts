import type { RequestContext } from '../../pipeline/context.ts';
import { validationError } from '../iam/iam-errors.ts';
import { requiredParam } from '../iam/iam-params.ts';

/**
 * RoleSessionName: 2 to 64 characters of [\w+=,.@-]. The rest of STS's parameters are
 * read with iam-params (optionalParam, requiredParam, integerParam): the same query
 * protocol and the same Coral constraint wording.
 */
export function roleSessionName(ctx: RequestContext): string {
  const name = requiredParam(ctx, 'RoleSessionName');
  if (name.length < 2) throw validationError(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2`);
  if (name.length > 64) throw validationError(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
  if (!/^[\w+=,.@-]*$/.test(name)) {
    throw validationError(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  return name;
}
