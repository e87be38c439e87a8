import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { totpCode } from './authenticator.ts';

/** What the course's CloudFormation template created before the lab: a user, a role that trusts it, a bucket. */
export interface LabWorld {
  userArn: string;
  userCredentials: { accessKeyId: string; secretAccessKey: string };
  /** The role may only read objects of the bucket (s3:GetObject). */
  roleArn: string;
  bucket: string;
  readKey: string;
  writeKey: string;
  mfaSerial: string;
  /** The Base32 seed of the user's virtual MFA device: what the QR code holds. */
  mfaSeed: string;
}

function policy(statement: object): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
}

/**
 * Builds the lab's world with the administrator's credentials from the environment.
 * Names get a random suffix, so the program can run again against the same emulator.
 */
export async function setUpLab(maxAttempts: number): Promise<LabWorld> {
  const suffix = randomBytes(3).toString('hex');
  const iam = new IAMClient({ maxAttempts });
  const s3 = new S3Client({ maxAttempts });
  try {
    const bucket = `notes-bucket-sessions-${suffix}`;
    const region = await s3.config.region();
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint } }));
    const readKey = 'notes/notes.json';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: readKey, Body: '[{"year": 2024, "title": "Roles are temporary"}]', ContentType: 'application/json' }));

    const userName = `notes-developer-${suffix}`;
    const { User } = await iam.send(new CreateUserCommand({ UserName: userName }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    // The user may decode denials; everything else it does through the role.
    await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'decode-denials', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:DecodeAuthorizationMessage', Resource: '*' }) }));

    const roleName = `notes-reader-role-${suffix}`;
    const trust = policy({ Effect: 'Allow', Principal: { AWS: User!.Arn }, Action: 'sts:AssumeRole' });
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust }));
    await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'read-notes', PolicyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }) }));

    // IAM console, "Assign MFA device": scan the seed, then type two consecutive codes.
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: userName }));
    const mfaSeed = Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('utf8');
    const now = Date.now();
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: userName,
        SerialNumber: VirtualMFADevice!.SerialNumber,
        AuthenticationCode1: totpCode(mfaSeed, new Date(now - 60_000)),
        AuthenticationCode2: totpCode(mfaSeed, new Date(now - 30_000)),
      }),
    );

    return {
      userArn: User!.Arn!,
      userCredentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      roleArn: Role!.Arn!,
      bucket,
      readKey,
      writeKey: `notes/from-the-role-${suffix}.txt`,
      mfaSerial: VirtualMFADevice!.SerialNumber!,
      mfaSeed,
    };
  } finally {
    iam.destroy();
    s3.destroy();
  }
}
