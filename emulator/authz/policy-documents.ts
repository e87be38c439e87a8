import { PolicyValidationError, validatePolicy, type PolicyKind } from '../policy/evaluate.ts';
import type { PolicyDocument } from '../policy/types.ts';
import { ServiceError } from '../core/service-error.ts';

/**
 * Policy documents as IAM stores them: the JSON text the caller sent, checked once
 * on the way in (grammar by the policy engine, size by IAM's quotas) and parsed
 * again whenever a request is evaluated.
 *
 * IAM counts a document's size without whitespace. Quotas: managed policy 6,144;
 * a role trust policy 2,048; inline policies are counted per entity in aggregate.
 */

export function policySize(text: string): number {
  return text.replace(/\s+/g, '').length;
}

/** Throws MalformedPolicyDocument with the engine's explanation when the document is not a valid policy. */
export function checkPolicyDocument(text: string, kind: PolicyKind): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ServiceError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
  }
  try {
    return validatePolicy(parsed, kind);
  } catch (error) {
    if (error instanceof PolicyValidationError) throw new ServiceError('MalformedPolicyDocument', error.message, 400);
    throw error;
  }
}

/** A stored document back to its parsed form (stored documents were validated on the way in). */
export function parsePolicy(text: string): PolicyDocument {
  return JSON.parse(text) as PolicyDocument;
}
