import { randomBytes } from 'node:crypto';
import { DEFAULT_ACCOUNT } from '../../core/identity.ts';
import type { Store } from '../../core/store.ts';
import { LAB_ROLE_NAME } from '../iam/iam-seed.ts';
import type { ServedSession } from '../credential-endpoints/role-sessions.ts';

/** What the emulated instance's metadata service serves, per emulator (reset with the store). */
export interface InstanceProfileState {
  /** The instance profile's role, or undefined for an instance without one (the credentials listing is then a 404). */
  roleArn: string | undefined;
  /** An IMDSv1 GET without a token is answered (HttpTokens "optional"); off by default, as IMDSv2 is enforced. */
  allowImdsV1: boolean;
  /** Lifetime of the sessions served, in seconds (EC2: about six hours). */
  sessionSeconds: number;
  /** The instance's id: the session name of its role sessions, as on EC2. */
  instanceId: string;
  region: string;
  /** Session tokens (PUT /latest/api/token) by value, with their expiry in epoch ms on the emulator clock. */
  tokens: Map<string, number>;
  session?: ServedSession;
}

export const DEFAULT_INSTANCE_SESSION_SECONDS = 6 * 3600;

/** The instance state; out of the box the course's EC2 role (Cloud9's instance role) in the default account. */
export function instanceProfile(store: Store): InstanceProfileState {
  return store.serviceState<InstanceProfileState>('instance-metadata', () => ({
    roleArn: `arn:aws:iam::${DEFAULT_ACCOUNT}:role/${LAB_ROLE_NAME}`,
    allowImdsV1: false,
    sessionSeconds: DEFAULT_INSTANCE_SESSION_SECONDS,
    instanceId: `i-${randomBytes(9).toString('hex').slice(0, 17)}`,
    region: 'us-east-1',
    tokens: new Map(),
  }));
}

/** Bound on live tokens: each PUT makes one, and a loop of PUTs must not grow memory without limit. */
const MAX_TOKENS = 10_000;

/** A new IMDSv2 session token valid for `ttlSeconds` on the emulator clock. */
export function issueToken(store: Store, ttlSeconds: number): string {
  const state = instanceProfile(store);
  const now = store.clock.nowMs();
  if (state.tokens.size >= MAX_TOKENS) {
    for (const [token, expiresAt] of state.tokens) if (expiresAt <= now) state.tokens.delete(token);
    // Still full: drop the oldest (Map keeps insertion order).
    while (state.tokens.size >= MAX_TOKENS) state.tokens.delete(state.tokens.keys().next().value!);
  }
  // Real tokens are opaque base64 text of about 56 characters (AQAEA...).
  const token = `AQAEA${randomBytes(39).toString('base64')}`;
  state.tokens.set(token, now + ttlSeconds * 1000);
  return token;
}

export function tokenIsValid(store: Store, token: string): boolean {
  const expiresAt = instanceProfile(store).tokens.get(token);
  return expiresAt !== undefined && store.clock.nowMs() < expiresAt;
}
