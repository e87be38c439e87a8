import type { CredentialRecord } from '../../core/identity.ts';
import type { Store } from '../../core/store.ts';

/**
 * IAM state, one per account. Entity names are unique case-insensitively in IAM
 * ("Alice" and "alice" clash), so maps are keyed by the lower-cased name and the
 * entity keeps the spelling it was created with.
 */
export interface IamUser {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: Date;
  inlinePolicies: Map<string, string>;
  attachedPolicies: Set<string>;
  /** Lower-cased group names. */
  groups: Set<string>;
  accessKeys: Map<string, AccessKey>;
  /** Serial numbers of enabled MFA devices. */
  mfaDevices: Set<string>;
  /** At most 50, unique by key case-insensitively (IAM User Guide, "Tagging IAM resources"). */
  tags: IamTag[];
}

export interface IamTag {
  Key: string;
  Value: string;
}

export interface AccessKey {
  record: CredentialRecord;
  createDate: Date;
}

export interface IamGroup {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: Date;
  inlinePolicies: Map<string, string>;
  attachedPolicies: Set<string>;
  /** Lower-cased user names. */
  members: Set<string>;
}

export interface IamRole {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: Date;
  description?: string;
  /** The trust policy, as the JSON text it was given. */
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
  inlinePolicies: Map<string, string>;
  attachedPolicies: Set<string>;
  tags: IamTag[];
}

export interface PolicyVersion {
  versionId: string;
  document: string;
  createDate: Date;
}

export interface ManagedPolicy {
  name: string;
  path: string;
  id: string;
  arn: string;
  description?: string;
  createDate: Date;
  updateDate: Date;
  defaultVersionId: string;
  versions: PolicyVersion[];
  /** The next version number: AWS never reuses a deleted version's id. */
  nextVersion: number;
  awsManaged: boolean;
}

export interface VirtualMfaDevice {
  serialNumber: string;
  /** The base32 text of the secret, as given to an authenticator app. */
  base32Seed: string;
  createDate: Date;
  /** Lower-cased user name once enabled. */
  user?: string;
  enableDate?: Date;
  /** The last TOTP step accepted: AWS refuses a code that was already used. */
  lastUsedStep?: number;
}

export interface IamAccountState {
  accountId: string;
  users: Map<string, IamUser>;
  groups: Map<string, IamGroup>;
  roles: Map<string, IamRole>;
  /** Customer managed policies by ARN (AWS managed ones are global: see managed-policies.ts). */
  policies: Map<string, ManagedPolicy>;
  mfaDevices: Map<string, VirtualMfaDevice>;
  /** UpdateAccountPasswordPolicy's settings; absent until set (GetAccountPasswordPolicy: NoSuchEntity). */
  passwordPolicy?: Record<string, unknown>;
  /** At most one alias per account. */
  aliases: string[];
}

interface IamState {
  accounts: Map<string, IamAccountState>;
  /** Simulated client address per access key id (aws:SourceIp), set through the control API seed. */
  sourceIps: Map<string, string>;
}

export function iamState(store: Store): IamState {
  return store.serviceState<IamState>('iam', () => ({ accounts: new Map(), sourceIps: new Map() }));
}

export function accountState(store: Store, accountId: string): IamAccountState {
  const accounts = iamState(store).accounts;
  let state = accounts.get(accountId);
  if (!state) {
    state = { accountId, users: new Map(), groups: new Map(), roles: new Map(), policies: new Map(), mfaDevices: new Map(), aliases: [] };
    accounts.set(accountId, state);
  }
  return state;
}

export function entityKey(name: string): string {
  return name.toLowerCase();
}
