import { DEFAULT_ACCOUNT, type CredentialRecord } from '../../core/identity.ts';
import type { Store } from '../../core/store.ts';
import { userCaller } from './access-keys.ts';
import { createPolicy } from './managed-policies.ts';
import { createRole } from './roles.ts';
import { accountState, iamState } from './iam-state.ts';
import { createUser } from './users.ts';

/** The course's lab role: Cloud9's EC2 instance role, read-only plus Systems Manager. */
export const LAB_ROLE_NAME = 'notes-application-role';
/** The course looks this customer managed policy up by name with ListPolicies. */
export const LAB_POLICY_NAME = 'S3-Delete-Bucket-Policy';

const EC2_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** Built-in IAM state after every reset. */
export function seedIam(store: Store): void {
  const state = accountState(store, DEFAULT_ACCOUNT);
  const created = new Date('2024-01-01T00:00:00Z');
  const role = createRole(state, { name: LAB_ROLE_NAME, trustPolicy: EC2_TRUST_POLICY, description: 'Allows EC2 instances to call AWS services on your behalf.' }, created);
  role.attachedPolicies.add('arn:aws:iam::aws:policy/ReadOnlyAccess');
  role.attachedPolicies.add('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
  createPolicy(
    state,
    {
      name: LAB_POLICY_NAME,
      description: 'Allows deleting S3 buckets',
      document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'S3DeleteBucket', Effect: 'Allow', Action: 's3:DeleteBucket', Resource: '*' }] }),
    },
    created,
  );
}

/**
 * The control API's seed for IAM (POST /_emulator/seed {"iam": {...}}), for checks
 * that need known principals:
 *   account?: "123456789012" (default 000000000000)
 *   users?: [{ name, path?, policies?: {name: document}, attachedPolicies?: [arn],
 *              accessKeys?: [{ accessKeyId, secretAccessKey }] }]
 *   roles?: [{ name, trustPolicy, attachedPolicies?, policies?, maxSessionDuration? }]
 *   policies?: [{ name, document, path? }]
 *   sourceIps?: { "<accessKeyId>": "203.0.113.7" }   simulated aws:SourceIp per key
 * Documents are objects or JSON text; they are trusted (not validated) like AWS's own seeds.
 */
interface IamSeed {
  account?: string;
  users?: { name: string; path?: string; policies?: Record<string, unknown>; attachedPolicies?: string[]; accessKeys?: { accessKeyId: string; secretAccessKey: string }[] }[];
  roles?: { name: string; trustPolicy: unknown; attachedPolicies?: string[]; policies?: Record<string, unknown>; maxSessionDuration?: number }[];
  policies?: { name: string; document: unknown; path?: string }[];
  sourceIps?: Record<string, string>;
}

function text(document: unknown): string {
  return typeof document === 'string' ? document : JSON.stringify(document);
}

export function applyIamSeed(store: Store, input: unknown): void {
  if (typeof input !== 'object' || input === null) throw new Error('iam seed must be an object');
  const seed = input as IamSeed;
  const accountId = seed.account ?? DEFAULT_ACCOUNT;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`iam seed: account must be 12 digits, got ${accountId}`);
  const state = accountState(store, accountId);
  const now = store.clock.now();
  for (const policy of seed.policies ?? []) createPolicy(state, { name: policy.name, path: policy.path, document: text(policy.document) }, now);
  for (const input of seed.users ?? []) {
    const user = createUser(state, input.name, input.path ?? '/', now);
    for (const [name, document] of Object.entries(input.policies ?? {})) user.inlinePolicies.set(name, text(document));
    for (const arn of input.attachedPolicies ?? []) user.attachedPolicies.add(arn);
    for (const key of input.accessKeys ?? []) {
      const record: CredentialRecord = { ...key, status: 'Active', caller: userCaller(user, accountId, key.accessKeyId) };
      user.accessKeys.set(key.accessKeyId, { record, createDate: now });
      store.credentials.add(record);
    }
  }
  for (const input of seed.roles ?? []) {
    const role = createRole(state, { name: input.name, trustPolicy: text(input.trustPolicy), maxSessionDuration: input.maxSessionDuration }, now);
    for (const [name, document] of Object.entries(input.policies ?? {})) role.inlinePolicies.set(name, text(document));
    for (const arn of input.attachedPolicies ?? []) role.attachedPolicies.add(arn);
  }
  for (const [key, ip] of Object.entries(seed.sourceIps ?? {})) iamState(store).sourceIps.set(key, ip);
}

/** The control API's state dump for IAM: per account, entities with their policies and attachments. */
export function dumpIam(store: Store): unknown {
  const { accounts, sourceIps } = iamState(store);
  return {
    accounts: Object.fromEntries(
      [...accounts.values()].map((state) => [
        state.accountId,
        {
          users: [...state.users.values()].map((u) => ({
            name: u.name,
            arn: u.arn,
            groups: [...u.groups].map((g) => state.groups.get(g)?.name ?? g),
            attachedPolicies: [...u.attachedPolicies],
            inlinePolicies: Object.fromEntries(u.inlinePolicies),
            accessKeys: [...u.accessKeys.values()].map((k) => ({ accessKeyId: k.record.accessKeyId, status: k.record.status })),
            mfaDevices: [...u.mfaDevices],
          })),
          groups: [...state.groups.values()].map((g) => ({
            name: g.name,
            arn: g.arn,
            members: [...g.members].map((m) => state.users.get(m)?.name ?? m),
            attachedPolicies: [...g.attachedPolicies],
            inlinePolicies: Object.fromEntries(g.inlinePolicies),
          })),
          roles: [...state.roles.values()].map((r) => ({
            name: r.name,
            arn: r.arn,
            trustPolicy: r.assumeRolePolicyDocument,
            maxSessionDuration: r.maxSessionDuration,
            attachedPolicies: [...r.attachedPolicies],
            inlinePolicies: Object.fromEntries(r.inlinePolicies),
          })),
          policies: [...state.policies.values()].map((p) => ({
            name: p.name,
            arn: p.arn,
            defaultVersionId: p.defaultVersionId,
            versions: p.versions.map((v) => ({ versionId: v.versionId, document: v.document })),
          })),
        },
      ]),
    ),
    sourceIps: Object.fromEntries(sourceIps),
  };
}
