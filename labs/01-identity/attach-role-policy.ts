import { AttachRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';

/**
 * TODO 4: Attach the managed policy `policyArn` to the role `roleName`, like the
 * course's `aws iam attach-role-policy --policy-arn <arn> --role-name notes-application-role`.
 *
 * AttachRolePolicy takes the policy's ARN, not its name (that is why TODO 3 exists).
 * Attaching a policy that is already attached is not an error, so the call is safe
 * to repeat. Every program that uses the role gets the new permissions with its next
 * request: there is nothing to restart.
 */
export async function attachRolePolicy(iam: IAMClient, roleName: string, policyArn: string): Promise<void> {
  // BEGIN SOLUTION TODO 4
  await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
  // END SOLUTION
}
