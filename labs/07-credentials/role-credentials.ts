import { readFile } from 'node:fs/promises';

/** Temporary credentials with their end, the shape SDK clients take as `credentials`. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Fetch new credentials this long before the old ones expire (EC2 has new ones ready five minutes ahead). */
export const REFRESH_MARGIN_SECONDS = 5 * 60;

/** Where the SDKs look for the instance metadata service when AWS_EC2_METADATA_SERVICE_ENDPOINT is not set. */
export const DEFAULT_IMDS_ENDPOINT = 'http://169.254.169.254';

/**
 * TODO 4: Credentials of the instance role and of the container's task role, read from
 * code the way the SDK's chain does it, kept while valid and fetched again before they
 * expire. Each function returns a provider: a function that SDK clients take as
 * `credentials` (`new S3Client({ credentials: instanceRoleCredentials() })`).
 *
 * Instance role, IMDSv2 (the endpoint is AWS_EC2_METADATA_SERVICE_ENDPOINT, or
 * DEFAULT_IMDS_ENDPOINT):
 *   1. PUT  /latest/api/token  with header `X-aws-ec2-metadata-token-ttl-seconds: 21600`
 *      -> a session token (text);
 *   2. GET  /latest/meta-data/iam/security-credentials/  with header
 *      `X-aws-ec2-metadata-token: <token>` -> the role's name;
 *   3. GET  /latest/meta-data/iam/security-credentials/<role name>  (same header)
 *      -> JSON { AccessKeyId, SecretAccessKey, Token, Expiration, ... }.
 * Without the token header the service answers 401 (IMDSv2 is enforced).
 *
 * Container: GET AWS_CONTAINER_CREDENTIALS_FULL_URI with header `Authorization:` the
 * value of AWS_CONTAINER_AUTHORIZATION_TOKEN, or the content of the file named by
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE -> JSON { AccessKeyId, SecretAccessKey, Token,
 * Expiration, ... }.
 *
 * Both: read the variables when credentials are fetched (not when the provider is made);
 * a status other than 200 is an error that says which step failed. Return the same
 * credentials while Date.now() is more than REFRESH_MARGIN_SECONDS before their
 * expiration; after that, fetch new ones.
 */
export function instanceRoleCredentials(): () => Promise<TemporaryCredentials> {
  // BEGIN SOLUTION TODO 4
  return refreshing(async () => {
    const endpoint = (process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT || DEFAULT_IMDS_ENDPOINT).replace(/\/+$/, '');
    const token = await bodyOf(await fetch(`${endpoint}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } }), 'IMDSv2 token (PUT /latest/api/token)');
    const headers = { 'x-aws-ec2-metadata-token': token };
    const base = `${endpoint}/latest/meta-data/iam/security-credentials/`;
    const role = (await bodyOf(await fetch(base, { headers }), 'instance role name')).trim();
    return parseCredentials(await bodyOf(await fetch(base + role, { headers }), `credentials of the instance role ${role}`));
  });
  // END SOLUTION
}

export function containerCredentials(): () => Promise<TemporaryCredentials> {
  // BEGIN SOLUTION TODO 4
  return refreshing(async () => {
    const uri = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    if (!uri) throw new Error('AWS_CONTAINER_CREDENTIALS_FULL_URI is not set: this is not a container with a task role');
    const tokenFile = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
    const token = tokenFile ? (await readFile(tokenFile, 'utf8')).trim() : process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    return parseCredentials(await bodyOf(await fetch(uri, { headers: token ? { authorization: token } : {} }), 'container credentials'));
  });
  // END SOLUTION
}

/**
 * Part of TODO 4: a provider that keeps what `fetchNew` answered, and calls it again only
 * once Date.now() is within REFRESH_MARGIN_SECONDS of the kept credentials' expiration.
 */
export function refreshing(fetchNew: () => Promise<TemporaryCredentials>): () => Promise<TemporaryCredentials> {
  // BEGIN SOLUTION TODO 4
  let current: TemporaryCredentials | undefined;
  return async () => {
    if (!current || Date.now() >= current.expiration.getTime() - REFRESH_MARGIN_SECONDS * 1000) current = await fetchNew();
    return current;
  };
  // END SOLUTION
}

/** The body of a credential endpoint's answer; any status but 200 is an error naming the step. */
export async function bodyOf(response: Response, step: string): Promise<string> {
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${step}: HTTP ${response.status} ${body.slice(0, 200)}`);
  return body;
}

/** The JSON both endpoints answer ({ AccessKeyId, SecretAccessKey, Token, Expiration, ... }) as TemporaryCredentials. */
export function parseCredentials(body: string): TemporaryCredentials {
  const json = JSON.parse(body) as { AccessKeyId: string; SecretAccessKey: string; Token: string; Expiration: string };
  return { accessKeyId: json.AccessKeyId, secretAccessKey: json.SecretAccessKey, sessionToken: json.Token, expiration: new Date(json.Expiration) };
}
