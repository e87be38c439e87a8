import type { EvaluationRequest, Statement } from './types.ts';

/**
 * How a resource-policy statement's Principal names the caller. The level matters
 * for the evaluation logic:
 * - `direct`: the caller's own ARN (IAM user, assumed-role session) or a service
 *   principal. Grants on its own within the account; naming the session ARN itself is
 *   not limited by session policies ("Session policies" in the IAM User Guide).
 * - `wildcard`: `*` / {"AWS": "*"}. Grants on its own, but a session's session policies
 *   still limit it, because it does not name the session.
 * - `role`: the role ARN behind an assumed-role session. Grants, but the session's
 *   session policies and the role's permissions boundary still limit it.
 * - `account`: the caller's account (`123456789012` or `arn:aws:iam::123456789012:root`).
 *   Delegates to that account's identity policies: it never grants on its own.
 */
export type PrincipalMatch = 'none' | 'account' | 'role' | 'wildcard' | 'direct';

const RANK: Record<PrincipalMatch, number> = { none: 0, account: 1, role: 2, wildcard: 3, direct: 4 };

type RequestPrincipal = EvaluationRequest['principal'];

export function isAnonymous(principal: RequestPrincipal): boolean {
  return principal.arn === '*';
}

function listOf(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

function matchAws(entry: string, principal: RequestPrincipal): PrincipalMatch {
  if (entry === '*') return 'wildcard';
  if (isAnonymous(principal)) return 'none';
  if (entry === principal.arn) return 'direct';
  if (principal.roleArn && entry === principal.roleArn) return 'role';
  const account = /^\d{12}$/.test(entry) ? entry : /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(entry)?.[1];
  if (account && account === principal.accountId) return 'account';
  return 'none';
}

function matchEntry(type: string, entry: string, principal: RequestPrincipal): PrincipalMatch {
  if (type === 'AWS') return matchAws(entry, principal);
  // Service, Federated, CanonicalUser: the caller is named by exactly that string.
  if (isAnonymous(principal)) return 'none';
  if (entry === '*') return 'wildcard';
  return entry === principal.arn ? 'direct' : 'none';
}

function bestMatch(element: NonNullable<Statement['Principal']>, principal: RequestPrincipal): PrincipalMatch {
  // "Principal": "*" is everyone, anonymous callers included.
  if (element === '*') return 'wildcard';
  let best: PrincipalMatch = 'none';
  for (const [type, entries] of Object.entries(element)) {
    for (const entry of listOf(entries)) {
      const match = matchEntry(type, entry, principal);
      if (RANK[match] > RANK[best]) best = match;
    }
  }
  return best;
}

/** The level at which a resource-policy statement applies to the caller. */
export function principalMatch(statement: Statement, principal: RequestPrincipal): PrincipalMatch {
  if (statement.Principal !== undefined) return bestMatch(statement.Principal, principal);
  if (statement.NotPrincipal !== undefined) {
    // NotPrincipal applies to everyone it does not name; naming the account, the role or
    // the session itself all exempt the caller.
    return bestMatch(statement.NotPrincipal, principal) === 'none' ? 'direct' : 'none';
  }
  return 'none';
}
