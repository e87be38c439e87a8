import type { Store } from '../core/store.ts';

/**
 * Facts about temporary credentials that the Caller record does not carry: when
 * the session was issued and when its MFA was checked (aws:TokenIssueTime,
 * aws:MultiFactorAuthAge). Keyed by the session's access key id.
 */
export interface SessionFacts {
  issuedAtMs: number;
  mfaAuthenticatedAtMs?: number;
}

export function sessionFacts(store: Store): Map<string, SessionFacts> {
  return store.serviceState('sts-sessions', () => new Map<string, SessionFacts>());
}
