import { DEFAULT_ACCOUNT, type Caller, type CredentialRecord } from '../../core/identity.ts';
import type { Store } from '../../core/store.ts';
import { accountState, entityKey, type IamRole } from '../iam/iam-state.ts';
import { issueSession } from '../sts/session-credentials.ts';

/**
 * Sessions that an AWS service hands to code running on it (EC2 for an instance
 * profile, ECS/EKS for a task or pod role): real STS sessions of an IAM role, so a
 * request signed with them is authenticated and authorized as that role.
 */

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;

/** How long before Expiration the service has new credentials ready. EC2: "at least five minutes" (see rotate()). */
export const ROTATION_MARGIN_MS = 5 * 60 * 1000;

/** A role named by ARN or by name (then in the default account), as a check or the control API gives it. */
export function resolveRoleArn(roleOrArn: string): string {
  return roleOrArn.startsWith('arn:') ? roleOrArn : `arn:aws:iam::${DEFAULT_ACCOUNT}:role/${roleOrArn}`;
}

export function findRole(store: Store, roleArn: string): IamRole | undefined {
  const match = ROLE_ARN.exec(roleArn);
  if (!match) return undefined;
  const role = accountState(store, match[1]!).roles.get(entityKey(match[2]!));
  return role?.arn === roleArn ? role : undefined;
}

/** A new session of `role`, labelled with the credential source it is served as (the request log shows it). */
export function issueRoleSession(store: Store, role: IamRole, sessionName: string, durationSeconds: number, source: string): CredentialRecord {
  const accountId = ROLE_ARN.exec(role.arn)![1]!;
  const caller: Omit<Caller, 'accessKeyId'> = {
    kind: 'assumed-role',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
    userId: `${role.id}:${sessionName}`,
    name: role.name,
    sessionName,
    roleArn: role.arn,
  };
  const record = issueSession(store, caller, durationSeconds, false);
  record.source = source;
  return record;
}

/** What a service keeps per role: the session it serves until it rotates. */
export interface ServedSession {
  roleArn: string;
  record: CredentialRecord;
  /** When it was issued, epoch ms on the emulator clock (IMDS's LastUpdated). */
  issuedAtMs: number;
}

/**
 * The session to serve now: the current one while it has more than ROTATION_MARGIN_MS
 * left on the emulator clock, else a new one. EC2: "We make new credentials available
 * at least five minutes before the expiration of the old credentials"
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-security-credentials.html);
 * ECS and the EKS Pod Identity Agent refresh likewise ahead of expiry. The old session
 * stays valid until its own Expiration, as on AWS.
 */
export function rotate(store: Store, current: ServedSession | undefined, role: IamRole, sessionName: string, durationSeconds: number, source: string): ServedSession {
  const fresh = current && current.roleArn === role.arn && current.record.expiresAt! - store.clock.nowMs() > ROTATION_MARGIN_MS && store.credentials.find(current.record.accessKeyId) === current.record;
  if (fresh) return current;
  return { roleArn: role.arn, record: issueRoleSession(store, role, sessionName, durationSeconds, source), issuedAtMs: store.clock.nowMs() };
}

/** ISO 8601 to the second, as EC2 and ECS write Expiration and LastUpdated: 2026-11-29T19:06:39Z. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
