import { STSClient } from '@aws-sdk/client-sts';

/**
 * TODO 2: Return an STS client that signs with the credentials of the named profile of
 * the shared files (~/.aws/credentials and ~/.aws/config), whatever else the environment
 * holds: keys in AWS_ACCESS_KEY_ID, another AWS_PROFILE, an instance role.
 *
 * The same call must work for a profile with static keys and for a role profile
 * (`role_arn` + `source_profile` in the config file): the SDK then assumes the role with
 * the source profile's keys, and renews the session when it expires.
 * Leave region and endpoint to the environment.
 */
export function profileStsClient(profile: string, maxAttempts: number): STSClient {
  // BEGIN SOLUTION TODO 2
  // `profile` makes the client's chain read that profile (fromIni) instead of AWS_PROFILE/default,
  // and skip the environment's keys: the same as `credentials: fromIni({ profile })`.
  return new STSClient({ profile, maxAttempts });
  // END SOLUTION
}
