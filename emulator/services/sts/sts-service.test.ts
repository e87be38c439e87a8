import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AttachRolePolicyCommand, CreateRoleCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, DecodeAuthorizationMessageCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../core/totp.ts';
import { startEmulator, type RunningEmulator } from '../../server.ts';
import { failure, iamClient, policy, ROOT, stsClient, userWithKey } from '../iam/iam-test-support.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.store.reset());

const ACCOUNT = '000000000000';
const trust = (principal: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });

async function createRole(name: string, trustPolicy: string, maxSessionDuration?: number): Promise<string> {
  const { Role } = await iamClient(emulator).send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy, MaxSessionDuration: maxSessionDuration }));
  return Role!.Arn!;
}

function sessionCredentials(credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): AwsCredentialIdentity {
  return { accessKeyId: credentials!.AccessKeyId!, secretAccessKey: credentials!.SecretAccessKey!, sessionToken: credentials!.SessionToken! };
}

describe('STS GetCallerIdentity', () => {
  it('names the root, an IAM user and an assumed-role session as AWS does', async () => {
    expect(await stsClient(emulator).send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT, Account: ACCOUNT });
    const alice = await userWithKey(emulator, 'alice');
    expect((await stsClient(emulator, alice).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
    const roleArn = await createRole('reader', trust({ AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }));
    const { Credentials, AssumedRoleUser } = await stsClient(emulator, alice).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'night-shift' }));
    const identity = await stsClient(emulator, sessionCredentials(Credentials)).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/reader/night-shift`);
    expect(identity.UserId).toMatch(/^AROA[A-Z2-7]{17}:night-shift$/);
    expect(AssumedRoleUser).toEqual({ Arn: identity.Arn, AssumedRoleId: identity.UserId });
  });
});

describe('STS AssumeRole', () => {
  it('issues ASIA credentials that expire on the emulator clock (then ExpiredToken)', async () => {
    const roleArn = await createRole('reader', trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }));
    const before = emulator.store.clock.nowMs();
    const { Credentials } = await stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'short', DurationSeconds: 900 }));
    expect(Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(Credentials!.Expiration!.getTime() - before).toBeGreaterThanOrEqual(899_000);
    expect(Credentials!.Expiration!.getTime() - before).toBeLessThan(905_000);
    const session = stsClient(emulator, sessionCredentials(Credentials));
    await session.send(new GetCallerIdentityCommand({}));
    emulator.store.clock.advance(901);
    const expired = await failure(session.send(new GetCallerIdentityCommand({})));
    expect([expired.name, expired.$metadata.httpStatusCode]).toEqual(['ExpiredToken', 403]);
  });

  it('lets a trust policy that names the user suffice, but one that names the account needs the identity policy too', async () => {
    const alice = await userWithKey(emulator, 'alice');
    const named = await createRole('named', trust({ AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }));
    await stsClient(emulator, alice).send(new AssumeRoleCommand({ RoleArn: named, RoleSessionName: 's1' }));

    const delegated = await createRole('delegated', trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }));
    const denied = await failure(stsClient(emulator, alice).send(new AssumeRoleCommand({ RoleArn: delegated, RoleSessionName: 's2' })));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(denied.message).toMatch(
      new RegExp(`^User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${delegated} because no identity-based policy allows the sts:AssumeRole action`),
    );
    await iamClient(emulator).send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'assume', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: delegated }) }));
    await stsClient(emulator, alice).send(new AssumeRoleCommand({ RoleArn: delegated, RoleSessionName: 's2' }));
  });

  it('refuses a role whose trust policy does not trust the caller, even the root, and a missing role', async () => {
    const denied = await failure(stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/notes-application-role`, RoleSessionName: 'me' })));
    expect(denied.message).toMatch(/is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role\/notes-application-role because no resource-based policy allows the sts:AssumeRole action/);
    const missing = await failure(stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/ghost`, RoleSessionName: 'me' })));
    expect([missing.name, missing.message]).toEqual(['AccessDenied', `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/ghost`]);
  });

  it('validates DurationSeconds against 900 and the role MaxSessionDuration, and RoleSessionName', async () => {
    const roleArn = await createRole('reader', trust({ AWS: ACCOUNT }), 7200);
    const sts = stsClient(emulator);
    const short = await failure(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ok', DurationSeconds: 899 })));
    expect([short.name, short.message]).toEqual(['ValidationError', "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"]);
    const long = await failure(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ok', DurationSeconds: 7201 })));
    expect([long.name, long.message]).toEqual(['ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.']);
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ok', DurationSeconds: 7200 }));
    await iamClient(emulator).send(new AttachRolePolicyCommand({ RoleName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const chained = await failure(stsClient(emulator, sessionCredentials(Credentials)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'again', DurationSeconds: 7200 })));
    expect(chained.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    const name = await failure(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'has space' })));
    expect(name.message).toContain("at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern");
    const oneChar = await failure(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'x' })));
    expect(oneChar.message).toContain('Member must have length greater than or equal to 2');
  });

  it('narrows a session with a session policy: an S3 read allowed, a write denied with the AWS sentence', async () => {
    const s3Root = new S3Client({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: ROOT, forcePathStyle: true });
    await s3Root.send(new CreateBucketCommand({ Bucket: 'sts-session-lab' }));
    await s3Root.send(new PutObjectCommand({ Bucket: 'sts-session-lab', Key: 'a.txt', Body: 'hello' }));
    const roleArn = await createRole('s3-full', trust({ AWS: ACCOUNT }));
    await iamClient(emulator).send(new AttachRolePolicyCommand({ RoleName: 's3-full', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
    const readOnly = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sts-session-lab/*' });
    const { Credentials, PackedPolicySize } = await stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'reader', Policy: readOnly }));
    expect(PackedPolicySize).toBeGreaterThan(0);
    const s3 = new S3Client({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: sessionCredentials(Credentials), forcePathStyle: true, maxAttempts: 1 });
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'sts-session-lab', Key: 'a.txt' }))).Body!.transformToString()).toBe('hello');
    const write = await failure(s3.send(new PutObjectCommand({ Bucket: 'sts-session-lab', Key: 'b.txt', Body: 'no' })));
    expect([write.name, write.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(write.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/s3-full/reader is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::sts-session-lab/b.txt" because no session policy allows the s3:PutObject action`,
    );
    const malformed = await failure(stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'bad', Policy: '{"Statement": "nope"' })));
    expect(malformed.name).toBe('MalformedPolicyDocumentException');
  });
});

describe('STS GetSessionToken with MFA', () => {
  async function aliceWithMfa(): Promise<{ alice: AwsCredentialIdentity; serial: string; code: (steps: number) => string; usedCode: string }> {
    const mfaOnly = policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } });
    const alice = await userWithKey(emulator, 'alice', mfaOnly);
    const iam = iamClient(emulator);
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' }));
    const secret = base32Decode(Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('utf8'));
    const code = (steps: number) => totp(secret, emulator.store.clock.nowMs() + steps * 30_000);
    const usedCode = code(-1);
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: VirtualMFADevice!.SerialNumber, AuthenticationCode1: code(-2), AuthenticationCode2: usedCode }));
    return { alice, serial: VirtualMFADevice!.SerialNumber!, code, usedCode };
  }

  it('gives an MFA session that satisfies aws:MultiFactorAuthPresent, which the long-term key does not', async () => {
    const { alice, serial, code } = await aliceWithMfa();
    const denied = await failure(iamClient(emulator, alice).send(new ListUsersCommand({})));
    expect(denied.name).toBe('AccessDenied');
    const { Credentials } = await stsClient(emulator, alice).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code(0), DurationSeconds: 900 }));
    expect(Credentials!.AccessKeyId).toMatch(/^ASIA/);
    const users = await iamClient(emulator, sessionCredentials(Credentials)).send(new ListUsersCommand({}));
    expect(users.Users!.map((u) => u.UserName)).toEqual(['alice']);
    // A session without MFA carries aws:MultiFactorAuthPresent=false: still denied.
    const plain = await stsClient(emulator, alice).send(new GetSessionTokenCommand({}));
    expect((await failure(iamClient(emulator, sessionCredentials(plain.Credentials)).send(new ListUsersCommand({})))).name).toBe('AccessDenied');
  });

  it('refuses a wrong or reused code, an unknown device, and session credentials', async () => {
    const { alice, serial, code, usedCode } = await aliceWithMfa();
    const wrong = String((Number(code(0)) + 1) % 1_000_000).padStart(6, '0');
    const bad = await failure(stsClient(emulator, alice).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: wrong })));
    expect([bad.name, bad.message, bad.$metadata.httpStatusCode]).toEqual(['AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ', 403]);
    // The code EnableMFADevice consumed (captured then, so a 30-second boundary since cannot change it) is spent.
    expect((await failure(stsClient(emulator, alice).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: usedCode })))).name).toBe('AccessDenied');
    const unknown = await failure(stsClient(emulator, alice).send(new GetSessionTokenCommand({ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/other`, TokenCode: code(0) })));
    expect(unknown.message).toContain('Please verify your MFA serial number is valid and associated with this user.');
    const { Credentials } = await stsClient(emulator, alice).send(new GetSessionTokenCommand({}));
    const nested = await failure(stsClient(emulator, sessionCredentials(Credentials)).send(new GetSessionTokenCommand({})));
    expect([nested.name, nested.message]).toEqual(['AccessDenied', 'Cannot call GetSessionToken with session credentials']);
  });
});

describe('STS DecodeAuthorizationMessage and GetAccessKeyInfo', () => {
  it('decodes the message an IAM denial carried into AWS JSON, for a caller allowed to decode', async () => {
    const alice = await userWithKey(emulator, 'alice', policy({ Effect: 'Allow', Action: 'sts:DecodeAuthorizationMessage', Resource: '*' }));
    const denied = await failure(iamClient(emulator, alice).send(new CreateUserCommand({ UserName: 'mallory' })));
    const encoded = /Encoded authorization failure message: (\S+)$/.exec(denied.message)![1]!;
    const { DecodedMessage } = await stsClient(emulator, alice).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }));
    const decoded = JSON.parse(DecodedMessage!);
    expect(decoded).toMatchObject({
      allowed: false,
      explicitDeny: false,
      context: { principal: { name: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice` }, action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/mallory` },
    });
    expect(decoded.context.conditions.items).toContainEqual({ key: 'aws:username', values: { items: [{ value: 'alice' }] } });
    const invalid = await failure(stsClient(emulator, alice).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'garbage' })));
    expect([invalid.name, invalid.$metadata.httpStatusCode]).toEqual(['InvalidAuthorizationMessageException', 400]);
  });

  it('requires sts:DecodeAuthorizationMessage, and answers which account owns an access key', async () => {
    const bob = await userWithKey(emulator, 'bob');
    const denied = await failure(stsClient(emulator, bob).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'x' })));
    expect(denied.message).toMatch(/^User: arn:aws:iam::000000000000:user\/bob is not authorized to perform: sts:DecodeAuthorizationMessage because no identity-based policy allows the sts:DecodeAuthorizationMessage action/);
    expect((await stsClient(emulator).send(new GetAccessKeyInfoCommand({ AccessKeyId: bob.accessKeyId }))).Account).toBe(ACCOUNT);
    expect((await stsClient(emulator).send(new GetAccessKeyInfoCommand({ AccessKeyId: '123456789012' }))).Account).toBe('123456789012');
  });
});
