/**
 * Who is calling, and the credentials that prove it.
 *
 * Accounts follow LocalStack's convention so scripts written for LocalStack work
 * unchanged: access key `test` (secret `test`) is the root of the default account
 * 000000000000, and an access key that is itself a 12-digit number (secret `test`)
 * is the root of that account. IAM users and STS sessions add their own keys.
 */
export const DEFAULT_ACCOUNT = '000000000000';
/** The account that owns the pre-existing buckets, so HeadBucket can answer 403. */
export const OTHER_ACCOUNT = '111122223333';
export const ROOT_ACCESS_KEY = 'test';
export const ROOT_SECRET_KEY = 'test';

export type CallerKind = 'root' | 'user' | 'assumed-role' | 'anonymous';

export interface Caller {
  kind: CallerKind;
  accountId: string;
  /** arn:aws:iam::<acct>:root, arn:aws:iam::<acct>:user/<name>, arn:aws:sts::<acct>:assumed-role/<role>/<session> */
  arn: string;
  /** The `UserId` of GetCallerIdentity: the account id for root, AIDA... for users, AROA...:<session> for sessions. */
  userId: string;
  /** IAM user name, or role name for a session. */
  name?: string;
  sessionName?: string;
  /** ARN of the role behind an assumed-role session. */
  roleArn?: string;
  accessKeyId?: string;
  /** Set on sessions from GetSessionToken with a valid MFA code (aws:MultiFactorAuthPresent). */
  mfaAuthenticated?: boolean;
  /** Session policy documents (AssumeRole Policy / PolicyArns) that narrow a session. */
  sessionPolicies?: string[];
}

export interface CredentialRecord {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary credentials; the request must carry it as X-Amz-Security-Token. */
  sessionToken?: string;
  /** Epoch ms on the emulator clock after which the key is refused with ExpiredToken. */
  expiresAt?: number;
  status: 'Active' | 'Inactive';
  caller: Caller;
  /**
   * Where the code that signs with this key found it, as the request log reports it:
   * `env`, `profile NAME`, `process`, `container`, `instance-role`, `assumed-role via
   * profile NAME`... Set by the credential endpoints for the sessions they serve, by
   * AssumeRole from the source of the key that asked, and by checks through the control API.
   */
  source?: string;
}

export function rootCaller(accountId: string): Caller {
  return { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
}

export const ANONYMOUS: Caller = { kind: 'anonymous', accountId: '', arn: '*', userId: 'anonymous' };

export class CredentialRegistry {
  private readonly records = new Map<string, CredentialRecord>();

  add(record: CredentialRecord): void {
    this.records.set(record.accessKeyId, record);
  }

  remove(accessKeyId: string): void {
    this.records.delete(accessKeyId);
  }

  /** The record for a key id, including the implicit root keys of the LocalStack convention. */
  find(accessKeyId: string): CredentialRecord | undefined {
    const known = this.records.get(accessKeyId);
    if (known) return known;
    if (accessKeyId === ROOT_ACCESS_KEY) return this.implicitRoot(accessKeyId, DEFAULT_ACCOUNT);
    if (/^\d{12}$/.test(accessKeyId)) return this.implicitRoot(accessKeyId, accessKeyId);
    return undefined;
  }

  all(): CredentialRecord[] {
    return [...this.records.values()];
  }

  clear(): void {
    this.records.clear();
  }

  private implicitRoot(accessKeyId: string, accountId: string): CredentialRecord {
    return {
      accessKeyId,
      secretAccessKey: ROOT_SECRET_KEY,
      status: 'Active',
      caller: { ...rootCaller(accountId), accessKeyId },
    };
  }
}
