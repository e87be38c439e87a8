import { parseOperator } from './conditions.ts';
import type { PolicyDocument } from './types.ts';

/**
 * Grammar checks for policy documents, with AWS's MalformedPolicyDocument message texts
 * (IAM answers these on CreatePolicy / PutUserPolicy / CreateRole; S3 maps the same
 * problems to MalformedPolicy). The engine itself never throws on a document that passed.
 */
export class PolicyValidationError extends Error {
  constructor(
    message: string,
    /** `too-large` is IAM's LimitExceeded / S3's policy-size error rather than a grammar error. */
    readonly reason: 'malformed' | 'too-large' = 'malformed',
  ) {
    super(message);
    this.name = 'PolicyValidationError';
  }
}

export type PolicyKind = 'identity' | 'resource' | 'trust';

const SYNTAX = 'Syntax errors in policy.';
const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function stringList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((item) => typeof item === 'string')) throw new PolicyValidationError(SYNTAX);
  return list as string[];
}

function checkActions(value: unknown): void {
  for (const action of stringList(value)) {
    if (action === '*') continue;
    const colons = action.split(':').length - 1;
    if (colons === 0) throw new PolicyValidationError('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    if (colons > 1) throw new PolicyValidationError('Actions/Condition can contain only one colon.');
  }
}

function checkPrincipal(value: unknown): void {
  if (value === '*') return;
  if (!isRecord(value) || Object.keys(value).length === 0) throw new PolicyValidationError('Invalid principal in policy');
  for (const [type, entries] of Object.entries(value)) {
    if (!PRINCIPAL_TYPES.has(type)) throw new PolicyValidationError('Invalid principal in policy');
    stringList(entries);
  }
}

function checkCondition(value: unknown): void {
  if (!isRecord(value)) throw new PolicyValidationError(SYNTAX);
  for (const [operator, keys] of Object.entries(value)) {
    if (!parseOperator(operator)) throw new PolicyValidationError(`Unknown condition operator: ${operator}.`);
    if (!isRecord(keys)) throw new PolicyValidationError(SYNTAX);
    for (const [key, values] of Object.entries(keys)) {
      if (!key.includes(':') && !key.includes('/')) {
        throw new PolicyValidationError('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
      }
      const list = Array.isArray(values) ? values : [values];
      if (!list.every((item) => ['string', 'number', 'boolean'].includes(typeof item))) throw new PolicyValidationError(SYNTAX);
    }
  }
}

function checkStatement(statement: unknown, kind: PolicyKind): void {
  if (!isRecord(statement)) throw new PolicyValidationError(SYNTAX);
  for (const key of Object.keys(statement)) if (!STATEMENT_KEYS.has(key)) throw new PolicyValidationError(SYNTAX);
  if (statement.Sid !== undefined && typeof statement.Sid !== 'string') throw new PolicyValidationError(SYNTAX);
  if (statement.Effect === undefined) throw new PolicyValidationError('Missing required field Effect');
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw new PolicyValidationError(`Invalid effect: ${String(statement.Effect)}`);

  const hasAction = statement.Action !== undefined;
  const hasNotAction = statement.NotAction !== undefined;
  if (hasAction && hasNotAction) throw new PolicyValidationError(SYNTAX);
  if (!hasAction && !hasNotAction) throw new PolicyValidationError('Policy statement must contain actions.');
  checkActions(hasAction ? statement.Action : statement.NotAction);

  if (statement.Resource !== undefined && statement.NotResource !== undefined) throw new PolicyValidationError(SYNTAX);
  const resources = statement.Resource ?? statement.NotResource;
  if (resources !== undefined) stringList(resources);

  const principal = statement.Principal ?? statement.NotPrincipal;
  if (statement.Principal !== undefined && statement.NotPrincipal !== undefined) throw new PolicyValidationError(SYNTAX);
  if (kind === 'identity') {
    if (principal !== undefined) throw new PolicyValidationError('Policy document should not specify a principal.');
    if (resources === undefined) throw new PolicyValidationError('Policy statement must contain resources.');
  } else {
    if (principal === undefined) throw new PolicyValidationError('Missing required field Principal');
    checkPrincipal(principal);
  }
  if (statement.Condition !== undefined) checkCondition(statement.Condition);
}

/** Checks a parsed policy document; returns it typed, or throws PolicyValidationError. */
export function validatePolicy(document: unknown, kind: PolicyKind): PolicyDocument {
  if (!isRecord(document)) throw new PolicyValidationError(SYNTAX);
  for (const key of Object.keys(document)) if (!TOP_LEVEL.has(key)) throw new PolicyValidationError(SYNTAX);
  const version = document.Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') {
    throw new PolicyValidationError('The policy failed legacy parsing');
  }
  if (document.Id !== undefined && typeof document.Id !== 'string') throw new PolicyValidationError(SYNTAX);
  const statements = document.Statement;
  if (statements === undefined) throw new PolicyValidationError(SYNTAX);
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) throw new PolicyValidationError(SYNTAX);
  const sids = new Set<string>();
  for (const statement of list) {
    checkStatement(statement, kind);
    const sid = (statement as { Sid?: string }).Sid;
    if (sid !== undefined && sid !== '') {
      if (sids.has(sid)) throw new PolicyValidationError('Statement IDs (SID) in a single policy must be unique.');
      sids.add(sid);
    }
  }
  return document as unknown as PolicyDocument;
}

/**
 * Size quotas. IAM counts characters without whitespace (managed policy 6,144; inline
 * policies of a user 2,048, of a role 10,240, of a group 5,120; role trust policy 2,048);
 * S3 allows a bucket policy of 20 KB.
 */
export const POLICY_SIZE_LIMITS = {
  'iam-managed': 6_144,
  'iam-inline-user': 2_048,
  'iam-inline-role': 10_240,
  'iam-inline-group': 5_120,
  'iam-trust': 2_048,
  's3-bucket': 20_480,
} as const;

export type PolicySizeLimit = keyof typeof POLICY_SIZE_LIMITS;

function sizeMessage(limit: PolicySizeLimit, size: number): string {
  const max = POLICY_SIZE_LIMITS[limit];
  if (limit === 's3-bucket') return `Policies must be no more than 20 KB. The supplied policy is ${size} bytes.`;
  if (limit === 'iam-managed') return `Cannot exceed quota for PolicySize: ${max}`;
  if (limit === 'iam-trust') return `Cannot exceed quota for ACLSizePerRole: ${max}`;
  return `Maximum policy size of ${max} bytes exceeded.`;
}

/**
 * Parses and validates a policy JSON text, enforcing the size quota of where it is stored.
 * IAM measures without whitespace, S3 the raw bytes.
 */
export function parsePolicyJson(text: string, kind: PolicyKind, limit: PolicySizeLimit): PolicyDocument {
  const size = limit === 's3-bucket' ? Buffer.byteLength(text, 'utf8') : text.replace(/\s+/g, '').length;
  if (size > POLICY_SIZE_LIMITS[limit]) throw new PolicyValidationError(sizeMessage(limit, size), 'too-large');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PolicyValidationError(SYNTAX);
  }
  return validatePolicy(parsed, kind);
}
