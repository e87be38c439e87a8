import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the program works with: a developer user with keys, a role that trusts it, and shared files naming both. */
export interface LabWorld {
  userArn: string;
  roleArn: string;
  /** The lab's own ~/.aws: credentials with the developer's keys, config with the role profile. */
  credentialsFile: string;
  configFile: string;
}

/**
 * Builds the lab's world with the administrator's credentials from the environment, and
 * writes shared config files for it in a temp folder (never your own ~/.aws):
 *
 *   credentials:  [<profile>]  aws_access_key_id / aws_secret_access_key of the user
 *   config:       [profile <roleProfile>]  role_arn, source_profile = <profile>, region
 */
export async function setUpLab(profile: string, roleProfile: string, maxAttempts: number): Promise<LabWorld> {
  const suffix = randomBytes(3).toString('hex');
  const iam = new IAMClient({ maxAttempts });
  try {
    const { User } = await iam.send(new CreateUserCommand({ UserName: `notes-developer-${suffix}` }));
    // The developer may assume roles; what the role trusts decides the rest.
    await iam.send(new PutUserPolicyCommand({ UserName: User!.UserName, PolicyName: 'assume-roles', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }) }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: User!.UserName }));
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: User!.Arn }, Action: 'sts:AssumeRole' }] };
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: `notes-admin-${suffix}`, AssumeRolePolicyDocument: JSON.stringify(trust) }));

    const dir = mkdtempSync(join(tmpdir(), 'lab07-aws-'));
    const credentialsFile = join(dir, 'credentials');
    const configFile = join(dir, 'config');
    writeFileSync(credentialsFile, `[${profile}]\naws_access_key_id = ${AccessKey!.AccessKeyId}\naws_secret_access_key = ${AccessKey!.SecretAccessKey}\n`);
    const region = process.env.AWS_REGION ?? 'us-east-1';
    writeFileSync(configFile, `[profile ${profile}]\nregion = ${region}\n\n[profile ${roleProfile}]\nrole_arn = ${Role!.Arn}\nsource_profile = ${profile}\nregion = ${region}\n`);
    return { userArn: User!.Arn!, roleArn: Role!.Arn!, credentialsFile, configFile };
  } finally {
    iam.destroy();
  }
}
