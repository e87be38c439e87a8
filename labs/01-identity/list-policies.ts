import { paginateListPolicies, type IAMClient } from '@aws-sdk/client-iam';

/**
 * TODO 3: Find the ARN of the managed policy named exactly `policyName`, or return
 * undefined when there is none. The course does it with the CLI:
 *
 *     aws iam list-policies --output text --query 'Policies[?PolicyName == `S3-Delete-Bucket-Policy`].Arn'
 *
 * Two things the CLI did for you that the SDK does not:
 * - Pages. ListPolicies answers at most 100 policies per call (MaxItems), with
 *   `IsTruncated: true` and a `Marker` to ask for the next page. An account sees
 *   every AWS managed policy (over a thousand on AWS) plus its own, so the one you
 *   want is rarely on the first page. The CLI follows the pages by itself; in the SDK
 *   use `paginateListPolicies({ client: iam }, {})` (a `for await` over the pages),
 *   or loop with Marker yourself.
 * - The ARN. Customer managed policies live in your account
 *   (arn:aws:iam::<account>:policy/<path><name>), AWS managed ones in the `aws`
 *   namespace (arn:aws:iam::aws:policy/<path><name>), some under a path. Take the
 *   ARN from the answer; do not build it from the name.
 *
 * Compare names exactly, like the `==` of the query: "S3-Delete-Bucket-Policy-Old" is
 * another policy.
 */
export async function findPolicyArn(iam: IAMClient, policyName: string): Promise<string | undefined> {
  // BEGIN SOLUTION TODO 3
  for await (const page of paginateListPolicies({ client: iam }, {})) {
    const match = page.Policies?.find((policy) => policy.PolicyName === policyName);
    if (match) return match.Arn;
  }
  return undefined;
  // END SOLUTION
}
