import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { ROOT_ACCESS_KEY, ROOT_SECRET_KEY } from '../../core/identity.ts';
import type { RunningEmulator } from '../../server.ts';

/** Clients and principals for IAM/STS/authorize tests against a running emulator. */
export const ROOT: AwsCredentialIdentity = { accessKeyId: ROOT_ACCESS_KEY, secretAccessKey: ROOT_SECRET_KEY };

export function iamClient(emulator: RunningEmulator, credentials: AwsCredentialIdentity = ROOT): IAMClient {
  return new IAMClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export function stsClient(emulator: RunningEmulator, credentials: AwsCredentialIdentity = ROOT): STSClient {
  return new STSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** An IAM user with one inline policy (if given) and an access key: its credentials. */
export async function userWithKey(emulator: RunningEmulator, name: string, document?: string): Promise<AwsCredentialIdentity> {
  const iam = iamClient(emulator);
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (document) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: document }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** The rejection of a promise, for asserting on error name, message and status. */
export async function failure(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
