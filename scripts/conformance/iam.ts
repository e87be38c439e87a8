import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  GetUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { observe, withoutAccount, type Behaviour } from './behaviour.ts';

const TRUST_EC2 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const READ_ONLY_S3 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }],
});

export const IAM_BEHAVIOURS: Behaviour[] = [
  {
    name: 'IAM CreateUser: ARN, path, id prefix',
    run: async (t) => ({
      create: await observe(t.iam.send(new CreateUserCommand({ UserName: 'kim', Path: '/students/' })), (o) => ({
        arn: withoutAccount(o.User?.Arn, t.backend.accountId),
        path: o.User?.Path,
        userIdPrefix: o.User?.UserId?.slice(0, 4),
        createDateIsDate: o.User?.CreateDate instanceof Date,
      })),
    }),
  },
  {
    name: 'IAM CreateUser twice: EntityAlreadyExists',
    run: async (t) => {
      await t.iam.send(new CreateUserCommand({ UserName: 'kim' }));
      return { again: await observe(t.iam.send(new CreateUserCommand({ UserName: 'kim' }))) };
    },
  },
  {
    name: 'IAM GetUser and DeleteUser of a missing user: NoSuchEntity',
    run: async (t) => ({
      get: await observe(t.iam.send(new GetUserCommand({ UserName: 'nobody' }))),
      delete: await observe(t.iam.send(new DeleteUserCommand({ UserName: 'nobody' }))),
    }),
  },
  {
    name: 'IAM ListUsers: names',
    run: async (t) => {
      for (const name of ['lee', 'kim', 'park']) await t.iam.send(new CreateUserCommand({ UserName: name }));
      return { list: await observe(t.iam.send(new ListUsersCommand({})), (o) => ({ names: o.Users?.map((u) => u.UserName).sort() })) };
    },
  },
  {
    name: 'IAM CreateAccessKey: an active AKIA key with a secret',
    run: async (t) => {
      await t.iam.send(new CreateUserCommand({ UserName: 'kim' }));
      return {
        key: await observe(t.iam.send(new CreateAccessKeyCommand({ UserName: 'kim' })), (o) => ({
          userName: o.AccessKey?.UserName,
          status: o.AccessKey?.Status,
          idPrefix: o.AccessKey?.AccessKeyId?.slice(0, 4),
          idLength: o.AccessKey?.AccessKeyId?.length,
          secretLength: o.AccessKey?.SecretAccessKey?.length,
        })),
      };
    },
  },
  {
    name: 'IAM AttachUserPolicy with an AWS managed policy, then ListAttachedUserPolicies',
    run: async (t) => {
      await t.iam.send(new CreateUserCommand({ UserName: 'kim' }));
      const policyArn = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
      return {
        attach: await observe(t.iam.send(new AttachUserPolicyCommand({ UserName: 'kim', PolicyArn: policyArn }))),
        list: await observe(t.iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'kim' })), (o) => ({ policies: o.AttachedPolicies })),
      };
    },
  },
  {
    name: 'IAM AttachUserPolicy with a policy that does not exist: NoSuchEntity',
    run: async (t) => {
      await t.iam.send(new CreateUserCommand({ UserName: 'kim' }));
      return {
        attach: await observe(
          t.iam.send(new AttachUserPolicyCommand({ UserName: 'kim', PolicyArn: `arn:aws:iam::${t.backend.accountId}:policy/NotThere` })),
        ),
      };
    },
  },
  {
    name: 'IAM PutUserPolicy then GetUserPolicy: the document comes back URL-encoded JSON',
    run: async (t) => {
      await t.iam.send(new CreateUserCommand({ UserName: 'kim' }));
      await t.iam.send(new PutUserPolicyCommand({ UserName: 'kim', PolicyName: 'read-s3', PolicyDocument: READ_ONLY_S3 }));
      return {
        get: await observe(t.iam.send(new GetUserPolicyCommand({ UserName: 'kim', PolicyName: 'read-s3' })), (o) => ({
          name: o.PolicyName,
          document: JSON.parse(decodeURIComponent(o.PolicyDocument ?? '""')) as unknown,
        })),
      };
    },
  },
  {
    name: 'IAM CreateRole then GetRole: ARN and trust policy',
    run: async (t) => {
      const create = await observe(t.iam.send(new CreateRoleCommand({ RoleName: 'app-role', AssumeRolePolicyDocument: TRUST_EC2 })), (o) => ({
        arn: withoutAccount(o.Role?.Arn, t.backend.accountId),
        roleIdPrefix: o.Role?.RoleId?.slice(0, 4),
      }));
      const get = await observe(t.iam.send(new GetRoleCommand({ RoleName: 'app-role' })), (o) => ({
        trust: JSON.parse(decodeURIComponent(o.Role?.AssumeRolePolicyDocument ?? '""')) as unknown,
        maxSessionDuration: o.Role?.MaxSessionDuration,
      }));
      return { create, get, missing: await observe(t.iam.send(new GetRoleCommand({ RoleName: 'no-role' }))) };
    },
  },
];
