import { createHash } from 'node:crypto';
import type { ManagedPolicy } from './iam-state.ts';

/**
 * AWS managed policies under their real names and ARNs (arn:aws:iam::aws:policy/...).
 * The documents keep the statements the real policies have for the services this
 * emulator serves (s3, dynamodb, iam, sts, ssm), so what a lab attaches grants on
 * the emulator what it grants on AWS; statements for other services are trimmed.
 */
interface AwsManagedPolicyDefinition {
  name: string;
  path?: string;
  description: string;
  statements: object[];
}

const DEFINITIONS: AwsManagedPolicyDefinition[] = [
  {
    name: 'AdministratorAccess',
    description: 'Provides full access to AWS services and resources.',
    statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  },
  {
    name: 'PowerUserAccess',
    description: 'Provides full access to AWS services and resources, but does not allow management of Users and groups.',
    statements: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'iam:CreateServiceLinkedRole',
          'iam:DeleteServiceLinkedRole',
          'iam:ListRoles',
          'organizations:DescribeOrganization',
          'account:ListRegions',
          'account:GetAccountInformation',
        ],
        Resource: '*',
      },
    ],
  },
  {
    name: 'ReadOnlyAccess',
    description: 'Provides read-only access to AWS services and resources.',
    statements: [
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:BatchGet*',
          'dynamodb:Describe*',
          'dynamodb:Get*',
          'dynamodb:List*',
          'dynamodb:PartiQLSelect',
          'dynamodb:Query',
          'dynamodb:Scan',
          'iam:Generate*',
          'iam:Get*',
          'iam:List*',
          'iam:Simulate*',
          's3:Describe*',
          's3:Get*',
          's3:List*',
          'ssm:Describe*',
          'ssm:Get*',
          'ssm:List*',
        ],
        Resource: '*',
      },
    ],
  },
  {
    name: 'AmazonS3FullAccess',
    description: 'Provides full access to all buckets via the AWS Management Console.',
    statements: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }],
  },
  {
    name: 'AmazonS3ReadOnlyAccess',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    statements: [
      {
        Effect: 'Allow',
        Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'],
        Resource: '*',
      },
    ],
  },
  {
    name: 'AmazonDynamoDBFullAccess',
    description: 'Provides full access to Amazon DynamoDB via the AWS Management Console.',
    statements: [
      { Action: ['dynamodb:*', 'dax:*', 'application-autoscaling:*', 'cloudwatch:*'], Effect: 'Allow', Resource: '*' },
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: '*',
        Condition: { StringLike: { 'iam:PassedToService': ['application-autoscaling.amazonaws.com', 'dax.amazonaws.com'] } },
      },
    ],
  },
  {
    name: 'AmazonDynamoDBReadOnlyAccess',
    description: 'Provides read only access to Amazon DynamoDB via the AWS Management Console.',
    statements: [
      {
        Action: [
          'dynamodb:BatchGetItem',
          'dynamodb:Describe*',
          'dynamodb:List*',
          'dynamodb:GetAbacStatus',
          'dynamodb:GetItem',
          'dynamodb:GetResourcePolicy',
          'dynamodb:Query',
          'dynamodb:Scan',
          'dynamodb:PartiQLSelect',
          'dax:Describe*',
          'dax:List*',
          'dax:GetItem',
          'dax:BatchGetItem',
          'dax:Query',
          'dax:Scan',
        ],
        Effect: 'Allow',
        Resource: '*',
      },
    ],
  },
  {
    name: 'IAMFullAccess',
    description: 'Provides full access to IAM via the AWS Management Console.',
    statements: [{ Effect: 'Allow', Action: ['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization'], Resource: '*' }],
  },
  {
    name: 'IAMReadOnlyAccess',
    description: 'Provides read only access to IAM via the AWS Management Console.',
    statements: [
      {
        Effect: 'Allow',
        Action: ['iam:GenerateCredentialReport', 'iam:GenerateServiceLastAccessedDetails', 'iam:Get*', 'iam:List*', 'iam:SimulateCustomPolicy', 'iam:SimulatePrincipalPolicy'],
        Resource: '*',
      },
    ],
  },
  {
    name: 'AmazonSSMReadOnlyAccess',
    description: 'Provides read only access to Amazon SSM.',
    statements: [{ Effect: 'Allow', Action: ['ssm:Describe*', 'ssm:Get*', 'ssm:List*'], Resource: '*' }],
  },
  {
    name: 'AmazonSSMManagedInstanceCore',
    description: 'The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.',
    statements: [
      {
        Effect: 'Allow',
        Action: [
          'ssm:DescribeAssociation',
          'ssm:GetDeployablePatchSnapshotForInstance',
          'ssm:GetDocument',
          'ssm:DescribeDocument',
          'ssm:GetManifest',
          'ssm:GetParameter',
          'ssm:GetParameters',
          'ssm:ListAssociations',
          'ssm:ListInstanceAssociations',
          'ssm:PutInventory',
          'ssm:PutComplianceItems',
          'ssm:PutConfigurePackageResult',
          'ssm:UpdateAssociationStatus',
          'ssm:UpdateInstanceAssociationStatus',
          'ssm:UpdateInstanceInformation',
        ],
        Resource: '*',
      },
      { Effect: 'Allow', Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], Resource: '*' },
      { Effect: 'Allow', Action: ['ec2messages:AcknowledgeMessage', 'ec2messages:DeleteMessage', 'ec2messages:FailMessage', 'ec2messages:GetEndpoint', 'ec2messages:GetMessages', 'ec2messages:SendReply'], Resource: '*' },
    ],
  },
];

/** A fixed creation date: the same on every run, like the real (old) policies. */
const CREATED = new Date('2015-02-06T18:39:46Z');

function stableId(name: string): string {
  // ANPA + 17 characters derived from the name, so ids are stable across resets and runs.
  const digest = createHash('sha256').update(name).digest('hex').toUpperCase().replace(/[^A-Z2-7]/g, '');
  return ('ANPA' + digest + 'ANPAQQQQQQQQQQQQQQQQQ').slice(0, 21);
}

function build(definition: AwsManagedPolicyDefinition): ManagedPolicy {
  const document = JSON.stringify({ Version: '2012-10-17', Statement: definition.statements });
  return {
    name: definition.name,
    path: definition.path ?? '/',
    id: stableId(definition.name),
    arn: `arn:aws:iam::aws:policy${definition.path ?? '/'}${definition.name}`,
    description: definition.description,
    createDate: CREATED,
    updateDate: CREATED,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document, createDate: CREATED }],
    nextVersion: 2,
    awsManaged: true,
  };
}

/** By ARN. Read-only: shared by every account and every store. */
export const AWS_MANAGED_POLICIES: ReadonlyMap<string, ManagedPolicy> = new Map(
  DEFINITIONS.map((definition) => {
    const policy = build(definition);
    return [policy.arn, policy];
  }),
);
