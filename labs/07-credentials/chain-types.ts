/** An environment a program could run in, as TODO 1 receives it. */
export interface CredentialEnvironment {
  /** The process's environment variables (AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_CONTAINER_CREDENTIALS_FULL_URI, ...). */
  variables: Record<string, string>;
  /** The text of ~/.aws/credentials, when the file exists. */
  credentialsFile?: string;
  /** The text of ~/.aws/config, when the file exists. */
  configFile?: string;
  /** Whether the instance metadata service answers with an instance role (an EC2 instance with an instance profile). */
  instanceRole: boolean;
}

/** Where the default chain of the AWS SDK for JavaScript v3 finds credentials. */
export type CredentialSource =
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY */
  | 'environment'
  /** static keys of a profile in ~/.aws/credentials */
  | 'credentials-file'
  /** static keys of a profile in ~/.aws/config */
  | 'config-file'
  /** a profile's credential_process */
  | 'credential-process'
  /** a profile's role_arn, assumed with the keys of its source_profile */
  | 'assume-role'
  /** the container credential endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) */
  | 'container'
  /** the EC2 instance role, from the instance metadata service */
  | 'instance-metadata'
  /** nowhere: the chain fails with "Could not load credentials from any providers" */
  | 'none';

export interface ChainAnswer {
  source: CredentialSource;
  /** For the profile sources (credentials-file, config-file, credential-process, assume-role): the profile that answered. */
  profile?: string;
  /** Why, in a sentence: what you would tell a colleague. Not graded. */
  reason: string;
}
