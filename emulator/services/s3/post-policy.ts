import { ServiceError } from '../../core/service-error.ts';

/**
 * The POST policy of a browser-based upload (S3 User Guide, "Creating a POST policy";
 * S3 API Reference, "Browser-Based Uploads Using POST (AWS Signature Version 4)"): a
 * base64 JSON document with an `expiration` and `conditions` that every form field must
 * meet. S3 refuses a violated condition with 403 AccessDenied "Invalid according to
 * Policy: ...", and a file outside content-length-range with 400 EntityTooLarge or
 * EntityTooSmall.
 */
export interface PostPolicy {
  expiration: Date;
  conditions: Condition[];
}

type Condition =
  | { kind: 'eq'; field: string; value: string; text: string }
  | { kind: 'starts-with'; field: string; prefix: string; text: string }
  | { kind: 'content-length-range'; min: number; max: number };

/** Form fields no condition needs to name: the signature, the file, the policy itself and x-ignore-*. */
const EXEMPT_FIELDS = new Set(['x-amz-signature', 'file', 'policy']);

export function parsePostPolicy(encoded: string): PostPolicy {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = document as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  const expiresAt = typeof expiration === 'string' ? new Date(expiration) : new Date(NaN);
  if (Number.isNaN(expiresAt.getTime())) throw invalidPolicy(`Invalid 'expiration' value: '${String(expiration)}'`);
  if (conditions === undefined) throw invalidPolicy('Policy missing conditions.');
  if (!Array.isArray(conditions)) throw invalidPolicy("'conditions' must be a list.");
  return { expiration: expiresAt, conditions: conditions.flatMap(parseCondition) };
}

function parseCondition(condition: unknown): Condition[] {
  if (Array.isArray(condition)) {
    const [operator, first, second] = condition as unknown[];
    const op = String(operator).toLowerCase();
    if (op === 'content-length-range') {
      const min = Number(first);
      const max = Number(second);
      if (condition.length !== 3 || !Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
        throw invalidPolicy(`Invalid content-length-range condition: ${JSON.stringify(condition)}`);
      }
      return [{ kind: 'content-length-range', min, max }];
    }
    if ((op === 'eq' || op === 'starts-with') && condition.length === 3 && typeof first === 'string' && first.startsWith('$') && typeof second === 'string') {
      const field = first.slice(1).toLowerCase();
      const text = JSON.stringify(condition).replace(/","/g, '", "');
      return [op === 'eq' ? { kind: 'eq', field, value: second, text } : { kind: 'starts-with', field, prefix: second, text }];
    }
    throw invalidPolicy(`Invalid condition: ${JSON.stringify(condition)}`);
  }
  if (typeof condition === 'object' && condition !== null) {
    return Object.entries(condition).map(([name, value]) => {
      if (typeof value !== 'string') throw invalidPolicy(`Invalid condition: ${JSON.stringify(condition)}`);
      // S3 reports an exact-match condition in its eq form.
      return { kind: 'eq' as const, field: name.toLowerCase(), value, text: `["eq", "$${name}", ${JSON.stringify(value)}]` };
    });
  }
  throw invalidPolicy(`Invalid condition: ${JSON.stringify(condition)}`);
}

/**
 * Checks the form against the policy: not expired, every field named by a condition
 * (else "Extra input fields"), every condition met, the file's size within range.
 * `fields` has lower-cased names and the bucket under `bucket` (it comes from the URL).
 */
export function checkPostPolicy(policy: PostPolicy, fields: Map<string, string>, fileSize: number, now: Date): void {
  if (now.getTime() > policy.expiration.getTime()) throw policyDenied('Policy expired.');

  const named = new Set(policy.conditions.flatMap((c) => (c.kind === 'content-length-range' ? [] : [c.field])));
  const extra = [...fields.keys()].filter((name) => !EXEMPT_FIELDS.has(name) && !name.startsWith('x-ignore-') && name !== 'bucket' && !named.has(name));
  if (extra.length > 0) throw policyDenied(`Extra input fields: ${extra.join(', ')}`);

  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') {
      if (fileSize > condition.max) {
        throw new ServiceError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
          ProposedSize: String(fileSize),
          MaxSizeAllowed: String(condition.max),
        });
      }
      if (fileSize < condition.min) {
        throw new ServiceError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, {
          ProposedSize: String(fileSize),
          MinSizeAllowed: String(condition.min),
        });
      }
      continue;
    }
    const value = fields.get(condition.field) ?? '';
    if (!meets(condition, value)) throw policyDenied(`Policy Condition failed: ${condition.text}`);
  }
}

function meets(condition: Exclude<Condition, { kind: 'content-length-range' }>, value: string): boolean {
  if (condition.kind === 'eq') return value === condition.value;
  // Content-Type may list several types; each must start with the prefix (User Guide, "Condition matching").
  if (condition.field === 'content-type') return value.split(',').every((part) => part.trim().startsWith(condition.prefix));
  return value.startsWith(condition.prefix);
}

function policyDenied(reason: string): ServiceError {
  return new ServiceError('AccessDenied', `Invalid according to Policy: ${reason}`, 403);
}

function invalidPolicy(reason: string): ServiceError {
  return new ServiceError('InvalidPolicyDocument', `Invalid Policy: ${reason}`, 400);
}
