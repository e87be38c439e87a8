import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { StrayCredentialsError } from './stray-credentials-error.ts';

/**
 * TODO 3: Before it does anything, a program meant to run as the EC2 instance role
 * `roleName` checks who it really is, and refuses to go on as anyone else.
 *
 * Ask STS GetCallerIdentity with `sts` (when given: the client the program will use) or
 * else with a client from the default chain (no `credentials`: exactly what the program's
 * other clients will get). An instance role's sessions are
 * `arn:aws:sts::<account>:assumed-role/<roleName>/<instance id>`: return `{ arn }` when the
 * answer is such an ARN, and throw a StrayCredentialsError(arn, roleName) otherwise: keys
 * left in the environment or in the code win over the instance role, silently, and the
 * program would run with someone else's permissions (the course's scenario).
 */
export async function verifyInstanceRole(roleName: string, sts?: STSClient): Promise<{ arn: string }> {
  // BEGIN SOLUTION TODO 3
  const client = sts ?? new STSClient({});
  try {
    const { Arn } = await client.send(new GetCallerIdentityCommand({}));
    const arn = Arn ?? '';
    const match = /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/([^/]+)\//.exec(arn);
    if (match?.[1] !== roleName) throw new StrayCredentialsError(arn, roleName);
    return { arn };
  } finally {
    if (!sts) client.destroy();
  }
  // END SOLUTION
}
