/** What verifyInstanceRole (TODO 3) throws when the program is not running as the instance role. */
export class StrayCredentialsError extends Error {
  override readonly name = 'StrayCredentialsError';

  constructor(
    /** The identity the program really has (GetCallerIdentity's Arn). */
    readonly actualArn: string,
    /** The role it should run as. */
    readonly expectedRole: string,
  ) {
    super(
      `This program runs as ${actualArn}, not as the instance role ${expectedRole}. ` +
        'Keys in the environment (AWS_ACCESS_KEY_ID), a profile (AWS_PROFILE) or in the code come before the instance role in the credential chain: remove them.',
    );
  }
}
