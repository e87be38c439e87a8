import { ServiceError } from '../../core/service-error.ts';
import type { PolicyDocument } from '../../policy/types.ts';
import { POLICY_SIZE_LIMITS, PolicyValidationError, validatePolicy } from '../../policy/validate.ts';
import { wildcardMatch } from '../../policy/wildcard.ts';
import { KNOWN_S3_ACTIONS, resourceKindOf, type S3ResourceKind } from './s3-actions.ts';

const PRINCIPAL_TYPES = ['AWS', 'Service', 'CanonicalUser', 'Federated'];

/** What S3 accepts as a principal of type AWS: *, an account id, or an IAM/STS principal ARN. */
const AWS_PRINCIPAL = /^(\*|\d{12}|arn:aws:iam::\d{12}:(root|user\/.+|role\/.+|group\/.+)|arn:aws:sts::\d{12}:(assumed-role|federated-user)\/.+)$/;

/**
 * Parses and checks a bucket policy the way PutBucketPolicy does, failing with
 * 400 MalformedPolicy and AWS's message for the first problem found: first S3's own
 * checks (with S3's wording: principals, actions and resources of this bucket), then the
 * policy engine's grammar (condition operators, duplicate Sids ...).
 */
export function parseBucketPolicy(text: string, bucket: string): PolicyDocument {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > POLICY_SIZE_LIMITS['s3-bucket']) {
    throw malformedPolicy(`Policies must be no more than 20 KB. The supplied policy is ${size} bytes.`);
  }
  if (!text.trimStart().startsWith('{')) throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  const document = parsed as Record<string, unknown>;
  if (document.Statement === undefined) throw malformedPolicy('Missing required field Statement');
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  for (const statement of statements) checkStatement(statement, bucket);
  try {
    return validatePolicy(document, 'resource');
  } catch (error) {
    if (error instanceof PolicyValidationError) throw malformedPolicy(error.message);
    throw error;
  }
}

export function malformedPolicy(message: string): ServiceError {
  return new ServiceError('MalformedPolicy', message, 400);
}

function checkStatement(raw: unknown, bucket: string): void {
  // Not a statement at all: the engine's grammar check below reports it.
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
  const statement = raw as Record<string, unknown>;

  if (statement.Effect === undefined) throw malformedPolicy('Missing required field Effect');
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw malformedPolicy(`Invalid effect: ${String(statement.Effect)}`);

  const principal = statement.Principal ?? statement.NotPrincipal;
  if (principal === undefined) throw malformedPolicy('Missing required field Principal');
  checkPrincipal(principal);

  const actions = statement.Action ?? statement.NotAction;
  if (actions === undefined) throw malformedPolicy('Missing required field Action');
  const actionList = stringList(actions, 'Policy has invalid action');
  for (const action of actionList) {
    if (action !== '*' && !/^s3:[A-Za-z*?]+$/i.test(action)) throw malformedPolicy('Policy has invalid action');
  }

  const resources = statement.Resource ?? statement.NotResource;
  if (resources === undefined) throw malformedPolicy('Missing required field Resource');
  const resourceList = stringList(resources, 'Policy has invalid resource');
  const kinds = new Set<S3ResourceKind>();
  for (const resource of resourceList) for (const kind of resourceKinds(resource, bucket)) kinds.add(kind);

  // Only a plain Action/Resource pair can be checked: NotAction and NotResource name what is excluded.
  if (statement.Action !== undefined && statement.Resource !== undefined) {
    for (const action of actionList) {
      if (!actionKinds(action).some((kind) => kinds.has(kind))) {
        throw malformedPolicy('Action does not apply to any resource(s) in statement');
      }
    }
  }
}

function checkPrincipal(principal: unknown): void {
  if (principal === '*') return;
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) throw malformedPolicy('Invalid principal in policy');
  const entries = Object.entries(principal);
  if (entries.length === 0) throw malformedPolicy('Invalid principal in policy');
  for (const [type, value] of entries) {
    if (!PRINCIPAL_TYPES.includes(type)) throw malformedPolicy('Invalid principal in policy');
    for (const name of stringList(value, 'Invalid principal in policy')) {
      if (name === '' || (type === 'AWS' && !AWS_PRINCIPAL.test(name))) throw malformedPolicy('Invalid principal in policy');
    }
  }
}

/** What a Resource entry names in this bucket; anything outside it is refused. */
function resourceKinds(resource: string, bucket: string): S3ResourceKind[] {
  if (resource === '*') return ['bucket', 'object'];
  const prefix = 'arn:aws:s3:::';
  if (!resource.startsWith(prefix)) throw malformedPolicy('Policy has invalid resource');
  const rest = resource.slice(prefix.length);
  const slash = rest.indexOf('/');
  const bucketPart = slash === -1 ? rest : rest.slice(0, slash);
  // A bucket policy can only speak about its own bucket; `bucket*` would reach others.
  if (bucketPart !== bucket) throw malformedPolicy('Policy has invalid resource');
  return slash === -1 ? ['bucket'] : ['object'];
}

/** The resource kinds an action pattern may work on: the union over the actions it matches. */
function actionKinds(action: string): S3ResourceKind[] {
  if (action === '*') return ['bucket', 'object'];
  const name = action.slice(action.indexOf(':') + 1);
  if (!name.includes('*') && !name.includes('?')) return [resourceKindOf(name)];
  const matched = KNOWN_S3_ACTIONS.filter((known) => wildcardMatch(name, known, true));
  return [...new Set(matched.map(resourceKindOf))];
}

function stringList(value: unknown, message: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((item) => typeof item !== 'string')) throw malformedPolicy(message);
  return list as string[];
}
