import { randomBytes } from 'node:crypto';
import type { Store } from '../core/store.ts';
import type { ConditionValues, EvaluationResult } from '../policy/types.ts';
import type { Caller } from '../core/identity.ts';

/**
 * Encoded authorization failure messages, as STS DecodeAuthorizationMessage
 * understands them. AWS encrypts the details; here the encoded text is an opaque
 * random token and the details stay in the store (so a message decodes until the
 * next reset, and only in the account whose request was denied).
 */
interface StoredMessage {
  accountId: string;
  decoded: string;
}

function messages(store: Store): Map<string, StoredMessage> {
  return store.serviceState('authz-messages', () => new Map<string, StoredMessage>());
}

export interface DeniedRequest {
  caller: Caller;
  action: string;
  resource: string;
  context: Record<string, ConditionValues>;
  result: EvaluationResult;
}

/** AWS's decoded form: {allowed, explicitDeny, matchedStatements, failures, context}. */
function decodedDocument(denied: DeniedRequest): string {
  const { caller, result } = denied;
  return JSON.stringify({
    allowed: false,
    explicitDeny: result.decision === 'ExplicitDeny',
    matchedStatements: {
      items: result.decision === 'ExplicitDeny' && result.matchedStatement ? [{ statementId: result.matchedStatement, effect: 'DENY' }] : [],
    },
    failures: { items: [] },
    context: {
      principal: { id: caller.userId, ...(caller.name ? { name: caller.name } : {}), arn: caller.arn },
      action: denied.action,
      resource: denied.resource,
      conditions: {
        items: Object.entries(denied.context).map(([key, value]) => ({
          key,
          values: { items: (Array.isArray(value) ? value : [value]).map((v) => ({ value: v })) },
        })),
      },
    },
  });
}

/** Records a denial and returns the encoded message that names it. */
export function encodeAuthorizationMessage(store: Store, denied: DeniedRequest): string {
  // AWS's encoded messages are long base64-ish blobs; the length keeps tools that expect one happy.
  const token = randomBytes(96).toString('base64url');
  messages(store).set(token, { accountId: denied.caller.accountId, decoded: decodedDocument(denied) });
  return token;
}

/** The decoded JSON text, or undefined when the message is unknown or from another account. */
export function decodeAuthorizationMessage(store: Store, encoded: string, accountId: string): string | undefined {
  const stored = messages(store).get(encoded.trim());
  return stored && stored.accountId === accountId ? stored.decoded : undefined;
}
