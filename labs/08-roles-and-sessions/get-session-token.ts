import { GetSessionTokenCommand, type STSClient } from '@aws-sdk/client-sts';
import type { SessionCredentials } from './session-credentials.ts';

/**
 * TODO 4: Get temporary credentials for your own user, proven with MFA, like
 * `aws sts get-session-token --serial-number <mfa arn> --token-code <code>`.
 *
 * - `SerialNumber` is the MFA device's ARN (arn:aws:iam::<account>:mfa/<name>) and
 *   `TokenCode` the six digits your authenticator app shows now: ask `code()` for
 *   them right before the call (a code lives 30 seconds and is good only once).
 * - Without both, STS still answers, but with a session that does not count as MFA:
 *   policies that require `aws:MultiFactorAuthPresent` keep denying it.
 * - A wrong code fails with AccessDenied. Let that error reach the caller: do not
 *   retry without MFA.
 */
export async function getMfaSession(sts: STSClient, serialNumber: string, code: () => Promise<string>, durationSeconds: number): Promise<SessionCredentials> {
  // BEGIN SOLUTION TODO 4
  const { Credentials } = await sts.send(new GetSessionTokenCommand({ SerialNumber: serialNumber, TokenCode: await code(), DurationSeconds: durationSeconds }));
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
    expiration: Credentials!.Expiration!,
  };
  // END SOLUTION
}
