import type { PolicyDocument, Statement } from '../../policy/types.ts';

/**
 * Condition keys that, with fixed values, make an Allow to everyone non-public
 * (S3's "The meaning of public"): they tie the grant to a known network,
 * source resource, account or key.
 */
const RESTRICTING_KEYS = new Set([
  'aws:sourceip',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  'aws:userid',
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:principalarn',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
]);

/**
 * Whether S3 considers a bucket policy public: some Allow statement grants to everyone
 * (Principal "*", AWS "*", or NotPrincipal) without a condition that pins it to fixed
 * values of a restricting key. BlockPublicPolicy refuses such policies at
 * PutBucketPolicy; RestrictPublicBuckets ignores them for anonymous and cross-account readers.
 */
export function isPublicPolicy(policy: PolicyDocument): boolean {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return statements.some((statement) => statement.Effect === 'Allow' && grantsToEveryone(statement) && !restricted(statement));
}

function grantsToEveryone(statement: Statement): boolean {
  if (statement.NotPrincipal !== undefined) return true;
  const principal = statement.Principal;
  if (principal === undefined) return false;
  if (principal === '*') return true;
  return Object.values(principal).some((names) => (Array.isArray(names) ? names : [names]).some(hasWildcard));
}

function restricted(statement: Statement): boolean {
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    // A negated test, or one that passes when the key is missing, pins nothing down.
    if (/not|ifexists|null/i.test(operator)) continue;
    for (const [key, value] of Object.entries(block)) {
      if (!RESTRICTING_KEYS.has(key.toLowerCase())) continue;
      const values = (Array.isArray(value) ? value : [value]).map(String);
      if (values.length > 0 && values.every((v) => isFixedValue(key, v))) return true;
    }
  }
  return false;
}

function isFixedValue(key: string, value: string): boolean {
  if (hasWildcard(value) || value.includes('${')) return false;
  // An IP condition only restricts if it does not cover the whole address space.
  if (key.toLowerCase() === 'aws:sourceip') return !/\/0$/.test(value);
  return value !== '';
}

function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}
