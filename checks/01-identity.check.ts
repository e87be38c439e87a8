/**
 * Lab 01 (identity): graded on what STS and IAM say, read back by the harness's own
 * clients (GetCallerIdentity, ListAttachedRolePolicies) and the request log, never on
 * what the program prints.
 */
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  GetUserCommand,
  paginateListAttachedRolePolicies,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentials } from '../backends/backend.ts';
import { REGIONS } from './support/random.ts';
import { check, type CheckContext } from './support/index.ts';

type ClientsModule = typeof import('../labs/01-identity/clients.ts');
type IdentityModule = typeof import('../labs/01-identity/get-caller-identity.ts');
type ListPoliciesModule = typeof import('../labs/01-identity/list-policies.ts');
type AttachModule = typeof import('../labs/01-identity/attach-role-policy.ts');
type ListAttachedModule = typeof import('../labs/01-identity/list-attached-role-policies.ts');

const LAB_ROLE = 'notes-application-role';
const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
/**
 * AWS managed policies the course attaches, under the same ARNs on every backend that
 * has them. Not ReadOnlyAccess: other AWS managed names contain it, so which check a
 * name-contains mistake fails would depend on the draw.
 */
const AWS_MANAGED = ['AmazonS3ReadOnlyAccess', 'AmazonS3FullAccess', 'AmazonDynamoDBFullAccess', 'IAMReadOnlyAccess'] as const;
/** More than one ListPolicies page (100 by default), so the wanted policy is never on the first. */
const FILLER_POLICIES = 105;

function policyDocument(action: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
}

async function createUserWithKeys(ctx: CheckContext, name: string): Promise<{ arn: string; credentials: AwsCredentials }> {
  const iam = ctx.iam();
  const { User } = await iam.send(new CreateUserCommand({ UserName: name }));
  // Even reading yourself needs a permission: let the user call GetUser on itself.
  const getSelf = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: User!.Arn }] });
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'get-self', PolicyDocument: getSelf }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { arn: User!.Arn!, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
}

/** Makes the student's code find `credentials` in the environment, as the default chain reads them. */
function useEnvironmentCredentials(ctx: CheckContext, credentials: AwsCredentials, region: string): void {
  ctx.setEnv({
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_REGION: region,
  });
}

async function createPolicy(ctx: CheckContext, name: string, path = '/'): Promise<string> {
  const { Policy } = await ctx.iam().send(new CreatePolicyCommand({ PolicyName: name, Path: path, PolicyDocument: policyDocument('s3:ListBucket') }));
  return Policy!.Arn!;
}

/**
 * Customer policies named "Access-..." sort before every AWS managed policy (and
 * before the S3-/Notes- names of the checks), so the wanted policy lands past the
 * first page of ListPolicies.
 */
async function fillFirstPage(ctx: CheckContext): Promise<void> {
  const prefix = `Access-${ctx.random.suffix(4)}`;
  const names = Array.from({ length: FILLER_POLICIES }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 15) await Promise.all(names.slice(i, i + 15).map((name) => createPolicy(ctx, name)));
}

/** notes-application-role as the course has it (the embedded emulator seeds it; other backends get it here). */
async function ensureLabRole(ctx: CheckContext): Promise<void> {
  const iam = ctx.iam();
  const exists = await iam.send(new GetRoleCommand({ RoleName: LAB_ROLE })).then(
    () => true,
    (error: Error) => {
      if (error.name === 'NoSuchEntity' || error.name === 'NoSuchEntityException') return false;
      throw error;
    },
  );
  if (exists) return;
  await iam.send(new CreateRoleCommand({ RoleName: LAB_ROLE, AssumeRolePolicyDocument: EC2_TRUST }));
  // Not every backend has AWS managed policies (moto): a customer policy stands in for ReadOnlyAccess.
  await iam.send(new AttachRolePolicyCommand({ RoleName: LAB_ROLE, PolicyArn: await createPolicy(ctx, 'Notes-ReadOnly') }));
}

async function attachedArns(ctx: CheckContext, roleName: string): Promise<Array<{ name: string; arn: string }>> {
  const attached: Array<{ name: string; arn: string }> = [];
  for await (const page of paginateListAttachedRolePolicies({ client: ctx.iam() }, { RoleName: roleName })) {
    for (const p of page.AttachedPolicies ?? []) attached.push({ name: p.PolicyName!, arn: p.PolicyArn! });
  }
  return attached;
}

// --- TODO 1: clients from the default credential chain --------------------------------

check(
  {
    todo: 1,
    name: 'builds an STS client that uses the credentials and region of the environment',
    points: 1,
    hint: 'The SDK\'s default credential chain reads keys and region from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION). Anything written in the code wins over it, so write nothing the environment already says.',
    recipe: 'new STSClient({ maxAttempts }): no credentials, region or endpoint.',
  },
  async (ctx) => {
    const user = await createUserWithKeys(ctx, `developer-${ctx.random.suffix(6)}`);
    const region = ctx.random.pick(REGIONS);
    const maxAttempts = ctx.random.int(2, 5);
    useEnvironmentCredentials(ctx, user.credentials, region);
    const { createStsClient } = await ctx.load<ClientsModule>('clients.ts');
    const sts = ctx.track(await createStsClient(maxAttempts));
    ctx.expectEqual(await sts.config.region(), region, `With AWS_REGION=${region}, the region of your STS client`);
    ctx.expectEqual(await sts.config.maxAttempts(), maxAttempts, `maxAttempts of createStsClient(${maxAttempts})`);
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    ctx.expectEqual(Arn, user.arn, 'With the keys of an IAM user in the environment, the caller your STS client signs as');
    // The answer above travelled through the student's process; the emulator saw who really signed.
    if (ctx.can('request-log')) {
      const sent = await ctx.requests({ operation: 'GetCallerIdentity' });
      ctx.expectEqual(sent.at(-1)?.accessKeyId, user.credentials.accessKeyId, 'The access key that signed the GetCallerIdentity your client sent');
    }
  },
);

check(
  {
    todo: 1,
    name: 'builds an IAM client that uses the credentials and region of the environment',
    points: 1,
    hint: 'The IAM client finds its keys and region the same way the STS client does: from the environment, through the default chain.',
    recipe: 'new IAMClient({ maxAttempts }): nothing else.',
  },
  async (ctx) => {
    const userName = `developer-${ctx.random.suffix(6)}`;
    const user = await createUserWithKeys(ctx, userName);
    const region = ctx.random.pick(REGIONS);
    const maxAttempts = ctx.random.int(2, 5);
    useEnvironmentCredentials(ctx, user.credentials, region);
    const { createIamClient } = await ctx.load<ClientsModule>('clients.ts');
    const iam = ctx.track(await createIamClient(maxAttempts));
    ctx.expectEqual(await iam.config.region(), region, `With AWS_REGION=${region}, the region of your IAM client`);
    ctx.expectEqual(await iam.config.maxAttempts(), maxAttempts, `maxAttempts of createIamClient(${maxAttempts})`);
    // GetUser without a UserName answers the user who signed the request.
    const { User } = await iam.send(new GetUserCommand({}));
    ctx.expectEqual(User?.UserName, userName, 'With the keys of an IAM user in the environment, the user your IAM client signs as');
  },
);

// --- TODO 2: GetCallerIdentity ----------------------------------------------------------

async function identityCheck(ctx: CheckContext, credentials: AwsCredentials, who: string): Promise<void> {
  const sts = ctx.sts({ credentials });
  const truth = await sts.send(new GetCallerIdentityCommand({}));
  const { getCallerIdentity } = await ctx.load<IdentityModule>('get-caller-identity.ts');
  const answer = await getCallerIdentity(sts);
  ctx.expectEqual({ account: answer?.account, arn: answer?.arn }, { account: truth.Account, arn: truth.Arn }, `What getCallerIdentity returned for ${who}`);
}

check(
  {
    todo: 2,
    name: 'returns the account and ARN STS reports, in an account chosen at random',
    points: 1,
    hint: 'Only STS can say who the caller is: ask it with GetCallerIdentity. The account differs from run to run, so it cannot be written in the code.',
    recipe: 'const { Account, Arn } = await sts.send(new GetCallerIdentityCommand({})); return them.',
  },
  async (ctx) => {
    // The emulator's convention: a 12-digit access key (secret "test") is the root of that account.
    const account = `${ctx.random.int(2, 9)}${String(ctx.random.int(0, 99_999_999_999)).padStart(11, '0')}`;
    await identityCheck(ctx, { accessKeyId: account, secretAccessKey: 'test' }, `the root of account ${account}`);
  },
);

check(
  {
    todo: 2,
    name: 'returns the ARN of an IAM user when the client signs as that user',
    points: 1,
    hint: "Return the `Arn` GetCallerIdentity answers: for an IAM user it is arn:aws:iam::<account>:user/<name>, for a role's session arn:aws:sts::<account>:assumed-role/<role>/<session>.",
  },
  async (ctx) => {
    const user = await createUserWithKeys(ctx, `developer-${ctx.random.suffix(6)}`);
    await identityCheck(ctx, user.credentials, `the IAM user ${user.arn}`);
  },
);

// --- TODO 3: a policy's ARN by name, through every page ----------------------------------

async function findArn(ctx: CheckContext, name: string): Promise<string | undefined> {
  const { findPolicyArn } = await ctx.load<ListPoliciesModule>('list-policies.ts');
  return findPolicyArn(ctx.iam(), name);
}

check(
  {
    todo: 3,
    name: "finds a customer managed policy's ARN by its exact name, past the first page",
    points: 2,
    hint: 'ListPolicies answers one page at a time, and the policy you look for may be on a later one. The SDK\'s paginators follow the pages for you; compare names exactly and return the policy\'s own Arn.',
    recipe: 'for await (const page of paginateListPolicies({ client: iam }, {})) { const hit = page.Policies?.find((p) => p.PolicyName === name); if (hit) return hit.Arn; }',
    // More than a hundred policies to create first: slow backends (moto on a busy machine) need the time.
    timeoutSeconds: 30,
  },
  async (ctx) => {
    await fillFirstPage(ctx);
    const name = `${ctx.random.pick(['S3-Delete-Bucket', 'Notes-Table-Writer', 'Notes-Bucket-Reader'])}-Policy-${ctx.random.suffix(4)}`;
    // Names that contain the wanted one, and sort before and after it.
    await createPolicy(ctx, `Legacy-${name}`);
    const arn = await createPolicy(ctx, name, ctx.random.pick(['/', '/notes/']));
    await createPolicy(ctx, `${name}-v2`);
    ctx.expectEqual(await findArn(ctx, name), arn, `The ARN of ${name} (more than ${FILLER_POLICIES} policies come before it)`);
  },
);

check(
  {
    todo: 3,
    name: "finds an AWS managed policy's ARN (arn:aws:iam::aws:policy/...), past the first page",
    points: 1,
    hint: 'AWS managed policies are in the same ListPolicies answer (Scope "All", the default) but on later pages: keep following Marker until IsTruncated is false.',
    needs: ['aws-managed-policies'],
    // More than a hundred policies to create first: slow backends (moto on a busy machine) need the time.
    timeoutSeconds: 30,
  },
  async (ctx) => {
    await fillFirstPage(ctx);
    const name = ctx.random.pick(AWS_MANAGED);
    await createPolicy(ctx, `${name}-Notes`);
    ctx.expectEqual(await findArn(ctx, name), `arn:aws:iam::aws:policy/${name}`, `The ARN of the AWS managed policy ${name}`);
  },
);

check(
  {
    todo: 3,
    name: 'returns undefined when no policy has exactly that name',
    points: 1,
    hint: 'Only an exact name match counts (like `PolicyName == ...` in the query); after the last page with no match, return undefined instead of guessing an ARN.',
    // Reads every page of ListPolicies: slow backends (moto on a busy machine) need the time.
    timeoutSeconds: 30,
  },
  async (ctx) => {
    const name = `Notes-Admin-Policy-${ctx.random.suffix(4)}`;
    await createPolicy(ctx, `Legacy-${name}`);
    await createPolicy(ctx, `${name}-v2`);
    ctx.expectEqual(await findArn(ctx, name), undefined, `The ARN of ${name}, which no policy is named (only Legacy-${name} and ${name}-v2 exist)`);
  },
);

// --- TODO 4: AttachRolePolicy -------------------------------------------------------------

check(
  {
    todo: 4,
    name: 'attaches the policy to notes-application-role, keeping what was attached',
    points: 2,
    hint: 'Attaching a managed policy to a role is one IAM call that names the role and the policy ARN; it adds to what the role has, it does not replace it.',
    recipe: 'await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn }))',
  },
  async (ctx) => {
    await ensureLabRole(ctx);
    const before = await attachedArns(ctx, LAB_ROLE);
    const arn = await createPolicy(ctx, `${ctx.random.pick(['S3-Delete-Bucket', 'Notes-Table-Writer'])}-Policy-${ctx.random.suffix(4)}`, ctx.random.pick(['/', '/notes/']));
    const { attachRolePolicy } = await ctx.load<AttachModule>('attach-role-policy.ts');
    await attachRolePolicy(ctx.iam(), LAB_ROLE, arn);
    const after = (await attachedArns(ctx, LAB_ROLE)).map((p) => p.arn);
    ctx.expectEqual(after.includes(arn), true, `Whether ${LAB_ROLE} has ${arn} attached (ListAttachedRolePolicies lists ${after.join(', ')})`);
    const lost = before.map((p) => p.arn).filter((a) => !after.includes(a));
    ctx.expectEqual(lost, [], `Policies ${LAB_ROLE} had before and lost`);
  },
);

// --- TODO 5: ListAttachedRolePolicies, page by page --------------------------------------------

/** A new role with enough policies attached for at least two pages of `pageSize` (at most 10: IAM's quota per role). */
async function roleWithPolicies(ctx: CheckContext, pageSize: number): Promise<{ roleName: string; count: number }> {
  const roleName = `notes-worker-role-${ctx.random.suffix(5)}`;
  const iam = ctx.iam();
  await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: EC2_TRUST }));
  const count = ctx.random.int(pageSize + 1, 8);
  const names = Array.from({ length: count }, (_, i) => `${ctx.random.pick(['Notes', 'Bucket', 'Table'])}-${ctx.random.suffix(4)}-${i}`);
  const arns = await Promise.all(names.map((name) => createPolicy(ctx, name)));
  for (const arn of arns) await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
  return { roleName, count };
}

check(
  {
    todo: 5,
    name: 'lists every policy attached to the role, across pages',
    points: 2,
    hint: 'A role\'s attached policies come a page at a time: follow every page, not just the first (the SDK has a paginator for ListAttachedRolePolicies).',
    recipe: 'for await (const page of paginateListAttachedRolePolicies({ client: iam, pageSize }, { RoleName })) collect each PolicyName and PolicyArn of page.AttachedPolicies.',
  },
  async (ctx) => {
    const pageSize = ctx.random.int(2, 3);
    const { roleName, count } = await roleWithPolicies(ctx, pageSize);
    const { listAttachedRolePolicies } = await ctx.load<ListAttachedModule>('list-attached-role-policies.ts');
    const listed = await listAttachedRolePolicies(ctx.iam(), roleName, pageSize);
    const truth = await attachedArns(ctx, roleName);
    ctx.expectEqual(
      listed?.map((p) => ({ name: p.name, arn: p.arn })),
      truth,
      `The policies listAttachedRolePolicies(iam, "${roleName}", ${pageSize}) returned for a role with ${count} attached`,
    );
  },
);

check(
  {
    todo: 5,
    name: 'asks for pageSize policies per request (one ListAttachedRolePolicies call per page)',
    points: 1,
    hint: 'A paginator\'s page size is its own setting, next to the client: it becomes the request\'s MaxItems, so 7 policies at 3 a page take 3 requests.',
    recipe: 'paginateListAttachedRolePolicies({ client: iam, pageSize }, { RoleName })',
    needs: ['request-log'],
  },
  async (ctx) => {
    const pageSize = ctx.random.int(2, 3);
    const { roleName, count } = await roleWithPolicies(ctx, pageSize);
    const { listAttachedRolePolicies } = await ctx.load<ListAttachedModule>('list-attached-role-policies.ts');
    await listAttachedRolePolicies(ctx.iam(), roleName, pageSize);
    const calls = (await ctx.requests({ operation: 'ListAttachedRolePolicies' })).length;
    ctx.expectEqual(calls, Math.ceil(count / pageSize), `ListAttachedRolePolicies requests for ${count} policies with pageSize ${pageSize}`);
  },
);
