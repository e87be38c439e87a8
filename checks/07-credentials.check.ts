/**
 * Lab 07 (credentials): TODO 1 is graded against the real default chain of the AWS SDK
 * for JavaScript v3, run by the trusted side in environments built from nothing; the
 * others on the request log of the emulator, which records which source each access key
 * came from (env, profile NAME, assumed-role via profile NAME, instance-role, container).
 * Every scenario is built in a temp HOME with the student process's AWS variables
 * scrubbed; nothing reads a real ~/.aws.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentials } from '../backends/backend.ts';
import { controlClientFor } from '../backends/control-client.ts';
import type { RequestLogEntry } from '../emulator/core/request-log.ts';
import { realChain, type ChainCase, type ChainResult } from './support/credential-chain-oracle.ts';
import { check, type CheckContext } from './support/index.ts';
import type { Random } from './support/random.ts';

type WhichSourceModule = typeof import('../labs/07-credentials/which-source.ts');
type ProfileClientModule = typeof import('../labs/07-credentials/profile-client.ts');
type VerifyModule = typeof import('../labs/07-credentials/verify-instance-role.ts');
type RoleCredentialsModule = typeof import('../labs/07-credentials/role-credentials.ts');
type ChainAnswer = import('../labs/07-credentials/chain-types.ts').ChainAnswer;
type CredentialEnvironment = import('../labs/07-credentials/chain-types.ts').CredentialEnvironment;

/** Every variable of the student's process that could be a credential source, unset. */
const SCRUBBED: Record<string, undefined> = {
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_EC2_METADATA_DISABLED: undefined,
  AWS_EC2_METADATA_SERVICE_ENDPOINT: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_CONTAINER_AUTHORIZATION_TOKEN: undefined,
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: undefined,
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  AWS_ROLE_ARN: undefined,
};

interface Home {
  dir: string;
  write(file: 'credentials' | 'config', text: string): void;
}

/**
 * A temp HOME with an empty ~/.aws for the student's process, and its environment from
 * nothing: no keys, no profile, no endpoint but those `vars` add. The shared-file
 * variables name this HOME's files (written or not).
 */
async function isolatedHome(ctx: CheckContext, vars: Record<string, string | undefined> = {}): Promise<Home> {
  const dir = await ctx.tempDir('home');
  mkdirSync(join(dir, '.aws'), { recursive: true, mode: 0o755 });
  ctx.setEnv({ ...SCRUBBED, HOME: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws', 'credentials'), AWS_CONFIG_FILE: join(dir, '.aws', 'config'), ...vars });
  return { dir, write: (file, text) => writeFileSync(join(dir, '.aws', file), text, { mode: 0o644 }) };
}

// --- TODO 1: the chain's precedence, against the real chain ---------------------------------

/** A case for the student and the real chain, with what each key planted in it stands for. */
interface PlantedCase {
  what: string;
  environment: CredentialEnvironment;
  keys: Map<string, Omit<ChainAnswer, 'reason'>>;
}

class CaseBuilder {
  readonly keys = new Map<string, Omit<ChainAnswer, 'reason'>>();
  constructor(private readonly random: Random) {}

  key(answer: Omit<ChainAnswer, 'reason'>): { id: string; secret: string } {
    const id = `AKIA${this.random.suffix(16).toUpperCase()}`;
    this.keys.set(id, answer);
    return { id, secret: this.random.suffix(24) };
  }

  envKeys(): Record<string, string> {
    const { id, secret } = this.key({ source: 'environment' });
    return { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret };
  }

  /** `[header]` with static keys that stand for `answer`. */
  staticSection(header: string, answer: Omit<ChainAnswer, 'reason'>, extra = ''): string {
    const { id, secret } = this.key(answer);
    return `[${header}]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n${extra}`;
  }
}

function profileName(random: Random): string {
  return `${random.pick(['dev', 'ops', 'notes', 'admin', 'ci', 'lab'])}-${random.suffix(4)}`;
}

/** Noise that never decides a case: comments, a region, an unrelated profile. */
function noise(random: Random, b: CaseBuilder): string {
  return random.pick(['', `# ${random.suffix(10)}\n`, `[${profileName(random)}]\nregion = us-west-2\n`, `${b.staticSection(profileName(random), { source: 'credentials-file' })}`]) + '\n';
}

type Generator = (random: Random) => PlantedCase;

function planted(what: string, b: CaseBuilder, environment: CredentialEnvironment): PlantedCase {
  return { what, environment, keys: b.keys };
}

/** Environment variables against profiles (credentials file only: config-file handling is graded apart). */
const ENVIRONMENT_CASES: Generator[] = [
  (r) => {
    const b = new CaseBuilder(r);
    return planted('complete env keys, no AWS_PROFILE, a [default] profile too', b, { variables: b.envKeys(), credentialsFile: noise(r, b) + b.staticSection('default', { source: 'credentials-file', profile: 'default' }), instanceRole: r.next() < 0.5 });
  },
  (r) => {
    const b = new CaseBuilder(r);
    const p = profileName(r);
    return planted('AWS_PROFILE set while complete env keys are there too', b, { variables: { ...b.envKeys(), AWS_PROFILE: p }, credentialsFile: noise(r, b) + b.staticSection(p, { source: 'credentials-file', profile: p }), instanceRole: r.next() < 0.5 });
  },
  (r) => {
    const b = new CaseBuilder(r);
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY } = b.envKeys();
    const half: Record<string, string> = r.next() < 0.5 ? { AWS_ACCESS_KEY_ID: AWS_ACCESS_KEY_ID! } : { AWS_SECRET_ACCESS_KEY: AWS_SECRET_ACCESS_KEY! };
    return planted('only one of the two env key variables, and a [default] profile', b, { variables: half, credentialsFile: b.staticSection('default', { source: 'credentials-file', profile: 'default' }) + noise(r, b), instanceRole: r.next() < 0.5 });
  },
  (r) => {
    const b = new CaseBuilder(r);
    return planted("the course's scenario: env keys left on an instance with a role", b, { variables: b.envKeys(), instanceRole: true });
  },
];

/** The shared files: which file, which section, which kind of profile. */
const SHARED_FILE_CASES: Generator[] = [
  (r) => {
    const b = new CaseBuilder(r);
    const p = r.pick(['default', profileName(r)]);
    const configHeader = p === 'default' ? 'default' : `profile ${p}`;
    return planted('static keys for one profile in both files', b, {
      variables: p === 'default' ? {} : { AWS_PROFILE: p },
      credentialsFile: noise(r, b) + b.staticSection(p, { source: 'credentials-file', profile: p }),
      configFile: b.staticSection(configHeader, { source: 'config-file', profile: p }),
      instanceRole: r.next() < 0.5,
    });
  },
  (r) => {
    const b = new CaseBuilder(r);
    const p = profileName(r);
    return planted('AWS_PROFILE names a profile that is only in the config file', b, { variables: { AWS_PROFILE: p }, credentialsFile: noise(r, b), configFile: b.staticSection(`profile ${p}`, { source: 'config-file', profile: p }, 'region = eu-west-1\n'), instanceRole: r.next() < 0.5 });
  },
  (r) => {
    const b = new CaseBuilder(r);
    const p = profileName(r);
    // Without "profile " in the config file the section is no profile there: the chain goes on.
    return planted('AWS_PROFILE names a [NAME] section of the config file (no "profile " prefix)', b, { variables: { AWS_PROFILE: p }, configFile: b.staticSection(p, { source: 'config-file', profile: p }), instanceRole: true });
  },
  (r) => {
    const b = new CaseBuilder(r);
    const p = r.pick(['default', profileName(r)]);
    const { id, secret } = b.key({ source: 'credential-process', profile: p });
    const json = JSON.stringify({ Version: 1, AccessKeyId: id, SecretAccessKey: secret });
    return planted('a profile with credential_process', b, {
      variables: p === 'default' ? {} : { AWS_PROFILE: p },
      configFile: `[${p === 'default' ? 'default' : `profile ${p}`}]\ncredential_process = echo '${json}'\n`,
      credentialsFile: noise(r, b),
      instanceRole: r.next() < 0.5,
    });
  },
  (r) => {
    const b = new CaseBuilder(r);
    const role = profileName(r);
    const source = profileName(r);
    return planted('a profile with role_arn and source_profile', b, {
      variables: { AWS_PROFILE: role },
      credentialsFile: b.staticSection(source, { source: 'credentials-file', profile: source }),
      configFile: `[profile ${role}]\nrole_arn = arn:aws:iam::123456789012:role/${role}\nsource_profile = ${source}\n`,
      instanceRole: r.next() < 0.5,
    });
  },
  (r) => {
    const b = new CaseBuilder(r);
    return planted('AWS_PROFILE names a profile that exists nowhere, while [default] has keys', b, { variables: { AWS_PROFILE: profileName(r) }, credentialsFile: b.staticSection('default', { source: 'credentials-file', profile: 'default' }), instanceRole: true });
  },
];

/** After the profiles: the container endpoint, the instance role, nothing. */
const ENDPOINT_CASES: Generator[] = [
  (r) => {
    const b = new CaseBuilder(r);
    return planted('AWS_CONTAINER_CREDENTIALS_FULL_URI set on an instance with a role', b, { variables: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1/credentials' }, instanceRole: true });
  },
  (r) => {
    const b = new CaseBuilder(r);
    return planted('AWS_CONTAINER_CREDENTIALS_FULL_URI set and a [default] profile with keys', b, { variables: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1/credentials' }, credentialsFile: b.staticSection('default', { source: 'credentials-file', profile: 'default' }), instanceRole: r.next() < 0.5 });
  },
  (r) => {
    const b = new CaseBuilder(r);
    return planted('an instance role and nothing else', b, { variables: {}, credentialsFile: r.next() < 0.5 ? `[${profileName(r)}]\nregion = us-east-1\n` : undefined, instanceRole: true });
  },
  (r) => {
    const b = new CaseBuilder(r);
    return planted('an instance role, with AWS_EC2_METADATA_DISABLED=true', b, { variables: { AWS_EC2_METADATA_DISABLED: 'true' }, instanceRole: true });
  },
  (r) => {
    const b = new CaseBuilder(r);
    return planted('no source at all', b, { variables: {}, instanceRole: false });
  },
];

/** What the real chain's result stands for, read from the keys planted in the case. */
function expectedAnswer(c: PlantedCase, result: ChainResult): Omit<ChainAnswer, 'reason'> {
  if (result.error !== undefined) return { source: 'none' };
  if (result.endpoint) return { source: result.endpoint };
  if (result.assumedRole) return { source: 'assume-role', profile: c.environment.variables.AWS_PROFILE || 'default' };
  const planted_ = c.keys.get(result.accessKeyId ?? '');
  if (!planted_) throw new Error(`harness: the real chain answered a key no case planted (${result.accessKeyId})`);
  return planted_;
}

function describeCase(c: PlantedCase): string {
  const e = c.environment;
  const parts = [`variables ${JSON.stringify(e.variables)}`];
  if (e.credentialsFile !== undefined) parts.push(`~/.aws/credentials:\n${e.credentialsFile.trim()}`);
  if (e.configFile !== undefined) parts.push(`~/.aws/config:\n${e.configFile.trim()}`);
  parts.push(`instance role: ${e.instanceRole ? 'yes' : 'no'}`);
  return parts.join('\n');
}

async function gradeCases(ctx: CheckContext, generators: Generator[]): Promise<void> {
  // Each kind of case once, in a random order, with random names and keys.
  const cases = [...generators].sort(() => ctx.random.next() - 0.5).map((generate) => generate(ctx.random));
  const real = await realChain(cases.map((c): ChainCase => c.environment));
  const { whichSource } = await ctx.load<WhichSourceModule>('which-source.ts');
  for (const [index, c] of cases.entries()) {
    const expected = expectedAnswer(c, real[index]!);
    const answer = await whichSource(c.environment);
    const got = { source: answer?.source, ...(expected.profile !== undefined || answer?.profile !== undefined ? { profile: answer?.profile } : {}) };
    if (got.source !== expected.source || (expected.profile !== undefined && got.profile !== expected.profile)) {
      ctx.fail(`Case "${c.what}":\n${describeCase(c)}\nThe SDK's default chain takes ${expected.source}${expected.profile ? ` (profile ${expected.profile})` : ''}; your whichSource said ${got.source}${got.profile ? ` (profile ${got.profile})` : ''}.`);
    }
  }
}

check(
  {
    todo: 1,
    name: 'environment keys against AWS_PROFILE and incomplete keys, as the JS v3 chain decides',
    points: 2,
    hint: 'The env keys are used only when both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set and AWS_PROFILE is not: with AWS_PROFILE, JS v3 skips them (the CLI and boto3 do not). Then comes the profile (AWS_PROFILE, else default).',
    timeoutSeconds: 60,
  },
  async (ctx) => gradeCases(ctx, ENVIRONMENT_CASES),
);

check(
  {
    todo: 1,
    name: 'the shared files: credentials file over config file, [profile NAME], credential_process, role_arn + source_profile',
    points: 2,
    hint: 'Read both files: in ~/.aws/config a profile is [default] or [profile NAME]; the credentials file wins for keys both set; in a profile, role_arn + source_profile comes first, then static keys, then credential_process. A profile that is nowhere does not fall back to [default].',
    timeoutSeconds: 60,
  },
  async (ctx) => gradeCases(ctx, SHARED_FILE_CASES),
);

check(
  {
    todo: 1,
    name: 'after the profiles: the container endpoint before the instance role, AWS_EC2_METADATA_DISABLED, nothing',
    points: 2,
    hint: 'When AWS_CONTAINER_CREDENTIALS_FULL_URI is set the chain asks the container endpoint and never the instance metadata service; AWS_EC2_METADATA_DISABLED=true turns the instance role off; with no source the answer is none.',
    timeoutSeconds: 60,
  },
  async (ctx) => gradeCases(ctx, ENDPOINT_CASES),
);

// --- helpers for TODOs 2 to 4: principals, labelled keys, the request log ----------------

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

interface User {
  name: string;
  arn: string;
  credentials: AwsCredentials;
}

async function createUser(ctx: CheckContext, prefix: string, statements: object[] = []): Promise<User> {
  const iam = ctx.iam();
  const name = `${prefix}-${ctx.random.suffix(6)}`;
  const { User } = await iam.send(new CreateUserCommand({ UserName: name }));
  if (statements.length > 0) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'lab', PolicyDocument: policy(...statements) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { name, arn: User!.Arn!, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
}

async function createRole(ctx: CheckContext, prefix: string, trust: object): Promise<{ name: string; arn: string }> {
  const name = `${prefix}-${ctx.random.suffix(5)}`;
  const { Role } = await ctx.iam().send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: policy(trust) }));
  return { name, arn: Role!.Arn! };
}

const EC2_TRUST = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };

/** Labels keys with the source the check planted them in; the request log then names it. Needs 'credential-endpoints'. */
async function configure(ctx: CheckContext, settings: Record<string, unknown>): Promise<Record<string, any>> {
  if (!ctx.can('credential-endpoints')) ctx.fail('harness: this check needs the credential-endpoints capability');
  return (await controlClientFor(ctx.backend).configureCredentialEndpoints(settings)) as Record<string, any>;
}

/** The GetCallerIdentity calls that reached STS since `after` (a log sequence number). */
async function identityCalls(ctx: CheckContext, after: number): Promise<RequestLogEntry[]> {
  return (await ctx.requests({ operation: 'GetCallerIdentity' })).filter((e) => e.seq > after);
}

async function lastSeq(ctx: CheckContext): Promise<number> {
  return (await ctx.requests()).at(-1)?.seq ?? 0;
}

function signedBy(entry: RequestLogEntry | undefined): string {
  if (!entry) return 'nothing (no GetCallerIdentity reached STS)';
  return `${entry.callerArn ?? 'an unknown key'} (keys from ${entry.credentialSource ?? 'a source the lab did not plant'})`;
}

// --- TODO 2: clients for a named profile and a role profile --------------------------------

/** A HOME whose env keys, AWS_PROFILE and named profiles all belong to different users, each key labelled. */
async function profileWorld(ctx: CheckContext) {
  const developer = await createUser(ctx, 'notes-developer', [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]);
  const stray = await createUser(ctx, 'stray-keys');
  const other = await createUser(ctx, 'other-profile');
  const profile = `notes-${ctx.random.suffix(4)}`;
  const otherProfile = `default-${ctx.random.suffix(4)}`;
  const roleProfile = `admin-${ctx.random.suffix(4)}`;
  const role = await createRole(ctx, 'notes-admin', { Effect: 'Allow', Principal: { AWS: developer.arn }, Action: 'sts:AssumeRole' });
  await configure(ctx, { sources: { [developer.credentials.accessKeyId]: `profile ${profile}`, [stray.credentials.accessKeyId]: 'env', [other.credentials.accessKeyId]: `profile ${otherProfile}` } });
  const home = await isolatedHome(ctx, { AWS_ACCESS_KEY_ID: stray.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: stray.credentials.secretAccessKey, AWS_PROFILE: otherProfile });
  const section = (name: string, user: User) => `[${name}]\naws_access_key_id = ${user.credentials.accessKeyId}\naws_secret_access_key = ${user.credentials.secretAccessKey}\n`;
  home.write('credentials', `${section(otherProfile, other)}\n${section(profile, developer)}`);
  home.write('config', `[profile ${profile}]\nregion = ${ctx.region}\n\n[profile ${roleProfile}]\nrole_arn = ${role.arn}\nsource_profile = ${profile}\nregion = ${ctx.region}\n`);
  return { developer, profile, roleProfile, role };
}

check(
  {
    todo: 2,
    name: "signs with the named profile's keys, not the env keys or AWS_PROFILE's profile",
    points: 2,
    hint: 'Give the client the profile: `new STSClient({ profile })` (or `credentials: fromIni({ profile })`). Without it the client takes AWS_PROFILE\'s profile, or the env keys.',
    needs: ['request-log', 'credential-endpoints'],
  },
  async (ctx) => {
    const world = await profileWorld(ctx);
    const before = await lastSeq(ctx);
    const { profileStsClient } = await ctx.load<ProfileClientModule>('profile-client.ts');
    const client = ctx.track(await profileStsClient(world.profile, 1));
    await client.send(new GetCallerIdentityCommand({})).catch(() => undefined);
    const calls = await identityCalls(ctx, before);
    ctx.expectTrue(
      calls.length > 0 && calls.at(-1)!.credentialSource === `profile ${world.profile}` && calls.at(-1)!.status === 200,
      `GetCallerIdentity through your client for profile ${world.profile} was signed by ${signedBy(calls.at(-1))}; it should be ${world.developer.arn} (profile ${world.profile}).`,
    );
  },
);

check(
  {
    todo: 2,
    name: 'for a role profile (role_arn + source_profile), the SDK assumes the role with the source profile and the client signs with the session',
    points: 2,
    hint: 'The same `profile` option works for a role profile: the SDK reads role_arn and source_profile from ~/.aws/config, calls AssumeRole with the source profile\'s keys and signs with the session. Do not pass keys yourself.',
    needs: ['request-log', 'credential-endpoints'],
  },
  async (ctx) => {
    const world = await profileWorld(ctx);
    const before = await lastSeq(ctx);
    const { profileStsClient } = await ctx.load<ProfileClientModule>('profile-client.ts');
    const client = ctx.track(await profileStsClient(world.roleProfile, 1));
    await client.send(new GetCallerIdentityCommand({})).catch(() => undefined);
    const calls = await identityCalls(ctx, before);
    const last = calls.at(-1);
    ctx.expectTrue(
      last !== undefined && last.status === 200 && last.credentialSource === `assumed-role via profile ${world.profile}` && last.callerArn?.startsWith(`arn:aws:sts::${ctx.backend.accountId}:assumed-role/${world.role.name}/`) === true,
      `GetCallerIdentity through your client for profile ${world.roleProfile} was signed by ${signedBy(last)}; it should be a session of ${world.role.arn} assumed with profile ${world.profile}'s keys.`,
    );
  },
);

// --- TODO 3: refuse to run as anyone but the instance role ----------------------------------

/** An instance whose profile's role is a fresh one, and the student's process on it (IMDS at the emulator). */
async function onInstance(ctx: CheckContext, vars: Record<string, string | undefined> = {}) {
  const role = await createRole(ctx, 'notes-application-role', EC2_TRUST);
  const state = await configure(ctx, { instanceMetadata: { role: role.name } });
  await isolatedHome(ctx, { AWS_EC2_METADATA_SERVICE_ENDPOINT: `${ctx.backend.endpoint}/`, ...vars });
  return { role, instanceId: state.instanceMetadata.instanceId as string };
}

/** verifyInstanceRole's outcome: undefined when it returned, else what it threw (any other error than StrayCredentialsError, e.g. the starter's stub, is reported as it is). */
async function refusal(run: () => Promise<unknown>): Promise<Error | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    if ((error as Error)?.name !== 'StrayCredentialsError') throw error;
    return error as Error;
  }
}

function expectStray(ctx: CheckContext, error: Error | undefined, user: User, what: string): void {
  if (error === undefined) ctx.fail(`${what}: verifyInstanceRole returned, although the program runs as ${user.arn}, not as the instance role.`);
  ctx.expectTrue(error.message.includes(user.arn), `${what}: the StrayCredentialsError should name who the program really is, ${user.arn}; its message is: ${error.message}`);
}

check(
  {
    todo: 3,
    name: 'on a clean instance, returns the instance role ARN it got from GetCallerIdentity',
    points: 1,
    hint: 'Without a client given, build one with no credentials (the default chain), send GetCallerIdentityCommand, and return { arn } when the ARN is arn:aws:sts::<account>:assumed-role/<roleName>/<instance id>.',
    needs: ['request-log', 'credential-endpoints'],
  },
  async (ctx) => {
    const { role, instanceId } = await onInstance(ctx);
    const before = await lastSeq(ctx);
    const { verifyInstanceRole } = await ctx.load<VerifyModule>('verify-instance-role.ts');
    const answer = await verifyInstanceRole(role.name);
    const expected = `arn:aws:sts::${ctx.backend.accountId}:assumed-role/${role.name}/${instanceId}`;
    ctx.expectEqual(answer, { arn: expected }, 'What verifyInstanceRole returned on an instance whose role is ' + role.name);
    const calls = await identityCalls(ctx, before);
    ctx.expectTrue(calls.some((c) => c.credentialSource === 'instance-role' && c.status === 200), `verifyInstanceRole returned the role without asking STS who it is (no GetCallerIdentity signed with the instance role's keys).`);
  },
);

check(
  {
    todo: 3,
    name: 'refuses when env keys shadow the instance role (StrayCredentialsError naming who it really is)',
    points: 2,
    hint: "Compare the ARN GetCallerIdentity answers with the role's: keys in AWS_ACCESS_KEY_ID come before the instance role, so the default chain signs as that user. Throw new StrayCredentialsError(arn, roleName).",
    needs: ['request-log', 'credential-endpoints'],
  },
  async (ctx) => {
    const stray = await createUser(ctx, 'leftover-keys');
    await configure(ctx, { sources: { [stray.credentials.accessKeyId]: 'env' } });
    const { role } = await onInstance(ctx, { AWS_ACCESS_KEY_ID: stray.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: stray.credentials.secretAccessKey });
    const before = await lastSeq(ctx);
    const { verifyInstanceRole } = await ctx.load<VerifyModule>('verify-instance-role.ts');
    const error = await refusal(() => verifyInstanceRole(role.name));
    const calls = await identityCalls(ctx, before);
    ctx.expectTrue(calls.some((c) => c.credentialSource === 'env'), 'verifyInstanceRole did not ask STS with the default chain (no GetCallerIdentity signed with the env keys reached STS).');
    expectStray(ctx, error, stray, 'With env keys of another user on the instance');
  },
);

check(
  {
    todo: 3,
    name: 'refuses when the client it is given has hard-coded keys',
    points: 1,
    hint: 'When a client is passed, ask GetCallerIdentity with that client: it is the one the program will use, and keys written in the code win over everything.',
    needs: ['request-log', 'credential-endpoints'],
  },
  async (ctx) => {
    const hardCoded = await createUser(ctx, 'hard-coded');
    const { role } = await onInstance(ctx);
    const { verifyInstanceRole } = await ctx.load<VerifyModule>('verify-instance-role.ts');
    const error = await refusal(() => verifyInstanceRole(role.name, ctx.sts({ credentials: hardCoded.credentials })));
    expectStray(ctx, error, hardCoded, 'With a client built with hard-coded keys');
  },
);

// --- TODO 4: instance-role and container credentials from code, refreshed ------------------

/** The instance metadata requests since `after`. */
async function metadataRequests(ctx: CheckContext, service: 'instance-metadata' | 'container-credentials', after: number): Promise<RequestLogEntry[]> {
  return (await ctx.requests()).filter((e) => e.service === service && e.seq > after);
}

async function callerArn(ctx: CheckContext, credentials: AwsCredentials, offsetMs = 0): Promise<string> {
  return ctx
    .sts({ credentials, systemClockOffset: offsetMs })
    .send(new GetCallerIdentityCommand({}))
    .then(
      (answer) => answer.Arn ?? '',
      (error: Error) => error.name,
    );
}

function asCredentials(value: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } | undefined): AwsCredentials {
  return { accessKeyId: String(value?.accessKeyId), secretAccessKey: String(value?.secretAccessKey), sessionToken: value?.sessionToken };
}

check(
  {
    todo: 4,
    name: 'instance role credentials through the IMDSv2 token flow',
    points: 2,
    hint: 'PUT /latest/api/token with X-aws-ec2-metadata-token-ttl-seconds, then GET .../iam/security-credentials/ and .../<role> with X-aws-ec2-metadata-token: the token. The endpoint is AWS_EC2_METADATA_SERVICE_ENDPOINT (it may end with "/"). Map AccessKeyId, SecretAccessKey, Token and Expiration.',
    needs: ['request-log', 'credential-endpoints'],
  },
  async (ctx) => {
    const role = await createRole(ctx, 'notes-instance-role', EC2_TRUST);
    const state = await configure(ctx, { instanceMetadata: { role: role.name, sessionSeconds: ctx.random.pick([3600, 7200, 21600]) } });
    await isolatedHome(ctx, { AWS_EC2_METADATA_SERVICE_ENDPOINT: ctx.random.next() < 0.5 ? ctx.backend.endpoint : `${ctx.backend.endpoint}/` });
    const before = await lastSeq(ctx);
    const { instanceRoleCredentials } = await ctx.load<RoleCredentialsModule>('role-credentials.ts');
    const provider = await instanceRoleCredentials();
    const result = await Promise.resolve(provider()).then(
      (credentials) => ({ credentials }),
      (error: Error) => ({ error }),
    );
    const asked = await metadataRequests(ctx, 'instance-metadata', before);
    const refused = asked.find((e) => e.status === 401);
    if (refused) ctx.fail(`The metadata service answered 401 to your ${refused.method} ${refused.path}: every GET needs the header X-aws-ec2-metadata-token with the token from PUT /latest/api/token (IMDSv2).`);
    if ('error' in result) throw result.error;
    const served = asked.filter((e) => e.accessKeyId !== undefined).at(-1);
    ctx.expectTrue(served !== undefined, 'Your provider never fetched the role credentials from the instance metadata service.');
    ctx.expectEqual(result.credentials?.accessKeyId, served!.accessKeyId, 'The accessKeyId your provider returned (the metadata service served this one)');
    ctx.expectEqual(await callerArn(ctx, asCredentials(result.credentials)), `arn:aws:sts::${ctx.backend.accountId}:assumed-role/${role.name}/${state.instanceMetadata.instanceId}`, 'Who your credentials are, says GetCallerIdentity');
    ctx.expectTrue(result.credentials.expiration instanceof Date && !Number.isNaN(result.credentials.expiration.getTime()), `expiration should be a Date made from Expiration; got ${String(result.credentials.expiration)}`);
  },
);

check(
  {
    todo: 4,
    name: 'container credentials with the authorization token, from the variable or from the token file',
    points: 2,
    hint: 'GET AWS_CONTAINER_CREDENTIALS_FULL_URI with the header Authorization: AWS_CONTAINER_AUTHORIZATION_TOKEN, or the content of the file AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names (EKS Pod Identity uses the file). Read the variables when fetching.',
    needs: ['request-log', 'credential-endpoints'],
  },
  async (ctx) => {
    const role = await createRole(ctx, 'notes-task-role', { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' });
    const token = `${ctx.random.suffix(12)}${ctx.random.suffix(12)}`;
    const state = await configure(ctx, { container: { role: role.name, authorizationToken: token } });
    const uri = `${ctx.backend.endpoint}${state.container.path}`;
    const tokenDir = await ctx.tempDir('token');
    const tokenFile = join(tokenDir, 'eks-pod-identity-token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o644 });
    const { containerCredentials } = await ctx.load<RoleCredentialsModule>('role-credentials.ts');
    const expectedArn = new RegExp(`^arn:aws:sts::${ctx.backend.accountId}:assumed-role/${role.name}/[0-9a-f]{32}$`);
    for (const [how, vars] of ctx.random.next() < 0.5
      ? ([['AWS_CONTAINER_AUTHORIZATION_TOKEN', { AWS_CONTAINER_AUTHORIZATION_TOKEN: token }], ['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile }]] as const)
      : ([['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile }], ['AWS_CONTAINER_AUTHORIZATION_TOKEN', { AWS_CONTAINER_AUTHORIZATION_TOKEN: token }]] as const)) {
      await isolatedHome(ctx, { AWS_CONTAINER_CREDENTIALS_FULL_URI: uri, ...vars });
      const before = await lastSeq(ctx);
      const provider = await containerCredentials();
      const result = await Promise.resolve(provider()).then(
        (credentials) => ({ credentials }),
        (error: Error) => ({ error }),
      );
      const asked = await metadataRequests(ctx, 'container-credentials', before);
      if (asked.some((e) => e.status === 401)) ctx.fail(`With ${how} set, the container endpoint answered 401: send the token as the Authorization header.`);
      if ('error' in result) throw result.error;
      ctx.expectTrue(asked.some((e) => e.accessKeyId === result.credentials?.accessKeyId), `With ${how}: the accessKeyId your provider returned is not the one the container endpoint served.`);
      const arn = await callerArn(ctx, asCredentials(result.credentials));
      ctx.expectTrue(expectedArn.test(arn), `With ${how}: GetCallerIdentity with your credentials says ${arn}, not a session of the task role ${role.name}.`);
    }
  },
);

check(
  {
    todo: 4,
    name: 'keeps the instance role and container credentials while valid, fetches new ones once they expire',
    points: 2,
    hint: 'Keep the credentials in a variable the provider closes over; return them while Date.now() is before expiration minus REFRESH_MARGIN_SECONDS, and fetch again after. Both providers need it (refreshing() is there for that).',
    needs: ['request-log', 'credential-endpoints', 'clock-control'],
    virtualTime: true,
    // The check moves the clock past a session of up to an hour (plus ten minutes): more than the default hour.
    virtualTimeLimitSeconds: 2 * 3600,
  },
  async (ctx) => {
    const role = await createRole(ctx, 'notes-instance-role', EC2_TRUST);
    const taskRole = await createRole(ctx, 'notes-task-role', { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' });
    const sessionSeconds = ctx.random.pick([900, 1800, 3600]);
    const token = `${ctx.random.suffix(12)}${ctx.random.suffix(12)}`;
    const state = await configure(ctx, { instanceMetadata: { role: role.name, sessionSeconds }, container: { role: taskRole.name, authorizationToken: token, sessionSeconds } });
    await isolatedHome(ctx, { AWS_EC2_METADATA_SERVICE_ENDPOINT: `${ctx.backend.endpoint}/`, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${ctx.backend.endpoint}${state.container.path}`, AWS_CONTAINER_AUTHORIZATION_TOKEN: token });
    const before = await lastSeq(ctx);
    const { instanceRoleCredentials, containerCredentials } = await ctx.load<RoleCredentialsModule>('role-credentials.ts');
    const providers = [
      { what: 'instance role', service: 'instance-metadata', provider: await instanceRoleCredentials(), role: role.name },
      { what: 'container', service: 'container-credentials', provider: await containerCredentials(), role: taskRole.name },
    ] as const;
    const firsts = [];
    for (const { what, service, provider } of providers) {
      const first = await provider();
      const again = [(await provider()).accessKeyId, (await provider()).accessKeyId];
      const fetched = (await metadataRequests(ctx, service, before)).filter((e) => e.accessKeyId !== undefined);
      ctx.expectEqual(fetched.length, 1, `Times your ${what} provider fetched the credentials for three calls in a row`);
      ctx.expectEqual(again, [first.accessKeyId, first.accessKeyId], `The access keys of the second and third call of your ${what} provider`);
      firsts.push(first);
    }

    const later = sessionSeconds + ctx.random.int(30, 600);
    await ctx.advanceClock(later);
    for (const [index, { what, provider, role: roleName }] of providers.entries()) {
      const first = firsts[index]!;
      ctx.expectEqual(await callerArn(ctx, asCredentials(first), later * 1000), 'ExpiredToken', `A request with the first ${what} credentials, ${later} s later`);
      const renewed = await provider();
      ctx.expectTrue(renewed.accessKeyId !== first.accessKeyId, `${later} s later (the credentials lived ${sessionSeconds} s), your ${what} provider handed out the expired credentials again.`);
      ctx.expectTrue((await callerArn(ctx, asCredentials(renewed), later * 1000)).includes(`:assumed-role/${roleName}/`), `The renewed ${what} credentials are not a working session of ${roleName}.`);
    }
  },
);
