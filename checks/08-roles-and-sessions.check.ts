/**
 * Lab 08 (roles and sessions): graded on what STS, IAM and S3 answer to the
 * credentials the student's code produced, on S3 state, and on the request log (which
 * key signed which request), never on what the program prints.
 */
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, DeleteRoleCommand, EnableMFADeviceCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetObjectCommand, HeadObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, DecodeAuthorizationMessageCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials } from '../backends/backend.ts';
import { base32Decode, totp } from '../emulator/core/totp.ts';
import { check, type CheckContext } from './support/index.ts';

type AssumeRoleModule = typeof import('../labs/08-roles-and-sessions/assume-role.ts');
type ReadWriteModule = typeof import('../labs/08-roles-and-sessions/read-and-write.ts');
type CachedSessionModule = typeof import('../labs/08-roles-and-sessions/cached-session.ts');
type SessionTokenModule = typeof import('../labs/08-roles-and-sessions/get-session-token.ts');
type DecodeModule = typeof import('../labs/08-roles-and-sessions/decode-authorization-message.ts');
type SessionCredentials = import('../labs/08-roles-and-sessions/session-credentials.ts').SessionCredentials;

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

interface User {
  name: string;
  arn: string;
  credentials: AwsCredentials;
}

async function createUser(ctx: CheckContext, statements: object[] = []): Promise<User> {
  const iam = ctx.iam();
  const name = `developer-${ctx.random.suffix(6)}`;
  const { User } = await iam.send(new CreateUserCommand({ UserName: name }));
  if (statements.length > 0) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'lab', PolicyDocument: policy(...statements) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { name, arn: User!.Arn!, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
}

interface RoleWorld {
  user: User;
  roleName: string;
  roleArn: string;
  bucket: string;
  readKey: string;
  body: string;
}

/** A user, a role whose trust policy names the user and that may `actions` on the bucket's objects, and a bucket with one object. */
async function roleWorld(ctx: CheckContext, actions: string[]): Promise<RoleWorld> {
  const user = await createUser(ctx);
  const iam = ctx.iam();
  const roleName = `notes-reader-role-${ctx.random.suffix(5)}`;
  const bucket = ctx.bucketName();
  const trust = policy({ Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'sts:AssumeRole' });
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust }));
  await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'notes', PolicyDocument: policy({ Effect: 'Allow', Action: actions, Resource: `arn:aws:s3:::${bucket}/*` }) }));
  await ctx.createBucket(bucket);
  const s3 = ctx.s3();
  const readKey = `notes/${ctx.random.suffix(6)}.json`;
  const body = JSON.stringify([{ year: ctx.random.int(2019, 2025), title: ctx.random.suffix(12) }]);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: readKey, Body: body }));
  return { user, roleName, roleArn: Role!.Arn!, bucket, readKey, body };
}

/**
 * A harness STS client whose clock runs `offsetMs` ahead, for after ctx.advanceClock():
 * the emulator refuses requests signed more than 15 minutes off its clock, as AWS does.
 */
function stsAt(ctx: CheckContext, credentials: AwsCredentials, offsetMs: number): STSClient {
  return ctx.sts({ credentials, systemClockOffset: offsetMs });
}

/** The harness's own AssumeRole, for checks of later TODOs (they must not depend on TODO 1). */
async function harnessSession(ctx: CheckContext, world: RoleWorld, durationSeconds = 900, offsetMs = 0): Promise<SessionCredentials> {
  const { Credentials } = await stsAt(ctx, world.user.credentials, offsetMs).send(
    new AssumeRoleCommand({ RoleArn: world.roleArn, RoleSessionName: `harness-${ctx.random.suffix(4)}`, DurationSeconds: durationSeconds }),
  );
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken!, expiration: Credentials!.Expiration! };
}

async function callerArn(ctx: CheckContext, credentials: AwsCredentials): Promise<string | undefined> {
  return (await ctx.sts({ credentials }).send(new GetCallerIdentityCommand({}))).Arn;
}

/** How a request with these credentials fails now: its error name, or 'ok'. */
async function outcome(ctx: CheckContext, credentials: AwsCredentials, offsetMs: number): Promise<string> {
  return stsAt(ctx, credentials, offsetMs)
    .send(new GetCallerIdentityCommand({}))
    .then(
      () => 'ok',
      (error: Error) => error.name,
    );
}

function expectRejection(ctx: CheckContext, error: unknown, name: string, what: string): void {
  if (!(error instanceof Error)) ctx.fail(`${what}: your function threw ${String(error)}, not an AWS ${name} error.`);
  // The starter's stub (or any non-AWS bug) is reported as it is.
  if ((error as { $metadata?: unknown }).$metadata === undefined && error.name !== name) throw error;
  ctx.expectEqual(error.name, name, what);
}

// --- TODO 1: AssumeRole, and a client from the session ----------------------------------------

check(
  {
    todo: 1,
    name: 'assumes the role with the session name and duration asked for, and returns the credentials with their Expiration',
    points: 2,
    hint: 'STS hands out a role\'s temporary credentials for a session you name, for as long as you ask (within the role\'s limit); they come with the time they expire.',
    recipe: 'const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName, DurationSeconds })); return { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken, expiration: Credentials.Expiration };',
  },
  async (ctx) => {
    const world = await roleWorld(ctx, ['s3:GetObject']);
    const sessionName = `notes-${ctx.random.suffix(6)}`;
    // Never 3600, AssumeRole's default, so a call without DurationSeconds shows.
    const durationSeconds = ctx.random.pick([900, 1200, 1800, 2700]);
    const { assumeRole } = await ctx.load<AssumeRoleModule>('assume-role.ts');
    const asked = Date.now();
    const session = await assumeRole(ctx.sts({ credentials: world.user.credentials }), world.roleArn, sessionName, durationSeconds);
    ctx.expectTrue(session?.accessKeyId?.startsWith('ASIA') === true, `The accessKeyId you returned (${session?.accessKeyId}) is not a temporary key (ASIA...): return the Credentials of the AssumeRole answer.`);
    const arn = await callerArn(ctx, { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken });
    ctx.expectEqual(arn, `arn:aws:sts::${ctx.backend.accountId}:assumed-role/${world.roleName}/${sessionName}`, 'Who the returned credentials are, says GetCallerIdentity');
    ctx.expectTrue(session.expiration instanceof Date, `expiration should be the Date of Credentials.Expiration, got ${String(session.expiration)}`);
    const lifetime = Math.round((session.expiration.getTime() - asked) / 1000);
    ctx.expectTrue(
      Math.abs(lifetime - durationSeconds) <= 30,
      `The session lives ${lifetime} s, not the ${durationSeconds} s asked for: pass DurationSeconds (AssumeRole's default is 3600).`,
    );
  },
);

check(
  {
    todo: 1,
    name: 'builds an S3 client that signs with the session credentials, token included',
    points: 2,
    hint: 'A client signs with the credentials it is given, or else with those of the environment, and then runs with their permissions instead of the role\'s. Session credentials are three parts: the token is one of them.',
    recipe: 'new S3Client({ credentials }) with { accessKeyId, secretAccessKey, sessionToken }.',
    needs: ['request-log'],
  },
  async (ctx) => {
    const world = await roleWorld(ctx, ['s3:GetObject']);
    const session = await harnessSession(ctx, world);
    const { createSessionS3Client } = await ctx.load<AssumeRoleModule>('assume-role.ts');
    const s3 = ctx.track(await createSessionS3Client(session));
    await s3.send(new GetObjectCommand({ Bucket: world.bucket, Key: world.readKey })).then(
      (answer) => answer.Body?.transformToString(),
      () => undefined,
    );
    const gets = await ctx.requests({ operation: 'GetObject', bucket: world.bucket });
    ctx.expectTrue(gets.length > 0, 'Your client sent no GetObject request to the lab emulator: leave region and endpoint to the environment.');
    ctx.expectEqual(gets.at(-1)!.accessKeyId, session.accessKeyId, 'The access key that signed the GetObject your client sent');
    ctx.expectEqual(gets.at(-1)!.status, 200, 'The status of that GetObject (the role may read)');
  },
);

// --- TODO 2: the session's narrower permissions -------------------------------------------------

async function readAndWrite(ctx: CheckContext, world: RoleWorld, session: SessionCredentials, writeKey: string) {
  const { tryReadAndWrite } = await ctx.load<ReadWriteModule>('read-and-write.ts');
  return tryReadAndWrite(ctx.s3({ credentials: session }), world.bucket, world.readKey, writeKey);
}

check(
  {
    todo: 2,
    name: 'reports the read allowed and the write denied, after really trying the write with the session',
    points: 2,
    hint: 'Whether a session may do something is known by trying it: S3 answers 403 AccessDenied when it may not. Any other error is a real problem, not a verdict.',
    recipe: 'Send GetObject, then PutObject; an error named \'AccessDenied\' (HTTP 403) means \'denied\', success \'allowed\', and any other error is thrown on.',
    needs: ['iam-enforcement', 'request-log'],
  },
  async (ctx) => {
    const world = await roleWorld(ctx, ['s3:GetObject']);
    const session = await harnessSession(ctx, world);
    const writeKey = `notes/${ctx.random.suffix(8)}.txt`;
    const verdicts = await readAndWrite(ctx, world, session, writeKey);
    ctx.expectEqual(verdicts, { read: 'allowed', write: 'denied' }, 'What tryReadAndWrite reported for a role that may only s3:GetObject');
    const puts = (await ctx.requests({ operation: 'PutObject', bucket: world.bucket })).filter((e) => e.key === writeKey);
    ctx.expectTrue(puts.length > 0, `Your function reported the write without trying it: no PutObject for ${writeKey} reached S3.`);
    ctx.expectEqual({ key: puts[0]!.accessKeyId, status: puts[0]!.status }, { key: session.accessKeyId, status: 403 }, `The PutObject of ${writeKey}: signing key and status`);
  },
);

check(
  {
    todo: 2,
    name: 'reports the write allowed when the role may write, and the object is there',
    points: 2,
    hint: "Report what S3 answered, not what you expect: when PutObject succeeds, the write is 'allowed'.",
  },
  async (ctx) => {
    const world = await roleWorld(ctx, ['s3:GetObject', 's3:PutObject']);
    const session = await harnessSession(ctx, world);
    const writeKey = `notes/${ctx.random.suffix(8)}.txt`;
    const verdicts = await readAndWrite(ctx, world, session, writeKey);
    ctx.expectEqual(verdicts, { read: 'allowed', write: 'allowed' }, 'What tryReadAndWrite reported for a role that may s3:GetObject and s3:PutObject');
    const written = await ctx
      .s3()
      .send(new HeadObjectCommand({ Bucket: world.bucket, Key: writeKey }))
      .then(
        () => true,
        () => false,
      );
    ctx.expectTrue(written, `tryReadAndWrite reported the write allowed, but there is no object ${writeKey} in ${world.bucket}.`);
  },
);

// --- TODO 3: reuse the session, renew it after Expiration ------------------------------------

/** An assume() for cachedSession that counts its calls; `offsetMs()` is how far the emulator clock was moved. */
async function sessionFactory(ctx: CheckContext, durationSeconds: number, offsetMs: () => number = () => 0) {
  const world = await roleWorld(ctx, ['s3:GetObject']);
  let assumed = 0;
  const assume = async () => {
    assumed += 1;
    return harnessSession(ctx, world, durationSeconds, offsetMs());
  };
  return { assume, assumed: () => assumed };
}

check(
  {
    todo: 3,
    name: 'reuses the session while it is valid (one AssumeRole for three calls)',
    points: 1,
    hint: 'Temporary credentials are good until their Expiration: keep them and hand out the same ones until then, instead of asking STS every time.',
    recipe: 'Keep the credentials assume() returned in a variable the returned function closes over, and return them while Date.now() is before their expiration minus the margin.',
  },
  async (ctx) => {
    const { assume, assumed } = await sessionFactory(ctx, 900);
    const { cachedSession } = await ctx.load<CachedSessionModule>('cached-session.ts');
    const credentials = await cachedSession(assume);
    const keys = [(await credentials()).accessKeyId, (await credentials()).accessKeyId, (await credentials()).accessKeyId];
    ctx.expectEqual(assumed(), 1, 'How many times the role was assumed for three calls within a few seconds');
    ctx.expectEqual(new Set(keys).size, 1, 'Different access keys handed out by the three calls');
  },
);

check(
  {
    todo: 3,
    name: 'assumes the role again once the clock passes Expiration (the old session is refused with ExpiredToken)',
    points: 2,
    hint: 'Past its Expiration (a little before, to be safe) a session is refused with ExpiredToken: that is the moment to get a new one.',
    recipe: 'Compare Date.now() with the kept expiration minus REFRESH_MARGIN_SECONDS; once it is past, call assume() again and keep the new credentials.',
    needs: ['clock-control'],
    // The student's clock is virtual: ctx.advanceClock() moves it past Expiration with the emulator's.
    virtualTime: true,
  },
  async (ctx) => {
    const durationSeconds = ctx.random.pick([900, 1800]);
    let skewMs = 0;
    const { assume, assumed } = await sessionFactory(ctx, durationSeconds, () => skewMs);
    const { cachedSession } = await ctx.load<CachedSessionModule>('cached-session.ts');
    const credentials = await cachedSession(assume);
    const first = await credentials();
    const pastExpiry = durationSeconds + ctx.random.int(5, 600);
    await ctx.advanceClock(pastExpiry);
    skewMs = pastExpiry * 1000;
    // What the student's code must avoid: the old session no longer works.
    ctx.expectEqual(await outcome(ctx, first, skewMs), 'ExpiredToken', `A request with the first session, ${pastExpiry} s later`);
    const second = await credentials();
    ctx.expectEqual(assumed(), 2, `Times the role was assumed, with a call ${pastExpiry} s after a ${durationSeconds} s session began`);
    ctx.expectTrue(second.accessKeyId !== first.accessKeyId, 'After expiry your function handed out the expired credentials again.');
    ctx.expectEqual(await outcome(ctx, second, skewMs), 'ok', 'A request with the renewed session');
  },
);

// --- TODO 4: GetSessionToken with MFA ---------------------------------------------------------

/** A user whose only permission (s3:ListAllMyBuckets) requires MFA, with an enabled virtual MFA device. */
async function userWithMfa(ctx: CheckContext): Promise<{ user: User; serial: string; codeNow: () => string }> {
  const user = await createUser(ctx, [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }]);
  const iam = ctx.iam();
  const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${user.name}-phone` }));
  const secret = base32Decode(Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('utf8'));
  // The emulator's clock is the real one after the reset: play the authenticator app on it.
  const codeAt = (steps: number) => totp(secret, Date.now() + steps * 30_000);
  await iam.send(new EnableMFADeviceCommand({ UserName: user.name, SerialNumber: VirtualMFADevice!.SerialNumber, AuthenticationCode1: codeAt(-2), AuthenticationCode2: codeAt(-1) }));
  return { user, serial: VirtualMFADevice!.SerialNumber!, codeNow: () => codeAt(0) };
}

check(
  {
    todo: 4,
    name: 'gets an MFA session with SerialNumber and the current code (an MFA-only permission then works)',
    points: 2,
    hint: 'GetSessionToken turns long-term keys into a session that carries MFA, when it is given the MFA device and its current code.',
    recipe: 'GetSessionTokenCommand({ SerialNumber, TokenCode: await code(), DurationSeconds }), and return its Credentials as TODO 1 does.',
    needs: ['mfa-totp', 'iam-enforcement'],
  },
  async (ctx) => {
    const { user, serial, codeNow } = await userWithMfa(ctx);
    const durationSeconds = ctx.random.pick([900, 1800, 3600]);
    const { getMfaSession } = await ctx.load<SessionTokenModule>('get-session-token.ts');
    const asked = Date.now();
    const session = await getMfaSession(ctx.sts({ credentials: user.credentials }), serial, async () => codeNow(), durationSeconds);
    const credentials = { accessKeyId: session?.accessKeyId, secretAccessKey: session?.secretAccessKey, sessionToken: session?.sessionToken };
    ctx.expectEqual(await callerArn(ctx, credentials), user.arn, 'Who the returned credentials are, says GetCallerIdentity');
    const listed = await ctx
      .s3({ credentials })
      .send(new ListBucketsCommand({}))
      .then(
        () => 'allowed',
        (error: Error) => error.name,
      );
    ctx.expectEqual(listed, 'allowed', 'ListBuckets, which the user may call only with MFA, with the session you returned');
    const lifetime = Math.round((session.expiration.getTime() - asked) / 1000);
    ctx.expectTrue(Math.abs(lifetime - durationSeconds) <= 30, `The session lives ${lifetime} s, not the ${durationSeconds} s asked for: pass DurationSeconds.`);
  },
);

check(
  {
    todo: 4,
    name: 'lets the AccessDenied of a wrong code through (no fallback without MFA)',
    points: 1,
    hint: 'Do not catch the error of GetSessionToken: with a wrong code STS answers AccessDenied, and the caller must see it.',
    needs: ['mfa-totp'],
  },
  async (ctx) => {
    const { user, serial, codeNow } = await userWithMfa(ctx);
    const wrong = String((Number(codeNow()) + ctx.random.int(1, 999_998)) % 1_000_000).padStart(6, '0');
    const { getMfaSession } = await ctx.load<SessionTokenModule>('get-session-token.ts');
    let asked = 0;
    const error = await getMfaSession(ctx.sts({ credentials: user.credentials }), serial, async () => {
      asked += 1;
      return wrong;
    }, 900).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (error === undefined) {
      ctx.fail(asked === 0 ? 'Your function returned credentials without asking code() for the MFA code: send SerialNumber and TokenCode.' : 'Your function returned credentials although the MFA code was wrong.');
    }
    expectRejection(ctx, error, 'AccessDenied', 'The error getMfaSession threw for a wrong code');
  },
);

// --- TODO 5: DecodeAuthorizationMessage -------------------------------------------------------

check(
  {
    todo: 5,
    name: 'decodes the encoded message of a denial into its verdict, action, resource and principal',
    points: 2,
    hint: 'Some denials carry an encoded message in the error\'s text; only STS can decode it, and the decoded message is JSON that tells what was asked and why it was refused.',
    recipe: 'Take the text after "Encoded authorization failure message: " in error.message, send it in DecodeAuthorizationMessageCommand({ EncodedMessage }), JSON.parse the DecodedMessage and read allowed, explicitDeny and context.{action, resource, principal.arn}.',
    needs: ['decode-authorization-message', 'iam-enforcement'],
  },
  async (ctx) => {
    const explicit = ctx.random.next() < 0.5;
    const user = await createUser(ctx, [
      { Effect: 'Allow', Action: 'sts:DecodeAuthorizationMessage', Resource: '*' },
      ...(explicit ? [{ Sid: 'NoRoleDeletes', Effect: 'Deny', Action: 'iam:DeleteRole', Resource: '*' }] : []),
    ]);
    const target = `notes-${ctx.random.suffix(6)}`;
    const iam = ctx.iam({ credentials: user.credentials });
    const denial = await (explicit ? iam.send(new DeleteRoleCommand({ RoleName: target })) : iam.send(new CreateUserCommand({ UserName: target }))).then(
      () => ctx.fail('harness: the request meant to be denied was allowed'),
      (error: unknown) => error,
    );
    const encoded = /Encoded authorization failure message: (\S+)/.exec((denial as Error).message)?.[1];
    if (!encoded) ctx.fail(`harness: the denial carries no encoded message: ${(denial as Error).message}`);
    const { DecodedMessage } = await ctx.sts().send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }));
    const truth = JSON.parse(DecodedMessage!) as { allowed: boolean; explicitDeny: boolean; context: { action: string; resource: string; principal: { arn: string } } };

    const { explainDenial } = await ctx.load<DecodeModule>('decode-authorization-message.ts');
    const details = await explainDenial(ctx.sts({ credentials: user.credentials }), denial);
    ctx.expectEqual(
      details,
      { allowed: truth.allowed, explicitDeny: truth.explicitDeny, action: truth.context.action, resource: truth.context.resource, principalArn: truth.context.principal.arn },
      `What explainDenial returned for ${explicit ? 'an explicit deny of iam:DeleteRole' : 'iam:CreateUser, which no policy allows'}`,
    );
  },
);

check(
  {
    todo: 5,
    name: 'returns undefined for an error that carries no encoded message, without calling STS',
    points: 1,
    hint: 'Look for "Encoded authorization failure message: " in the error message first; when it is not there (S3 errors, a NoSuchBucket, ...), return undefined.',
  },
  async (ctx) => {
    const plain = await ctx
      .s3()
      .send(new GetObjectCommand({ Bucket: ctx.bucketName(), Key: 'missing.json' }))
      .then(
        () => ctx.fail('harness: GetObject on a missing bucket succeeded'),
        (error: unknown) => error,
      );
    const { explainDenial } = await ctx.load<DecodeModule>('decode-authorization-message.ts');
    ctx.expectEqual(await explainDenial(ctx.sts(), plain), undefined, `What explainDenial returned for ${(plain as Error).name}: ${(plain as Error).message}`);
  },
);
