/**
 * A backend is an AWS emulator the harness grades against. Each declares what it can
 * do; a check that needs a capability its backend lacks is reported
 * "not gradable on <backend>: <reason>", never passed or failed.
 */
export type BackendName = 'embedded' | 'moto' | 'localstack' | 'endpoint';

/** Every backend, in the order help texts list them (here, not in index.ts: importing that loads testcontainers). */
export const BACKEND_NAMES: readonly BackendName[] = ['embedded', 'moto', 'localstack', 'endpoint'];

export type Capability =
  /** HeadBucket answers 403 for a bucket another account owns. */
  | 'head-bucket-403'
  /** Control API: eventual consistency for new buckets. */
  | 'eventual-consistency'
  /** Control API: throttling and error injection. */
  | 'fault-injection'
  /** Control API: the log of requests received. */
  | 'request-log'
  /** Control API: a JSON dump of state. */
  | 'state-dump'
  /** Control API: seed buckets owned by another account, users, ... */
  | 'seed'
  /** Control API: move the emulator clock. */
  | 'clock-control'
  /** SigV4 signatures verified against the secret key. */
  | 'sigv4-verification'
  /** IAM policies (identity and resource) enforced, with conditions. */
  | 'iam-enforcement'
  /** DynamoDB tables are CREATING for a while before ACTIVE. */
  | 'table-creating-state'
  /** S3 static website endpoint with index/error documents. */
  | 'website-endpoint'
  /** The website endpoint honours bucket policy and public access block. */
  | 'website-policy'
  /** STS DecodeAuthorizationMessage. */
  | 'decode-authorization-message'
  /** GetSessionToken checks the MFA TOTP code. */
  | 'mfa-totp'
  /** AWS managed policies (arn:aws:iam::aws:policy/...) exist, listed and attachable. */
  | 'aws-managed-policies'
  /** Instance metadata (IMDSv2) and container credential endpoints serving role sessions; the request log names each key's source. */
  | 'credential-endpoints'
  /** S3 POST Object checks the POST policy: signature, expiration and every condition (content-length-range, starts-with, eq). */
  | 'post-policy'
  /** S3 answers browsers' cross-origin requests and preflights from the bucket's CORS rules, and only them. */
  | 'cors-enforcement';

/** Every capability with what it means, for listings and error messages. */
export const CAPABILITIES: Readonly<Record<Capability, string>> = {
  'head-bucket-403': 'HeadBucket answers 403 for a bucket another account owns',
  'eventual-consistency': 'control API: eventual consistency for new buckets',
  'fault-injection': 'control API: throttling and error injection',
  'request-log': 'control API: the log of requests received',
  'state-dump': 'control API: a JSON dump of state',
  'seed': 'control API: seed buckets owned by another account, users, ...',
  'clock-control': 'control API: move the emulator clock',
  'sigv4-verification': 'SigV4 signatures verified against the secret key',
  'iam-enforcement': 'IAM policies (identity and resource) enforced, with conditions',
  'table-creating-state': 'DynamoDB tables are CREATING for a while before ACTIVE',
  'website-endpoint': 'S3 static website endpoint with index/error documents',
  'website-policy': 'the website endpoint honours bucket policy and public access block',
  'decode-authorization-message': 'STS DecodeAuthorizationMessage',
  'mfa-totp': 'GetSessionToken checks the MFA TOTP code',
  'aws-managed-policies': 'AWS managed policies (arn:aws:iam::aws:policy/...) exist, listed and attachable',
  'credential-endpoints': 'instance metadata (IMDSv2) and container credential endpoints serving role sessions, each key\'s source in the request log',
  'post-policy': "S3 POST Object enforces the POST policy's signature, expiration and conditions (EntityTooLarge, AccessDenied)",
  'cors-enforcement': "S3 allows a browser's cross-origin request only as the bucket's CORS rules say (origin, method, headers)",
};

export function isCapability(name: string): name is Capability {
  return Object.hasOwn(CAPABILITIES, name);
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * What a grading process needs to reach a running backend: serialisable, so the
 * lab runner can hand it to vitest workers and child processes (LAB_BACKEND env).
 */
export interface BackendDescriptor {
  name: BackendName;
  endpoint: string;
  accountId: string;
  credentials: AwsCredentials;
  /** Missing capabilities with the reason, e.g. { "head-bucket-403": "moto answers 200 ..." }. */
  missing: Partial<Record<Capability, string>>;
  /** How to reset state: the embedded control API, moto's /moto-api/reset, or none (unique names instead). */
  reset: 'embedded-control' | 'moto-api' | 'none';
  /**
   * Secret: the token that unlocks our emulator's control API (x-emulator-control-token),
   * when it is locked; always set by the embedded backend. It belongs to the trusted
   * side only: never put it, or this descriptor, in the environment of student code,
   * which could then read the state checks compare, seed it, or clear the request log.
   */
  controlToken?: string;
}

export interface Backend {
  readonly name: BackendName;
  /** Base URL the SDK is pointed at, e.g. http://127.0.0.1:4566 */
  readonly endpoint: string;
  /** Throwaway credentials of the default account's root. */
  readonly credentials: AwsCredentials;
  /** The default account id of this backend (000000000000 embedded/LocalStack, 123456789012 moto). */
  readonly accountId: string;
  /** Undefined when the capability is there, otherwise the reason it is not. */
  lacks(capability: Capability): string | undefined;
  /** The serialisable handle for other processes. */
  describe(): BackendDescriptor;
  /** Fresh state for the next check. */
  reset(): Promise<void>;
  /** Stops what this backend started (nothing for `endpoint`). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The parts of a Backend that follow from its descriptor, so that lacks() and
 * describe() answer from the same record.
 */
export function fromDescriptor<N extends BackendName>(
  descriptor: BackendDescriptor & { name: N },
): Pick<Backend, 'endpoint' | 'credentials' | 'accountId' | 'lacks' | 'describe'> & { readonly name: N } {
  return {
    name: descriptor.name,
    endpoint: descriptor.endpoint,
    credentials: descriptor.credentials,
    accountId: descriptor.accountId,
    lacks: (capability) => descriptor.missing[capability],
    describe: () => structuredClone(descriptor),
  };
}
