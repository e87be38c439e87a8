/**
 * Temporary credentials, as AssumeRole and GetSessionToken hand them out. The shape
 * is the SDK's own (AwsCredentialIdentity), so it can be passed as a client's
 * `credentials` as it is.
 */
export interface SessionCredentials {
  /** ASIA...: temporary keys start with ASIA, long-term ones with AKIA. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Must travel with every request (X-Amz-Security-Token); without it the key is unknown. */
  sessionToken: string;
  /** After this instant every request with these credentials fails with ExpiredToken. */
  expiration: Date;
}
