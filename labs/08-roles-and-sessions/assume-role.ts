import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { S3Client } from '@aws-sdk/client-s3';
import type { SessionCredentials } from './session-credentials.ts';

/**
 * TODO 1: Assume the role `roleArn` with the client's credentials (an IAM user's keys),
 * like the course's `aws sts assume-role --role-arn $ROLE_ARN --role-session-name ...`,
 * and return the session's credentials.
 *
 * - STS asks the role's *trust policy* whether your user may assume it (here it names
 *   the user). The session then has the role's permissions, not the user's.
 * - Pass `RoleSessionName` and `DurationSeconds` (config.ini): the default duration
 *   is one hour, whatever you wanted.
 * - The answer's `Credentials` has AccessKeyId, SecretAccessKey, SessionToken and
 *   Expiration (a Date). Return all four in the SDK's camelCase shape.
 */
export async function assumeRole(sts: STSClient, roleArn: string, sessionName: string, durationSeconds: number): Promise<SessionCredentials> {
  // BEGIN SOLUTION TODO 1
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: durationSeconds }));
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
    expiration: Credentials!.Expiration!,
  };
  // END SOLUTION
}

/**
 * TODO 1 (continued): An S3 client that signs with the session's credentials, like the
 * course's `boto3.Session(aws_access_key_id=..., aws_session_token=...)`.
 *
 * Give the client these credentials explicitly; region and endpoint still come from
 * the environment. A client built with no credentials would take the environment's
 * keys (your user's, or worse), and every request would quietly run with *those*
 * permissions instead of the role's. The session token is part of the credentials:
 * without it the temporary key is refused.
 */
export function createSessionS3Client(credentials: SessionCredentials): S3Client {
  // BEGIN SOLUTION TODO 1
  return new S3Client({ credentials });
  // END SOLUTION
}
