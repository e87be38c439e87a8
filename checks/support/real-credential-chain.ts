/**
 * The AWS SDK for JavaScript v3's own default credential chain, asked in an environment
 * built from nothing: the trusted reference for lab 07's TODO 1. Run as a child process
 * of the checks (never in their process: the chain reads process.env and HOME):
 *
 *   node --import tsx checks/support/real-credential-chain.ts
 *
 * Each line on stdin is a JSON array of cases; it answers each with one line, a JSON
 * array of results in the same order. It ends when stdin ends. (One process for all the
 * checks of a run: starting it, the SDK and the emulator costs more than the cases.)
 *
 * For each case it writes the case's files under a fresh HOME, replaces the whole
 * environment with PATH, HOME and the case's variables, points the chain at an
 * instance metadata service and a container endpoint of a private embedded emulator
 * (with or without an instance role, as the case says), and runs
 * `defaultProvider()` from @aws-sdk/credential-provider-node. Which source answered is
 * read from the access key the chain returned: every place in a case holds distinct keys.
 * A profile's role_arn is assumed through the chain's own `roleAssumer` hook, which
 * records which profile asked, so no STS is involved.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { startEmulator, type RunningEmulator } from '../../emulator/server.ts';
import { containerState } from '../../emulator/services/container-credentials/container-credentials.ts';
import { credentialEndpointUrls } from '../../emulator/services/credential-endpoints/credential-endpoints.ts';
import { instanceProfile } from '../../emulator/services/instance-metadata/instance-profile.ts';

export interface ChainCase {
  /** The case's environment variables (the container URI is replaced by the private endpoint's). */
  variables: Record<string, string>;
  credentialsFile?: string;
  configFile?: string;
  instanceRole: boolean;
}

export interface ChainResult {
  /** The access key the chain returned, or undefined when it found none. */
  accessKeyId?: string;
  /** Set when the key is a role session the chain assumed for a profile's role_arn. */
  assumedRole?: { roleArn: string; sourceAccessKeyId: string };
  /** Set when the key came from the instance metadata service or the container endpoint. */
  endpoint?: 'instance-metadata' | 'container';
  /** The chain's error, when it found no credentials. */
  error?: string;
}

const CONTAINER_TOKEN = 'oracle-container-token';
/** Read before the first case replaces the environment. */
const TEMP = tmpdir();

async function resolveAll(emulator: RunningEmulator, cases: ChainCase[]): Promise<ChainResult[]> {
  const urls = credentialEndpointUrls(emulator.endpoint);
  const base = mkdtempSync(join(TEMP, 'real-chain-'));
  const results: ChainResult[] = [];
  try {
    for (const [index, one] of cases.entries()) results.push(await resolveOne(emulator, urls, join(base, `case-${index}`), index, one));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  return results;
}

async function resolveOne(emulator: RunningEmulator, urls: { instanceMetadata: string; containerCredentials: string }, home: string, index: number, one: ChainCase): Promise<ChainResult> {
  emulator.store.reset();
  if (!one.instanceRole) instanceProfile(emulator.store).roleArn = undefined;
  containerState(emulator.store).authorizationToken = CONTAINER_TOKEN;
  mkdirSync(join(home, '.aws'), { recursive: true });
  if (one.credentialsFile !== undefined) writeFileSync(join(home, '.aws', 'credentials'), one.credentialsFile);
  if (one.configFile !== undefined) writeFileSync(join(home, '.aws', 'config'), one.configFile);

  const variables: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, AWS_EC2_METADATA_SERVICE_ENDPOINT: urls.instanceMetadata, ...one.variables };
  if (variables.AWS_CONTAINER_CREDENTIALS_FULL_URI !== undefined) {
    variables.AWS_CONTAINER_CREDENTIALS_FULL_URI = urls.containerCredentials;
    variables.AWS_CONTAINER_AUTHORIZATION_TOKEN = CONTAINER_TOKEN;
  }
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, variables);

  let assumed: ChainResult['assumedRole'];
  const roleAssumer = async (source: { accessKeyId: string }, params: { RoleArn: string }) => {
    assumed = { roleArn: params.RoleArn, sourceAccessKeyId: source.accessKeyId };
    return { accessKeyId: `ASIAASSUMED${String(index).padStart(9, '0')}`, secretAccessKey: 'assumed', sessionToken: 'assumed', expiration: new Date(Date.now() + 3600_000) };
  };
  try {
    const credentials = await defaultProvider({ roleAssumer, logger: silent })();
    const imdsKey = instanceProfile(emulator.store).session?.record.accessKeyId;
    const containerKey = containerState(emulator.store).session?.record.accessKeyId;
    const endpoint = credentials.accessKeyId === imdsKey ? 'instance-metadata' : credentials.accessKeyId === containerKey ? 'container' : undefined;
    return { accessKeyId: credentials.accessKeyId, ...(assumed ? { assumedRole: assumed } : {}), ...(endpoint ? { endpoint } : {}) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The chain's debug and warning lines (e.g. "Multiple credential sources detected") are not the answer. */
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, trace: () => undefined };

const emulator = await startEmulator();
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  process.stdout.write(`${JSON.stringify(await resolveAll(emulator, JSON.parse(line) as ChainCase[]))}\n`);
}
await emulator.stop();
