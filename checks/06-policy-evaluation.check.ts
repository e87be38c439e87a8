/**
 * Lab 06 (policy evaluation): the student's evaluator is graded on the named case table
 * in fixtures/policy/lab-06-cases.ts, on seeded random cases against the emulator's own
 * policy engine (fixtures/policy/lab-06-reference.ts, asked here in the checks' process,
 * never in the student's), and live: the same scenarios built in the emulator and sent as
 * real S3 requests, whose outcome the verdict must predict. The student's functions run in
 * their own process: every answer is a call across the boundary, so the cases are asked in
 * batches (fixtures/policy/lab-06-grading.ts) and judged here, in order.
 */
import { DeleteUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as cases from '../fixtures/policy/lab-06-cases.ts';
import { gradeRandom, gradeRandomConditions, gradeTable, type TableCase } from '../fixtures/policy/lab-06-grading.ts';
import { createUser, gradeLiveStep, iamClient, rootOf, s3Client, type LiveUser } from '../fixtures/policy/lab-06-live.ts';
import type { Policies, Policy, Request, Statement, Verdict } from '../labs/06-policy-evaluation/policy-types.ts';
import { check, type CheckContext } from './support/index.ts';
import type { Remote } from './support/student-code.ts';

type PatternModule = typeof import('../labs/06-policy-evaluation/pattern-match.ts');
type StatementModule = typeof import('../labs/06-policy-evaluation/statement-matches.ts');
type PolicyListModule = typeof import('../labs/06-policy-evaluation/evaluate-policies.ts');
type ConditionsModule = typeof import('../labs/06-policy-evaluation/conditions.ts');
type EvaluateModule = typeof import('../labs/06-policy-evaluation/evaluate.ts');

const TABLE = 'fixtures/policy/lab-06-cases.ts';
const RANDOM_CASES = 1000;

const patternCases = (cases: cases.PatternCase[], match: (pattern: string, value: string) => Promise<boolean>): Array<TableCase<boolean>> =>
  cases.map((c) => ({ label: `${c.pattern} vs ${c.value}`, input: { pattern: c.pattern, value: c.value }, expected: c.expected, answer: () => match(c.pattern, c.value) }));

const statementCases = (cases: cases.StatementCase[], matches: Remote<StatementModule>['statementMatches']): Array<TableCase<boolean>> =>
  cases.map((c) => ({ label: c.name, input: { statement: c.statement, request: c.request }, expected: c.expected, answer: () => matches(c.statement, c.request) }));

const conditionCases = (cases: cases.ConditionCase[], hold: Remote<ConditionsModule>['conditionsHold']): Array<TableCase<boolean>> =>
  cases.map((c) => ({ label: c.name, input: { condition: c.condition, context: c.context }, expected: c.expected, answer: () => hold(c.condition, c.context) }));

const policyListCases = (cases: cases.PolicyListCase[], evaluatePolicies: Remote<PolicyListModule>['evaluatePolicies']): Array<TableCase<Verdict>> =>
  cases.map((c) => ({ label: c.name, input: { policies: c.policies, request: c.request }, expected: c.expected, answer: () => evaluatePolicies(c.policies, c.request) }));

const evaluateCases = (cases: cases.EvaluateCase[], evaluate: Remote<EvaluateModule>['evaluate']): Array<TableCase<Verdict>> =>
  cases.map((c) => ({ label: c.name, input: { request: c.request, policies: c.policies }, expected: c.expected, answer: () => evaluate(c.request, c.policies) }));

// --- TODO 1: wildcards ------------------------------------------------------------------------

check(
  {
    todo: 1,
    name: 'matches actions with * and ?, ignoring case',
    points: 1,
    hint: 'Write wildcardMatch (`*` any run of characters, `?` exactly one, the whole value must match), then compare actions in one case (lower-case both sides).',
  },
  async (ctx) => {
    const { actionMatches } = await ctx.load<PatternModule>('pattern-match.ts');
    await gradeTable('actionMatches(pattern, action)', `${TABLE} (ACTION_PATTERN_CASES)`, patternCases(cases.ACTION_PATTERN_CASES, actionMatches));
  },
);

check(
  {
    todo: 1,
    name: 'matches resource ARNs with * and ?, case-sensitively',
    points: 1,
    hint: 'ARNs keep their case, and a bucket ARN is not its objects\' ARN (`bucket` vs `bucket/*`). Characters like `.` are literal: if you build a RegExp, escape everything but `*` and `?`.',
  },
  async (ctx) => {
    const { resourceMatches } = await ctx.load<PatternModule>('pattern-match.ts');
    await gradeTable('resourceMatches(pattern, arn)', `${TABLE} (RESOURCE_PATTERN_CASES)`, patternCases(cases.RESOURCE_PATTERN_CASES, resourceMatches));
  },
);

// --- TODO 2: statements -------------------------------------------------------------------------

check(
  {
    todo: 2,
    name: 'a statement covers a request when its Action and its Resource both match',
    points: 1,
    hint: 'Action and Resource may be a string or a list (use listOf): the request matches when ANY pattern matches, and it needs both an action match and a resource match.',
  },
  async (ctx) => {
    const { statementMatches } = await ctx.load<StatementModule>('statement-matches.ts');
    await gradeTable('statementMatches(statement, request)', `${TABLE} (STATEMENT_CASES)`, statementCases(cases.STATEMENT_CASES, statementMatches));
  },
);

check(
  {
    todo: 2,
    name: 'NotAction covers every action except those listed',
    points: 1,
    hint: 'With NotAction, the action part matches when the action matches NONE of the patterns. It is not a deny, and the Resource must still match.',
  },
  async (ctx) => {
    const { statementMatches } = await ctx.load<StatementModule>('statement-matches.ts');
    await gradeTable('statementMatches(statement, request)', `${TABLE} (NOT_ACTION_CASES)`, statementCases(cases.NOT_ACTION_CASES, statementMatches));
  },
);

check(
  {
    todo: 2,
    name: 'NotResource covers every resource except those listed',
    points: 1,
    hint: 'With NotResource, the resource part matches when the ARN matches NONE of the patterns; the Action must still match.',
  },
  async (ctx) => {
    const { statementMatches } = await ctx.load<StatementModule>('statement-matches.ts');
    await gradeTable('statementMatches(statement, request)', `${TABLE} (NOT_RESOURCE_CASES)`, statementCases(cases.NOT_RESOURCE_CASES, statementMatches));
  },
);

// --- TODO 3: explicit deny > allow > implicit deny -------------------------------------------------

check(
  {
    todo: 3,
    name: 'an explicit Deny beats any Allow',
    points: 1,
    hint: 'Look at every statement of every policy that applies before answering: one applying Deny makes it ExplicitDeny, whatever Allows there are and wherever they come.',
  },
  async (ctx) => {
    const { evaluatePolicies } = await ctx.load<PolicyListModule>('evaluate-policies.ts');
    await gradeTable('evaluatePolicies(policies, request)', `${TABLE} (DENY_BEATS_ALLOW_CASES)`, policyListCases(cases.DENY_BEATS_ALLOW_CASES, evaluatePolicies));
  },
);

check(
  {
    todo: 3,
    name: 'without an applying Allow the answer is ImplicitDeny',
    points: 1,
    hint: 'Denied is the default: with no policies, or none that applies, the answer is ImplicitDeny. One applying Allow in any of the policies is enough to allow.',
  },
  async (ctx) => {
    const { evaluatePolicies } = await ctx.load<PolicyListModule>('evaluate-policies.ts');
    await gradeTable('evaluatePolicies(policies, request)', `${TABLE} (IMPLICIT_DENY_CASES)`, policyListCases(cases.IMPLICIT_DENY_CASES, evaluatePolicies));
  },
);

check(
  {
    todo: 3,
    name: 'agrees with the reference evaluator on 1000 random identity policies without conditions',
    points: 2,
    hint: 'The failure shows the whole random case: paste it into a small script, call your evaluatePolicies on it and follow each statement by hand (wildcards, NotAction, NotResource, then deny > allow > implicit deny).',
  },
  async (ctx) => {
    const { evaluatePolicies } = await ctx.load<PolicyListModule>('evaluate-policies.ts');
    await gradeRandom(ctx.random, RANDOM_CASES, { conditions: false, resourcePolicy: false }, (request, policies) => evaluatePolicies(policies.identity, request));
  },
);

// --- TODO 4: conditions ----------------------------------------------------------------------------

check(
  {
    todo: 4,
    name: 'IpAddress and NotIpAddress compare aws:SourceIp with CIDR ranges',
    points: 1,
    hint: 'Turn the address and the range base into 32-bit numbers; keep the first /n bits of both (a mask) and compare. Several ranges: IpAddress needs one to contain the address, NotIpAddress none.',
  },
  async (ctx) => {
    const { conditionsHold } = await ctx.load<ConditionsModule>('conditions.ts');
    await gradeTable('conditionsHold(condition, context)', `${TABLE} (IP_CONDITION_CASES)`, conditionCases(cases.IP_CONDITION_CASES, conditionsHold));
  },
);

check(
  {
    todo: 4,
    name: 'StringEquals, StringNotEquals, StringLike and StringNotLike, also with a missing key',
    points: 1,
    hint: 'Strings compare case-sensitively; the Like forms use your wildcardMatch. A key missing from the context fails the condition, except for the Not forms, which hold.',
  },
  async (ctx) => {
    const { conditionsHold } = await ctx.load<ConditionsModule>('conditions.ts');
    await gradeTable('conditionsHold(condition, context)', `${TABLE} (STRING_CONDITION_CASES)`, conditionCases(cases.STRING_CONDITION_CASES, conditionsHold));
  },
);

check(
  {
    todo: 4,
    name: 'Bool on aws:MultiFactorAuthPresent and Null test values and presence',
    points: 1,
    hint: 'Bool compares "true"/"false"; a missing key fails it (long-term access keys carry no MFA key at all). Null asks about presence only: "true" holds when the key is missing.',
  },
  async (ctx) => {
    const { conditionsHold } = await ctx.load<ConditionsModule>('conditions.ts');
    await gradeTable('conditionsHold(condition, context)', `${TABLE} (BOOL_NULL_CONDITION_CASES)`, conditionCases(cases.BOOL_NULL_CONDITION_CASES, conditionsHold));
  },
);

check(
  {
    todo: 4,
    name: 'Date operators on aws:CurrentTime, and several operators ANDed',
    points: 1,
    hint: 'Compare instants (Date.parse), not texts; LessThan is strict, LessThanEquals is not. Every operator and every key of the block must hold.',
  },
  async (ctx) => {
    const { conditionsHold } = await ctx.load<ConditionsModule>('conditions.ts');
    await gradeTable('conditionsHold(condition, context)', `${TABLE} (DATE_CONDITION_CASES)`, conditionCases(cases.DATE_CONDITION_CASES, conditionsHold));
  },
);

check(
  {
    todo: 4,
    name: 'agrees with the reference evaluator on 1000 random condition blocks',
    points: 2,
    hint: 'The failure shows the whole random case: take the block operator by operator, key by key, against the context (is the key there? is the operator negated? does any value match?).',
  },
  async (ctx) => {
    const { conditionsHold } = await ctx.load<ConditionsModule>('conditions.ts');
    await gradeRandomConditions(ctx.random, RANDOM_CASES, conditionsHold);
  },
);

// --- TODO 5: identity + resource policies ---------------------------------------------------------

check(
  {
    todo: 5,
    name: 'same account: the identity policy or a bucket policy naming the caller is enough',
    points: 1,
    hint: 'In the resource\'s own account, either side may allow. A bucket-policy Allow counts alone when its Principal is the caller\'s ARN or "*"; naming only the account (…:root) leaves it to the identity policies.',
  },
  async (ctx) => {
    const { evaluate } = await ctx.load<EvaluateModule>('evaluate.ts');
    await gradeTable('evaluate(request, policies)', `${TABLE} (SAME_ACCOUNT_CASES)`, evaluateCases(cases.SAME_ACCOUNT_CASES, evaluate));
  },
);

check(
  {
    todo: 5,
    name: 'cross account: the identity policy and the bucket policy must both allow',
    points: 2,
    hint: 'When resourceAccount is not the caller\'s account, the caller\'s own account must allow (identity policies) AND the resource\'s account must allow (a bucket-policy Allow naming the caller, "*" or the caller\'s account).',
  },
  async (ctx) => {
    const { evaluate } = await ctx.load<EvaluateModule>('evaluate.ts');
    await gradeTable('evaluate(request, policies)', `${TABLE} (CROSS_ACCOUNT_CASES)`, evaluateCases(cases.CROSS_ACCOUNT_CASES, evaluate));
  },
);

check(
  {
    todo: 5,
    name: 'an explicit Deny on either side wins, if its Principal covers the caller',
    points: 1,
    hint: 'Check the bucket policy\'s Deny statements too (with their conditions), but only those whose Principal covers the caller: "*", its ARN or its account.',
  },
  async (ctx) => {
    const { evaluate } = await ctx.load<EvaluateModule>('evaluate.ts');
    await gradeTable('evaluate(request, policies)', `${TABLE} (DENY_EITHER_SIDE_CASES)`, evaluateCases(cases.DENY_EITHER_SIDE_CASES, evaluate));
  },
);

check(
  {
    todo: 5,
    name: 'agrees with the reference evaluator on 1000 random identity and bucket policies, same and cross account',
    points: 2,
    hint: 'The failure shows the whole random case. Decide it by hand: any applying Deny (identity, or bucket policy for the caller)? Same account: does either side allow? Cross account: do both?',
  },
  async (ctx) => {
    const { evaluate } = await ctx.load<EvaluateModule>('evaluate.ts');
    await gradeRandom(ctx.random, RANDOM_CASES, { conditions: true, resourcePolicy: true }, evaluate);
  },
);

// --- TODO 5, live: the emulator enforces the same policies --------------------------------------

const OFFICE_RANGES = [
  { cidr: '192.0.2.0/24', inside: ['192.0.2.10', '192.0.2.201'], outside: ['192.0.3.10', '198.51.100.7'] },
  { cidr: '203.0.113.0/25', inside: ['203.0.113.5', '203.0.113.120'], outside: ['203.0.113.130', '10.0.0.1'] },
  { cidr: '198.51.100.64/26', inside: ['198.51.100.70', '198.51.100.127'], outside: ['198.51.100.63', '198.51.100.128'] },
];

const document = (...statements: Statement[]): Policy => ({ Version: '2012-10-17', Statement: statements });

function liveRequest(user: LiveUser, action: string, resource: string, resourceAccount: string, context: Record<string, string> = {}): Request {
  return { principal: { arn: user.arn, account: user.account }, action, resource, resourceAccount, context };
}

async function bucketWithNote(ctx: CheckContext): Promise<{ bucket: string; key: string }> {
  const bucket = ctx.bucketName('notes');
  const key = `${ctx.random.pick(['2024', '2025'])}/${ctx.random.pick(['jan', 'feb', 'mar'])}.csv`;
  const root = s3Client(ctx, ctx.backend.credentials);
  await root.send(new CreateBucketCommand({ Bucket: bucket }));
  await root.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'year,title\n2024,first note\n' }));
  return { bucket, key };
}

check(
  {
    todo: 5,
    name: "live: predicts the emulator's answers for the course's office-only notes bucket",
    points: 2,
    hint: 'These are real S3 requests: ListObjectsV2 is s3:ListBucket on the bucket ARN, GetObject is s3:GetObject on bucket/key, and aws:SourceIp is the caller\'s address. A Deny + NotIpAddress bucket policy refuses every request from outside the range, even when the user\'s policy allows it.',
    needs: ['iam-enforcement'],
  },
  async (ctx) => {
    const { evaluate } = await ctx.load<EvaluateModule>('evaluate.ts');
    const { bucket, key } = await bucketWithNote(ctx);
    const account = ctx.backend.accountId;
    const bucketArn = `arn:aws:s3:::${bucket}`;
    const office = ctx.random.pick(OFFICE_RANGES);
    const inside = ctx.random.pick(office.inside);
    const outside = ctx.random.pick(office.outside);

    const listPolicy = document({ Sid: 'ListTheNotesBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn });
    const iam = iamClient(ctx);
    const alice = await createUser(iam, `alice-${ctx.random.suffix(4)}`, account, listPolicy);
    const bob = await createUser(iam, `bob-${ctx.random.suffix(4)}`, account);
    const bucketPolicy = document({
      Sid: 'DenyOutsideTheOfficeRange',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { NotIpAddress: { 'aws:SourceIp': office.cidr } },
    });
    await s3Client(ctx, ctx.backend.credentials).send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(bucketPolicy) }));

    const steps = [
      { who: alice, ip: inside, what: `alice lists the bucket from ${inside} (inside ${office.cidr})`, list: true },
      { who: alice, ip: outside, what: `alice lists the bucket from ${outside} (outside ${office.cidr})`, list: true },
      { who: alice, ip: inside, what: `alice reads ${key} from ${inside}`, list: false },
      { who: alice, ip: outside, what: `alice reads ${key} from ${outside}`, list: false },
      { who: bob, ip: inside, what: `bob (no policy) lists the bucket from ${inside}`, list: true },
    ];
    for (const step of ctx.random.next() < 0.5 ? steps : [...steps].reverse()) {
      const client = s3Client(ctx, step.who.credentials, step.ip);
      const policies: Policies = { identity: step.who === alice ? [listPolicy] : [], resource: bucketPolicy };
      const context = { 'aws:SourceIp': step.ip };
      await gradeLiveStep(
        step.list
          ? { what: step.what, request: liveRequest(step.who, 's3:ListBucket', bucketArn, account, context), policies, send: () => client.send(new ListObjectsV2Command({ Bucket: bucket })) }
          : { what: step.what, request: liveRequest(step.who, 's3:GetObject', `${bucketArn}/${key}`, account, context), policies, send: () => client.send(new GetObjectCommand({ Bucket: bucket, Key: key })) },
        evaluate,
      );
    }
  },
);

check(
  {
    todo: 5,
    name: "live: predicts the emulator's answers for users of the bucket's account and of another account",
    points: 2,
    hint: 'A user of another account needs an Allow in its own identity policy AND in the bucket policy; a user of the bucket\'s account needs only one of the two. The emulator answers 403 AccessDenied when your verdict should not be Allow.',
    needs: ['iam-enforcement'],
  },
  async (ctx) => {
    const { evaluate } = await ctx.load<EvaluateModule>('evaluate.ts');
    const { bucket, key } = await bucketWithNote(ctx);
    const account = ctx.backend.accountId;
    const otherAccount = ctx.random.pick(['444455556666', '777788889999']);
    const bucketArn = `arn:aws:s3:::${bucket}`;
    const objectArn = `${bucketArn}/${key}`;
    const readNotes = document({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/*` });

    const dave = await createUser(iamClient(ctx), `dave-${ctx.random.suffix(4)}`, account);
    const otherIam: IAMClient = iamClient(ctx, rootOf(otherAccount));
    const carolName = `carol-${ctx.random.suffix(4)}`;
    const carol = await createUser(otherIam, carolName, otherAccount, readNotes);
    const root = s3Client(ctx, ctx.backend.credentials);
    const read = (user: LiveUser) => () => s3Client(ctx, user.credentials).send(new GetObjectCommand({ Bucket: bucket, Key: key }));

    await gradeLiveStep(
      { what: 'carol (another account, identity policy allows) reads a note; the bucket has no policy', request: liveRequest(carol, 's3:GetObject', objectArn, account), policies: { identity: [readNotes] }, send: read(carol) },
      evaluate,
    );

    // The bucket policy grants carol's account (or carol herself) and dave by name.
    const carolPrincipal = ctx.random.pick([`arn:aws:iam::${otherAccount}:root`, carol.arn]);
    const bucketPolicy = document(
      { Sid: 'OtherAccountReads', Effect: 'Allow', Principal: { AWS: carolPrincipal }, Action: 's3:GetObject', Resource: `${bucketArn}/*` },
      { Sid: 'DaveReads', Effect: 'Allow', Principal: { AWS: dave.arn }, Action: 's3:GetObject', Resource: `${bucketArn}/*` },
    );
    await root.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(bucketPolicy) }));
    await gradeLiveStep(
      { what: `carol reads a note; the bucket policy now grants ${carolPrincipal}`, request: liveRequest(carol, 's3:GetObject', objectArn, account), policies: { identity: [readNotes], resource: bucketPolicy }, send: read(carol) },
      evaluate,
    );
    await gradeLiveStep(
      { what: "dave (the bucket's account, no identity policy) reads a note; the bucket policy names him", request: liveRequest(dave, 's3:GetObject', objectArn, account), policies: { identity: [], resource: bucketPolicy }, send: read(dave) },
      evaluate,
    );

    await otherIam.send(new DeleteUserPolicyCommand({ UserName: carolName, PolicyName: 'lab-06' }));
    await gradeLiveStep(
      { what: 'carol reads a note after her own account took her identity policy away', request: liveRequest(carol, 's3:GetObject', objectArn, account), policies: { identity: [], resource: bucketPolicy }, send: read(carol) },
      evaluate,
    );
  },
);
