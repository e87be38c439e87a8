import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
  UpdateRoleCommand,
  paginateListPolicies,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../server.ts';
import { failure, iamClient, policy, userWithKey } from './iam-test-support.ts';

let emulator: RunningEmulator;
const iam = () => iamClient(emulator);
const ALLOW_S3_READ = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
const TRUST_EC2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.store.reset());

describe('IAM users and groups', () => {
  it('creates, gets, lists and deletes a user', async () => {
    const { User } = await iam().send(new CreateUserCommand({ UserName: 'alice', Path: '/dev/' }));
    expect(User).toMatchObject({ UserName: 'alice', Path: '/dev/', Arn: 'arn:aws:iam::000000000000:user/dev/alice' });
    expect(User!.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect((await iam().send(new GetUserCommand({ UserName: 'alice' }))).User!.UserId).toBe(User!.UserId);
    expect((await iam().send(new ListUsersCommand({ PathPrefix: '/dev/' }))).Users!.map((u) => u.UserName)).toEqual(['alice']);
    expect((await iam().send(new ListUsersCommand({ PathPrefix: '/ops/' }))).Users).toEqual([]);
    await iam().send(new DeleteUserCommand({ UserName: 'alice' }));
    const error = await failure(iam().send(new GetUserCommand({ UserName: 'alice' })));
    expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual(['NoSuchEntityException', 'The user with name alice cannot be found.', 404]);
  });

  it('refuses duplicate names case-insensitively and names outside the pattern', async () => {
    await iam().send(new CreateUserCommand({ UserName: 'Alice' }));
    const duplicate = await failure(iam().send(new CreateUserCommand({ UserName: 'alice' })));
    expect([duplicate.name, duplicate.message, duplicate.$metadata.httpStatusCode]).toEqual(['EntityAlreadyExistsException', 'User with name alice already exists.', 409]);
    const badName = await failure(iam().send(new CreateUserCommand({ UserName: 'bad name!' })));
    expect(badName.name).toBe('ValidationError');
    expect(badName.message).toContain("Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern");
    const tooLong = await failure(iam().send(new CreateUserCommand({ UserName: 'a'.repeat(65) })));
    expect(tooLong.message).toContain('Member must have length less than or equal to 64');
  });

  it('answers GetUser without a name with the calling user, or the root', async () => {
    const alice = await userWithKey(emulator, 'alice', policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }));
    expect((await iamClient(emulator, alice).send(new GetUserCommand({}))).User!.Arn).toBe('arn:aws:iam::000000000000:user/alice');
    expect((await iam().send(new GetUserCommand({}))).User!.Arn).toBe('arn:aws:iam::000000000000:root');
  });

  it('pages through ListUsers with MaxItems and Marker', async () => {
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) await iam().send(new CreateUserCommand({ UserName: name }));
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam().send(new ListUsersCommand({ MaxItems: 2, Marker: marker }));
      seen.push(...page.Users!.map((u) => u.UserName!));
      expect(page.IsTruncated).toBe(page.Marker !== undefined);
      marker = page.Marker;
      pages += 1;
    } while (marker);
    expect(seen).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(pages).toBe(3);
    expect((await failure(iam().send(new ListUsersCommand({ Marker: 'not-a-marker' })))).name).toBe('InvalidInputException');
  });

  it('adds users to groups and refuses to delete a group with members', async () => {
    await iam().send(new CreateUserCommand({ UserName: 'alice' }));
    await iam().send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam().send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
    expect((await iam().send(new GetGroupCommand({ GroupName: 'devs' }))).Users!.map((u) => u.UserName)).toEqual(['alice']);
    expect((await iam().send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups!.map((g) => g.GroupName)).toEqual(['devs']);
    const conflict = await failure(iam().send(new DeleteGroupCommand({ GroupName: 'devs' })));
    expect([conflict.name, conflict.$metadata.httpStatusCode]).toEqual(['DeleteConflictException', 409]);
    const userConflict = await failure(iam().send(new DeleteUserCommand({ UserName: 'alice' })));
    expect(userConflict.message).toBe('Cannot delete entity, must remove user from all groups first.');
  });
});

describe('IAM roles', () => {
  it('seeds the course lab role with ReadOnlyAccess, its trust policy URL-encoded as AWS sends it', async () => {
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: 'notes-application-role' }));
    expect(Role!.Arn).toBe('arn:aws:iam::000000000000:role/notes-application-role');
    expect(Role!.AssumeRolePolicyDocument).toMatch(/^%7B/);
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    const attached = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'notes-application-role' }));
    expect(attached.AttachedPolicies).toContainEqual({ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  });

  it('creates a role with MaxSessionDuration and validates it and the trust policy', async () => {
    const { Role } = await iam().send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: TRUST_EC2, MaxSessionDuration: 7200 }));
    expect(Role).toMatchObject({ RoleName: 'app', MaxSessionDuration: 7200 });
    expect(Role!.RoleId).toMatch(/^AROA/);
    await iam().send(new UpdateRoleCommand({ RoleName: 'app', MaxSessionDuration: 3600 }));
    expect((await iam().send(new GetRoleCommand({ RoleName: 'app' }))).Role!.MaxSessionDuration).toBe(3600);

    const short = await failure(iam().send(new CreateRoleCommand({ RoleName: 'r2', AssumeRolePolicyDocument: TRUST_EC2, MaxSessionDuration: 600 })));
    expect([short.name, short.message]).toEqual(['ValidationError', "1 validation error detected: Value '600' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"]);
    const noPrincipal = await failure(iam().send(new CreateRoleCommand({ RoleName: 'r3', AssumeRolePolicyDocument: ALLOW_S3_READ })));
    expect([noPrincipal.name, noPrincipal.$metadata.httpStatusCode]).toEqual(['MalformedPolicyDocumentException', 400]);
    const huge = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: Array.from({ length: 60 }, (_, i) => `arn:aws:iam::${String(i).padStart(12, '1')}:root`) }, Action: 'sts:AssumeRole' }] });
    const tooBig = await failure(iam().send(new CreateRoleCommand({ RoleName: 'r4', AssumeRolePolicyDocument: huge })));
    expect([tooBig.name, tooBig.message]).toEqual(['LimitExceededException', 'Cannot exceed quota for ACLSizePerRole: 2048']);
  });
});

describe('IAM managed policies', () => {
  it('finds AWS managed policies by name through paginated ListPolicies with Scope', async () => {
    const names: string[] = [];
    for await (const page of paginateListPolicies({ client: iam(), pageSize: 3 }, { Scope: 'AWS' })) names.push(...page.Policies!.map((p) => p.PolicyName!));
    expect(names).toEqual(expect.arrayContaining(['ReadOnlyAccess', 'AdministratorAccess', 'AmazonS3FullAccess', 'AmazonDynamoDBReadOnlyAccess', 'IAMReadOnlyAccess', 'AmazonSSMReadOnlyAccess', 'PowerUserAccess']));
    const local = await iam().send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies!.map((p) => p.Arn)).toEqual(['arn:aws:iam::000000000000:policy/S3-Delete-Bucket-Policy']);
    const attached = await iam().send(new ListPoliciesCommand({ OnlyAttached: true }));
    expect(attached.Policies!.map((p) => p.PolicyName).sort()).toEqual(['AmazonSSMManagedInstanceCore', 'ReadOnlyAccess']);
    expect(attached.Policies!.find((p) => p.PolicyName === 'ReadOnlyAccess')!.AttachmentCount).toBe(1);
  });

  it('keeps versions: at most five, a default, never deleting the default', async () => {
    const { Policy } = await iam().send(new CreatePolicyCommand({ PolicyName: 'reader', Path: '/team/', PolicyDocument: ALLOW_S3_READ }));
    expect(Policy).toMatchObject({ Arn: 'arn:aws:iam::000000000000:policy/team/reader', DefaultVersionId: 'v1', AttachmentCount: 0 });
    const arn = Policy!.Arn!;
    for (let n = 2; n <= 5; n += 1) {
      const { PolicyVersion } = await iam().send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_S3_READ, SetAsDefault: n === 3 }));
      expect(PolicyVersion).toMatchObject({ VersionId: `v${n}`, IsDefaultVersion: n === 3 });
    }
    const limit = await failure(iam().send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_S3_READ })));
    expect([limit.name, limit.message]).toEqual(['LimitExceededException', 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.']);
    expect((await iam().send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId).toBe('v3');
    await iam().send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
    const versions = await iam().send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(versions.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([['v5', true], ['v4', false], ['v3', false], ['v2', false], ['v1', false]]);
    const fetched = await iam().send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
    expect(JSON.parse(decodeURIComponent(fetched.PolicyVersion!.Document!))).toEqual(JSON.parse(ALLOW_S3_READ));
    const deleteDefault = await failure(iam().send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' })));
    expect([deleteDefault.name, deleteDefault.message]).toEqual(['DeleteConflictException', 'Cannot delete the default version of a policy.']);
    for (const v of ['v1', 'v2', 'v3', 'v4']) await iam().send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
    // A deleted version's number is not reused.
    expect((await iam().send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_S3_READ }))).PolicyVersion!.VersionId).toBe('v6');
    const missing = await failure(iam().send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })));
    expect(missing.name).toBe('NoSuchEntityException');
  });

  it('attaches, lists entities, refuses deleting an attached policy, then deletes it', async () => {
    const { Policy } = await iam().send(new CreatePolicyCommand({ PolicyName: 'reader', PolicyDocument: ALLOW_S3_READ }));
    const arn = Policy!.Arn!;
    await iam().send(new CreateUserCommand({ UserName: 'alice' }));
    await iam().send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    await iam().send(new AttachRolePolicyCommand({ RoleName: 'notes-application-role', PolicyArn: arn }));
    const entities = await iam().send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    expect(entities.PolicyUsers!.map((u) => u.UserName)).toEqual(['alice']);
    expect(entities.PolicyRoles!.map((r) => r.RoleName)).toEqual(['notes-application-role']);
    expect(entities.PolicyGroups).toEqual([]);
    expect((await iam().send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(2);
    const conflict = await failure(iam().send(new DeletePolicyCommand({ PolicyArn: arn })));
    expect([conflict.name, conflict.message, conflict.$metadata.httpStatusCode]).toEqual(['DeleteConflictException', 'Cannot delete a policy attached to entities.', 409]);
    const missingAttach = await failure(iam().send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })));
    expect([missingAttach.name, missingAttach.message]).toEqual(['NoSuchEntityException', 'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.']);
    await iam().send(new DetachRolePolicyCommand({ RoleName: 'notes-application-role', PolicyArn: arn }));
    const notAttached = await failure(iam().send(new DetachRolePolicyCommand({ RoleName: 'notes-application-role', PolicyArn: arn })));
    expect(notAttached.name).toBe('NoSuchEntityException');
    const duplicate = await failure(iam().send(new CreatePolicyCommand({ PolicyName: 'reader', PolicyDocument: ALLOW_S3_READ })));
    expect([duplicate.name, duplicate.message]).toEqual(['EntityAlreadyExistsException', 'A policy called reader already exists. Duplicate names are not allowed.']);
    await iam().send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    await iam().send(new DeletePolicyCommand({ PolicyArn: arn }));
    expect((await failure(iam().send(new GetPolicyCommand({ PolicyArn: arn })))).message).toBe(`Policy ${arn} was not found.`);
  });

  it('refuses malformed documents with MalformedPolicyDocument and oversized ones with LimitExceeded', async () => {
    const syntax = await failure(iam().send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: '{"Version": "2012-10-17", "Statement": [' })));
    expect([syntax.name, syntax.message, syntax.$metadata.httpStatusCode]).toEqual(['MalformedPolicyDocumentException', 'Syntax errors in policy.', 400]);
    const operator = policy({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualsSometimes: { 'aws:username': 'x' } } });
    const unknown = await failure(iam().send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: operator })));
    expect(unknown.message).toBe('Unknown condition operator: StringEqualsSometimes.');
    const big = policy(...Array.from({ length: 120 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${i}/*` })));
    const tooBig = await failure(iam().send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: big })));
    expect([tooBig.name, tooBig.message]).toEqual(['LimitExceededException', 'Cannot exceed quota for PolicySize: 6144']);
  });
});

describe('IAM inline policies', () => {
  it('puts, gets (URL-encoded), lists and deletes role, group and user policies', async () => {
    await iam().send(new PutRolePolicyCommand({ RoleName: 'notes-application-role', PolicyName: 'extra', PolicyDocument: ALLOW_S3_READ }));
    const got = await iam().send(new GetRolePolicyCommand({ RoleName: 'notes-application-role', PolicyName: 'extra' }));
    expect(got.RoleName).toBe('notes-application-role');
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(JSON.parse(ALLOW_S3_READ));
    expect((await iam().send(new ListRolePoliciesCommand({ RoleName: 'notes-application-role' }))).PolicyNames).toEqual(['extra']);
    await iam().send(new DeleteRolePolicyCommand({ RoleName: 'notes-application-role', PolicyName: 'extra' }));
    const gone = await failure(iam().send(new GetRolePolicyCommand({ RoleName: 'notes-application-role', PolicyName: 'extra' })));
    expect([gone.name, gone.message]).toEqual(['NoSuchEntityException', 'The role policy with name extra cannot be found.']);

    await iam().send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam().send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'g', PolicyDocument: ALLOW_S3_READ }));
    expect((await iam().send(new GetGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'g' }))).GroupName).toBe('devs');
  });

  it('counts a user inline quota of 2,048 characters across its policies, and needs an existing user', async () => {
    await iam().send(new CreateUserCommand({ UserName: 'alice' }));
    const statements = (prefix: string) => Array.from({ length: 12 }, (_, i) => ({ Sid: `${prefix}${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::b-${i}/*` }));
    await iam().send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'one', PolicyDocument: policy(...statements('A')) }));
    const over = await failure(iam().send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'two', PolicyDocument: policy(...statements('B')) })));
    expect([over.name, over.message]).toEqual(['LimitExceededException', 'Maximum policy size of 2048 bytes exceeded for user alice']);
    const nobody = await failure(iam().send(new PutUserPolicyCommand({ UserName: 'nobody', PolicyName: 'p', PolicyDocument: ALLOW_S3_READ })));
    expect(nobody.name).toBe('NoSuchEntityException');
    const withPrincipal = policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' });
    const malformed = await failure(iam().send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'p', PolicyDocument: withPrincipal })));
    expect([malformed.name, malformed.message]).toEqual(['MalformedPolicyDocumentException', 'Policy document should not specify a principal.']);
  });
});

describe('control API state dump', () => {
  it('shows users, roles, policies and attachments', async () => {
    await userWithKey(emulator, 'alice', ALLOW_S3_READ);
    const response = await fetch(`${emulator.endpoint}/_emulator/state`);
    const state = (await response.json()) as { iam: { accounts: Record<string, { users: { name: string; inlinePolicies: object; accessKeys: object[] }[]; roles: { name: string; attachedPolicies: string[] }[] }> } };
    const account = state.iam.accounts['000000000000']!;
    expect(account.users[0]).toMatchObject({ name: 'alice', inlinePolicies: { inline: ALLOW_S3_READ } });
    expect(account.users[0]!.accessKeys).toHaveLength(1);
    expect(account.roles.find((r) => r.name === 'notes-application-role')!.attachedPolicies).toContain('arn:aws:iam::aws:policy/ReadOnlyAccess');
  });
});
