import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * TODO 1: Create the STS and IAM clients that main.ts passes to every other function.
 *
 * Write no keys, no region and no endpoint in the code: the SDK's default credential
 * chain finds the credentials (environment variables, then ~/.aws files, then the
 * container or instance role), and the region and endpoint come from the environment
 * too. That is how the same code runs on your laptop, in the lab emulator and on the
 * course's Cloud9 instance, where the keys are the instance role's. Keys written in
 * code are also keys that end up in Git.
 *
 * Set `maxAttempts` to the argument (config.ini's max_attempts).
 */
export function createStsClient(maxAttempts: number): STSClient {
  // BEGIN SOLUTION TODO 1
  return new STSClient({ maxAttempts });
  // END SOLUTION
}

/** TODO 1 (continued): the IAM client, built the same way. IAM is global, but the SDK still wants a region to sign with. */
export function createIamClient(maxAttempts: number): IAMClient {
  // BEGIN SOLUTION TODO 1
  return new IAMClient({ maxAttempts });
  // END SOLUTION
}
