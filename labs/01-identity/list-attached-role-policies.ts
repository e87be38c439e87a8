import { paginateListAttachedRolePolicies, type IAMClient } from '@aws-sdk/client-iam';

export interface AttachedPolicy {
  name: string;
  arn: string;
}

/**
 * TODO 5: List every managed policy attached to the role `roleName`, asking for
 * `pageSize` policies per request, and return them in the order IAM lists them.
 *
 * Like every IAM list, ListAttachedRolePolicies answers one page at a time: pass
 * `pageSize` to the paginator (`paginateListAttachedRolePolicies({ client: iam, pageSize }, { RoleName })`,
 * which sends it as MaxItems) and follow the pages to the end. Small pages are how
 * you keep each answer small; the program must still see everything.
 */
export async function listAttachedRolePolicies(iam: IAMClient, roleName: string, pageSize: number): Promise<AttachedPolicy[]> {
  // BEGIN SOLUTION TODO 5
  const attached: AttachedPolicy[] = [];
  for await (const page of paginateListAttachedRolePolicies({ client: iam, pageSize }, { RoleName: roleName })) {
    for (const policy of page.AttachedPolicies ?? []) attached.push({ name: policy.PolicyName!, arn: policy.PolicyArn! });
  }
  return attached;
  // END SOLUTION
}
