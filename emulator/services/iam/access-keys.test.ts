import { CreateAccessKeyCommand, DeleteAccessKeyCommand, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../server.ts';
import { failure, iamClient, stsClient, userWithKey } from './iam-test-support.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.store.reset());

describe('IAM access keys', () => {
  it('signs requests as the user at once, and lists the key', async () => {
    const alice = await userWithKey(emulator, 'alice');
    expect(alice.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(alice.secretAccessKey).toHaveLength(40);
    const identity = await stsClient(emulator, alice).send(new GetCallerIdentityCommand({}));
    expect([identity.Arn, identity.Account]).toEqual(['arn:aws:iam::000000000000:user/alice', '000000000000']);
    expect(identity.UserId).toMatch(/^AIDA/);
    const { AccessKeyMetadata } = await iamClient(emulator).send(new ListAccessKeysCommand({ UserName: 'alice' }));
    expect(AccessKeyMetadata).toEqual([expect.objectContaining({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Active' })]);
  });

  it('refuses an Inactive key with InvalidClientTokenId, accepts it again once Active, forgets a deleted one', async () => {
    const alice = await userWithKey(emulator, 'alice');
    const iam = iamClient(emulator);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Inactive' }));
    const refused = await failure(stsClient(emulator, alice).send(new GetCallerIdentityCommand({})));
    expect([refused.name, refused.$metadata.httpStatusCode]).toEqual(['InvalidClientTokenId', 403]);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Active' }));
    await stsClient(emulator, alice).send(new GetCallerIdentityCommand({}));
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId }));
    expect((await failure(stsClient(emulator, alice).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    const missing = await failure(iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId })));
    expect([missing.name, missing.message]).toEqual(['NoSuchEntityException', `The Access Key with id ${alice.accessKeyId} cannot be found`]);
  });

  it('allows two keys per user, and a user may manage its own keys without naming itself', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*AccessKey*'], Resource: 'arn:aws:iam::*:user/${aws:username}' }] });
    const alice = await userWithKey(emulator, 'alice', policy);
    const own = await iamClient(emulator, alice).send(new CreateAccessKeyCommand({}));
    expect(own.AccessKey!.UserName).toBe('alice');
    const third = await failure(iamClient(emulator, alice).send(new CreateAccessKeyCommand({})));
    expect([third.name, third.message]).toEqual(['LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2']);
    const invalidStatus = await failure(iamClient(emulator).send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Paused' as 'Active' })));
    expect(invalidStatus.name).toBe('ValidationError');
  });
});
