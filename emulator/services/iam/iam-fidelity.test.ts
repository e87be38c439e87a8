import {
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeleteAccountAliasCommand,
  DeleteAccountPasswordPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountPasswordPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAccountAliasesCommand,
  ListRoleTagsCommand,
  ListUserTagsCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../server.ts';
import { failure, iamClient, policy, stsClient, userWithKey } from './iam-test-support.ts';

/** Issue 15: IAM calls the AWS SDK code examples make, and tag conditions, through the SDK. */
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.store.reset());

const TRUST = policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });

describe('IAM calls the SDK examples make', () => {
  it('CreateVirtualMFADevice returns a QR code PNG of the otpauth URI', async () => {
    const { VirtualMFADevice } = await iamClient(emulator).send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'phone' }));
    const png = Buffer.from(VirtualMFADevice!.QRCodePNG!);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.length).toBeGreaterThan(100);
  });

  it('UpdateUser renames a user, whose keys keep working under the new ARN', async () => {
    const keys = await userWithKey(emulator, 'old-name', policy({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }));
    await iamClient(emulator).send(new UpdateUserCommand({ UserName: 'old-name', NewUserName: 'new-name', NewPath: '/team/' }));
    const { User } = await iamClient(emulator).send(new GetUserCommand({ UserName: 'new-name' }));
    expect(User?.Arn).toBe('arn:aws:iam::000000000000:user/team/new-name');
    expect((await failure(iamClient(emulator).send(new GetUserCommand({ UserName: 'old-name' })))).name).toBe('NoSuchEntityException');
    expect((await stsClient(emulator, keys).send(new GetCallerIdentityCommand({}))).Arn).toBe(User?.Arn);
  });

  it('GetAccessKeyLastUsed: N/A until the key signs a request, then that request', async () => {
    const iam = iamClient(emulator);
    await iam.send(new CreateUserCommand({ UserName: 'dev' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
    const before = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey!.AccessKeyId }));
    expect([before.UserName, before.AccessKeyLastUsed?.ServiceName, before.AccessKeyLastUsed?.LastUsedDate]).toEqual(['dev', 'N/A', undefined]);
    await stsClient(emulator, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }).send(new GetCallerIdentityCommand({}));
    const after = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey!.AccessKeyId }));
    expect(after.AccessKeyLastUsed?.ServiceName).toBe('sts');
    expect(after.AccessKeyLastUsed?.LastUsedDate).toBeInstanceOf(Date);
  });

  it('the account password policy: NoSuchEntity until set, then as set, then gone', async () => {
    const iam = iamClient(emulator);
    expect((await failure(iam.send(new GetAccountPasswordPolicyCommand({})))).$metadata.httpStatusCode).toBe(404);
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true, MaxPasswordAge: 90 }));
    const { PasswordPolicy } = await iam.send(new GetAccountPasswordPolicyCommand({}));
    expect(PasswordPolicy).toMatchObject({ MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: false, ExpirePasswords: true, MaxPasswordAge: 90 });
    await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    expect((await failure(iam.send(new GetAccountPasswordPolicyCommand({})))).name).toBe('NoSuchEntityException');
  });

  it('account aliases: one per account, listed, deleted', async () => {
    const iam = iamClient(emulator);
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'notes-course' }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['notes-course']);
    expect((await failure(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'another-one' })))).name).toBe('EntityAlreadyExistsException');
    await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'notes-course' }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
  });

  it('tags users and roles, replacing values of existing keys case-insensitively', async () => {
    const iam = iamClient(emulator);
    await iam.send(new CreateUserCommand({ UserName: 'tagged' }));
    await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'stage', Value: 'dev' }] }));
    await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'Team', Value: 'red' }] }));
    await iam.send(new UntagUserCommand({ UserName: 'tagged', TagKeys: ['stage'] }));
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'tagged' }))).Tags).toEqual([{ Key: 'Team', Value: 'red' }]);
    expect((await iam.send(new GetUserCommand({ UserName: 'tagged' }))).User?.Tags).toEqual([{ Key: 'Team', Value: 'red' }]);

    await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new TagRoleCommand({ RoleName: 'app', Tags: [{ Key: 'env', Value: 'prod' }] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'app' }))).Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect((await iam.send(new GetRoleCommand({ RoleName: 'app' }))).Role?.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect((await failure(iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'aws:reserved', Value: 'x' }] })))).name).toBe('InvalidInputException');
  });
});

describe('tag conditions', () => {
  it('aws:PrincipalTag: a statement conditioned on the caller tag allows the tagged user only', async () => {
    const document = policy({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } });
    const blue = await userWithKey(emulator, 'blue', document);
    const plain = await userWithKey(emulator, 'plain', document);
    await iamClient(emulator).send(new TagUserCommand({ UserName: 'blue', Tags: [{ Key: 'team', Value: 'blue' }] }));
    const s3 = (credentials: typeof blue) => new S3Client({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
    expect((await s3(blue).send(new ListBucketsCommand({}))).$metadata.httpStatusCode).toBe(200);
    expect((await failure(s3(plain).send(new ListBucketsCommand({})))).$metadata.httpStatusCode).toBe(403);
  });

  it('aws:ResourceTag: GetUser is allowed on users tagged like the statement says, denied on others', async () => {
    const reader = await userWithKey(
      emulator,
      'reader',
      policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } }),
    );
    const iam = iamClient(emulator);
    await iam.send(new CreateUserCommand({ UserName: 'in-team', Tags: [] }));
    await iam.send(new TagUserCommand({ UserName: 'in-team', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await iam.send(new CreateUserCommand({ UserName: 'outside' }));
    expect((await iamClient(emulator, reader).send(new GetUserCommand({ UserName: 'in-team' }))).User?.UserName).toBe('in-team');
    expect((await failure(iamClient(emulator, reader).send(new GetUserCommand({ UserName: 'outside' })))).name).toBe('AccessDenied');
  });
});
