import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

export interface CallerIdentity {
  /** The 12-digit account the credentials belong to. */
  account: string;
  /** Who you are: arn:aws:iam::<account>:user/<name>, ...:root, or arn:aws:sts::<account>:assumed-role/<role>/<session>. */
  arn: string;
}

/**
 * TODO 2: Ask STS who the client's credentials belong to, like the course's
 * `aws sts get-caller-identity`, and return the account and the ARN it answers.
 *
 * GetCallerIdentity needs no permission at all (even an explicit Deny cannot stop it),
 * which makes it the first thing to run when you wonder which credentials your code
 * really uses. Return what STS says; never write an account id in code.
 */
export async function getCallerIdentity(sts: STSClient): Promise<CallerIdentity> {
  // BEGIN SOLUTION TODO 2
  const { Account, Arn } = await sts.send(new GetCallerIdentityCommand({}));
  return { account: Account!, arn: Arn! };
  // END SOLUTION
}
