import type { ChainAnswer, CredentialEnvironment } from './chain-types.ts';
import { parseIni } from './ini-files.ts';

/**
 * TODO 1: Predict where the default credential chain of the AWS SDK for JavaScript v3
 * (what `new STSClient({})` uses when you pass no `credentials`) finds credentials in
 * `environment`, and say why.
 *
 * The chain tries, in order, and stops at the first source that has credentials:
 *   1. the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (both), but only when
 *      AWS_PROFILE is not set (JS v3 skips them then; the AWS CLI and boto3 do not);
 *   2. the profile AWS_PROFILE names ("default" without it), from ~/.aws/credentials
 *      (`[name]`) and ~/.aws/config (`[default]`, `[profile name]`), the credentials file
 *      winning for a key both set: its role_arn + source_profile, its static keys, its
 *      credential_process, in that order;
 *   3. the container endpoint, when AWS_CONTAINER_CREDENTIALS_FULL_URI is set (then the
 *      instance metadata service is never asked);
 *   4. the instance role from the instance metadata service, unless
 *      AWS_EC2_METADATA_DISABLED is "true".
 * The README explains each step, with the cases that surprise people.
 */
export function whichSource(environment: CredentialEnvironment): ChainAnswer {
  // BEGIN SOLUTION TODO 1
  const vars = environment.variables;
  const chosen = vars.AWS_PROFILE || undefined;
  if (!chosen && vars.AWS_ACCESS_KEY_ID && vars.AWS_SECRET_ACCESS_KEY) {
    return { source: 'environment', reason: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set and AWS_PROFILE is not' };
  }
  const profile = chosen ?? 'default';
  // ~/.aws/credentials: every section is a profile of its own name.
  const fromCredentials = parseIni(environment.credentialsFile ?? '');
  // ~/.aws/config: `[default]` and `[profile NAME]`; a `[NAME]` without "profile " is no profile there.
  const fromConfig: Record<string, Record<string, string>> = {};
  for (const [section, values] of Object.entries(parseIni(environment.configFile ?? ''))) {
    if (section === 'default') fromConfig.default = { ...values, ...fromConfig.default };
    else if (section.startsWith('profile ')) fromConfig[section.slice('profile '.length).trim()] = values;
  }
  const merged = (name: string) => ({ ...fromConfig[name], ...fromCredentials[name] });
  const data = merged(profile);
  const hasKeys = (d: Record<string, string>) => Boolean(d.aws_access_key_id && d.aws_secret_access_key);

  if (data.role_arn && data.source_profile && hasKeys(merged(data.source_profile))) {
    return { source: 'assume-role', profile, reason: `profile ${profile} has role_arn and source_profile ${data.source_profile}: the chain assumes the role with that profile's keys` };
  }
  if (hasKeys(data)) {
    const file = fromCredentials[profile]?.aws_access_key_id ? 'credentials-file' : 'config-file';
    return { source: file, profile, reason: `profile ${profile} has static keys in the ${file === 'credentials-file' ? 'credentials' : 'config'} file${chosen ? ' (AWS_PROFILE)' : ''}` };
  }
  if (data.credential_process) {
    return { source: 'credential-process', profile, reason: `profile ${profile} runs credential_process` };
  }
  if (vars.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    return { source: 'container', reason: 'no keys in the environment or the profile, and AWS_CONTAINER_CREDENTIALS_FULL_URI is set' };
  }
  if (vars.AWS_EC2_METADATA_DISABLED && vars.AWS_EC2_METADATA_DISABLED !== 'false') {
    return { source: 'none', reason: 'nothing before the instance role, and AWS_EC2_METADATA_DISABLED turns it off' };
  }
  if (environment.instanceRole) {
    return { source: 'instance-metadata', reason: `nothing before it (profile ${profile} has no credentials), so the instance role answers` };
  }
  return { source: 'none', reason: 'no source has credentials' };
  // END SOLUTION
}
