import { randomBytes } from 'node:crypto';
import type { Caller, CredentialRecord } from '../../core/identity.ts';
import { accessKeyId, secretAccessKey } from '../../core/ids.ts';
import type { Store } from '../../core/store.ts';
import { sessionFacts } from '../../authz/session-facts.ts';

/**
 * Temporary credentials: an ASIA key, a secret and a session token, registered with
 * authenticate's credential registry until they expire on the emulator clock (a
 * check moves the clock to expire them; authenticate then answers ExpiredToken).
 */
export function issueSession(store: Store, caller: Omit<Caller, 'accessKeyId'>, durationSeconds: number, mfa: boolean): CredentialRecord {
  const id = accessKeyId(true);
  const issuedAtMs = store.clock.nowMs();
  const record: CredentialRecord = {
    accessKeyId: id,
    secretAccessKey: secretAccessKey(),
    // Real tokens are long opaque base64 blobs (the SDK sends them as X-Amz-Security-Token).
    sessionToken: 'IQoJb3JpZ2luX2VjE' + randomBytes(180).toString('base64'),
    expiresAt: issuedAtMs + durationSeconds * 1000,
    status: 'Active',
    caller: { ...caller, accessKeyId: id, ...(mfa ? { mfaAuthenticated: true } : {}) },
  };
  store.credentials.add(record);
  sessionFacts(store).set(id, { issuedAtMs, ...(mfa ? { mfaAuthenticatedAtMs: issuedAtMs } : {}) });
  return record;
}

/** The `Credentials` shape of AssumeRole and GetSessionToken. */
export function credentialsShape(record: CredentialRecord): Record<string, unknown> {
  return {
    AccessKeyId: record.accessKeyId,
    SecretAccessKey: record.secretAccessKey,
    SessionToken: record.sessionToken,
    Expiration: new Date(record.expiresAt!).toISOString(),
  };
}
