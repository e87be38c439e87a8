/**
 * Lab 07: credentials. The course's lessons on the order of security credentials and on
 * EC2 instance roles, as a program: predict which source the SDK's chain uses, build
 * clients for named profiles, refuse to run with stray keys instead of the instance
 * role, and read instance-role and container credentials from code.
 * `npm run lab:7` runs this program against the lab emulator (which also plays the EC2
 * instance metadata service and a container credential endpoint), then grades each TODO.
 * You do not need to change this file: the TODOs are in the files it imports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CredentialEnvironment } from './chain-types.ts';
import { setUpLab } from './lab-setup.ts';
import { profileStsClient } from './profile-client.ts';
import { readConfig } from './read-config.ts';
import { containerCredentials, instanceRoleCredentials } from './role-credentials.ts';
import { StrayCredentialsError } from './stray-credentials-error.ts';
import { verifyInstanceRole } from './verify-instance-role.ts';
import { whichSource } from './which-source.ts';

/** The lab emulator's container endpoint and its token (`npm run emulator` prints both). */
const CONTAINER_PATH = '/_container-credentials';
const CONTAINER_TOKEN = 'emulator-container-token';

function fileText(path: string | undefined): string | undefined {
  return path && existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** This program's own environment, as TODO 1 reads one. */
function thisEnvironment(instanceRole: boolean): CredentialEnvironment {
  const variables = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('AWS_') && e[1] !== undefined));
  return { variables, credentialsFile: fileText(process.env.AWS_SHARED_CREDENTIALS_FILE), configFile: fileText(process.env.AWS_CONFIG_FILE), instanceRole };
}

async function whoAmI(sts: STSClient): Promise<string> {
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '?';
  } finally {
    sts.destroy();
  }
}

async function main(): Promise<void> {
  console.log('\nStart of credentials script\n');
  const config = readConfig(new URL('./config.ini', import.meta.url), 'CREDENTIALS');
  const maxAttempts = Number(config.max_attempts);
  const instanceRole = config.instance_role!;

  console.log('Which source would the SDK use here?');
  const here = whichSource(thisEnvironment(false));
  console.log(`  ${here.source}${here.profile ? ` (profile ${here.profile})` : ''}: ${here.reason}`);
  const scenario: CredentialEnvironment = { variables: { AWS_ACCESS_KEY_ID: 'AKIA...', AWS_SECRET_ACCESS_KEY: '...' }, instanceRole: true };
  const onEc2 = whichSource(scenario);
  console.log(`  on an EC2 instance with a role, and keys left in the environment: ${onEc2.source} (${onEc2.reason})`);

  console.log('\nSetting up a developer user, a role that trusts it, and shared files for both...');
  const world = await setUpLab(config.profile!, config.role_profile!, maxAttempts);
  process.env.AWS_SHARED_CREDENTIALS_FILE = world.credentialsFile;
  process.env.AWS_CONFIG_FILE = world.configFile;
  console.log(`  profile ${config.profile}: ${await whoAmI(profileStsClient(config.profile!, maxAttempts))}`);
  console.log(`  profile ${config.role_profile}: ${await whoAmI(profileStsClient(config.role_profile!, maxAttempts))}`);

  // From here on this program plays an application on an EC2 instance: the lab emulator
  // answers as its instance metadata service, with the instance role.
  const endpoint = process.env.AWS_ENDPOINT_URL!;
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `${endpoint}/`;
  delete process.env.AWS_EC2_METADATA_DISABLED;

  console.log(`\nMust run as the instance role ${instanceRole}; the environment still has keys:`);
  try {
    const { arn } = await verifyInstanceRole(instanceRole);
    console.log(`  runs as ${arn}?! The keys in the environment should have won.`);
  } catch (error) {
    if (!(error instanceof StrayCredentialsError)) throw error;
    console.log(`  refused: ${error.message}`);
  }
  const saved = { ...process.env };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[name];
  console.log('Without them:');
  console.log(`  runs as ${(await verifyInstanceRole(instanceRole)).arn}`);
  const answer = whichSource(thisEnvironment(true));
  console.log(`  and TODO 1 says: ${answer.source} (${answer.reason})`);

  console.log('\nThe instance role and the container role, read from code:');
  console.log(`  instance role: ${await whoAmI(new STSClient({ credentials: instanceRoleCredentials(), maxAttempts }))}`);
  process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${endpoint}${CONTAINER_PATH}`;
  process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = CONTAINER_TOKEN;
  console.log(`  container role: ${await whoAmI(new STSClient({ credentials: containerCredentials(), maxAttempts }))}`);
  Object.assign(process.env, saved);

  console.log('\nEnd of credentials script\n');
}

main().catch((error: unknown) => {
  // Like the course's scripts: print what went wrong, without a stack trace.
  console.log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
