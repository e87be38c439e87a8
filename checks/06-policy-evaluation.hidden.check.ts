/**
 * Lab 06's hidden checks: a second case table, left out of the student edition, so an
 * evaluator tuned to the visible table alone does not get full marks. Every verdict here
 * is also asked of the emulator's policy engine before grading (a wrong table is a harness
 * error, never a student's failure).
 */
import {
  ACCOUNT,
  ALICE,
  allow,
  BUCKET,
  byCarol,
  CAROL,
  deny,
  NOTE,
  OTHER_ACCOUNT,
  policy,
  request,
  type ConditionCase,
  type EvaluateCase,
  type PatternCase,
  type PolicyListCase,
  type StatementCase,
} from '../fixtures/policy/lab-06-cases.ts';
import { gradeTable } from '../fixtures/policy/lab-06-grading.ts';
import {
  referenceActionMatch,
  referenceConditionsHold,
  referenceEvaluation,
  referenceResourceMatch,
  referenceStatementMatch,
} from '../fixtures/policy/lab-06-reference.ts';
import { check } from './support/index.ts';

type PatternModule = typeof import('../labs/06-policy-evaluation/pattern-match.ts');
type StatementModule = typeof import('../labs/06-policy-evaluation/statement-matches.ts');
type PolicyListModule = typeof import('../labs/06-policy-evaluation/evaluate-policies.ts');
type ConditionsModule = typeof import('../labs/06-policy-evaluation/conditions.ts');
type EvaluateModule = typeof import('../labs/06-policy-evaluation/evaluate.ts');

const SOURCE = 'a hidden table (not in your copy of the course)';

function agree<T>(label: string, expected: T, reference: T): void {
  if (JSON.stringify(expected) !== JSON.stringify(reference)) {
    throw new Error(`harness: hidden case "${label}" expects ${JSON.stringify(expected)}, the reference engine ${JSON.stringify(reference)}`);
  }
}

const ACTIONS: PatternCase[] = [
  { pattern: 's3:*', value: 's3:', expected: true },
  { pattern: '*Object', value: 's3:GetObject', expected: true },
  { pattern: 's3:Get*Acl', value: 's3:getobjectacl', expected: true },
  { pattern: 's3:Get?', value: 's3:Get', expected: false },
  { pattern: 'dynamodb:*', value: 'DynamoDB:Query', expected: true },
  { pattern: 's3:.*', value: 's3:GetObject', expected: false },
];

const RESOURCES: PatternCase[] = [
  { pattern: 'arn:aws:s3:::notes.2024', value: 'arn:aws:s3:::notesX2024', expected: false },
  { pattern: 'arn:aws:s3:::a+b/*', value: 'arn:aws:s3:::aab/x', expected: false },
  { pattern: 'arn:aws:s3:::a+b/*', value: 'arn:aws:s3:::a+b/x', expected: true },
  { pattern: `${BUCKET}/*`, value: `${BUCKET}/`, expected: true },
  { pattern: 'arn:aws:s3:::notes-bucket/**/jan.csv', value: NOTE, expected: true },
  { pattern: 'arn:aws:s3:::*-bucket/2024/*', value: 'arn:aws:s3:::notes-bucket/2025/jan.csv', expected: false },
];

const STATEMENTS: StatementCase[] = [
  { name: 'NotAction and NotResource together', statement: { Effect: 'Allow', NotAction: 's3:Delete*', NotResource: `${BUCKET}/private/*` }, request: request('s3:GetObject', NOTE), expected: true },
  { name: 'NotAction and NotResource together, resource excluded', statement: { Effect: 'Allow', NotAction: 's3:Delete*', NotResource: [`${BUCKET}/private/*`, `${BUCKET}/2024/*`] }, request: request('s3:GetObject', NOTE), expected: false },
  { name: 'NotAction with a case variant of the action', statement: { Effect: 'Deny', NotAction: 'S3:GETOBJECT', Resource: '*' }, request: request('s3:GetObject', NOTE), expected: false },
  { name: 'Action list of wildcards, none matches', statement: allow(['s3:Put*', 's3:List*', 'dynamodb:*'], '*'), request: request('s3:GetObject', NOTE), expected: false },
];

const POLICY_LISTS: PolicyListCase[] = [
  { name: 'a Deny with NotAction that excludes the request lets the Allow through', policies: [policy(allow('s3:*')), policy({ Effect: 'Deny', NotAction: 's3:Get*', Resource: '*' })], request: request('s3:GetObject', NOTE), expected: 'Allow' },
  { name: 'a Deny with NotResource hits everything else', policies: [policy(allow('s3:*')), policy({ Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/public/*` })], request: request('s3:GetObject', NOTE), expected: 'ExplicitDeny' },
  { name: 'the Deny hides in the third policy', policies: [policy(allow('s3:GetObject', NOTE)), policy(allow('s3:*', `${BUCKET}/*`)), policy(allow('dynamodb:*'), deny('s3:*', `${BUCKET}/2024/*`))], request: request('s3:GetObject', NOTE), expected: 'ExplicitDeny' },
  { name: 'a Deny whose condition fails does not deny', policies: [policy(allow('s3:*'), deny('s3:*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }))], request: request('s3:GetObject', NOTE, { context: { 'aws:MultiFactorAuthPresent': 'true' } }), expected: 'Allow' },
];

const CONDITIONS: ConditionCase[] = [
  { name: 'IpAddress: missing key', condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, context: {}, expected: false },
  { name: 'NotIpAddress: missing key', condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, context: {}, expected: true },
  { name: 'IpAddress: a /32 is one address', condition: { IpAddress: { 'aws:SourceIp': '192.0.2.10/32' } }, context: { 'aws:SourceIp': '192.0.2.11' }, expected: false },
  { name: 'IpAddress: /0 is every address', condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, context: { 'aws:SourceIp': '8.8.8.8' }, expected: true },
  { name: 'IpAddress: high addresses (no sign trouble)', condition: { IpAddress: { 'aws:SourceIp': '203.0.113.128/25' } }, context: { 'aws:SourceIp': '203.0.113.255' }, expected: true },
  { name: 'StringLike with ?', condition: { StringLike: { 'aws:username': '?ob' } }, context: { 'aws:username': 'bob' }, expected: true },
  { name: 'StringNotLike: missing key', condition: { StringNotLike: { 's3:prefix': 'private/*' } }, context: {}, expected: true },
  { name: 'two keys under one operator: ANDed', condition: { StringEquals: { 'aws:username': 'alice', 's3:prefix': 'home/alice/' } }, context: { 'aws:username': 'alice', 's3:prefix': 'home/bob/' }, expected: false },
  { name: 'Null false: missing key', condition: { Null: { 's3:prefix': 'false' } }, context: {}, expected: false },
  { name: 'DateGreaterThanEquals at the instant', condition: { DateGreaterThanEquals: { 'aws:CurrentTime': '2025-06-30T12:00:00Z' } }, context: { 'aws:CurrentTime': '2025-06-30T12:00:00Z' }, expected: true },
  { name: 'Bool false matches false', condition: { Bool: { 'aws:SecureTransport': 'false' } }, context: { 'aws:SecureTransport': 'false' }, expected: true },
];

const EVALUATIONS: EvaluateCase[] = [
  { name: 'same account: a bucket policy to { AWS: "*" } grants alone', request: request('s3:GetObject', NOTE), policies: { identity: [], resource: policy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: '*' } })) }, expected: 'Allow' },
  { name: 'same account: the user among several principals', request: request('s3:GetObject', NOTE), policies: { identity: [], resource: policy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: [CAROL, ALICE] } })) }, expected: 'Allow' },
  { name: 'same account: account grant plus identity Allow', request: request('s3:GetObject', NOTE), policies: { identity: [policy(allow('s3:Get*'))], resource: policy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })) }, expected: 'Allow' },
  { name: 'cross account: "*" in the bucket policy and an identity Allow', request: request('s3:GetObject', NOTE, byCarol), policies: { identity: [policy(allow('s3:GetObject', `${BUCKET}/*`))], resource: policy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: '*' })) }, expected: 'Allow' },
  { name: 'cross account: the bucket policy grants another user of that account', request: request('s3:GetObject', NOTE, byCarol), policies: { identity: [policy(allow('s3:*'))], resource: policy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:user/dan` } })) }, expected: 'ImplicitDeny' },
  { name: 'cross account: the bucket policy grants the resource account, not the caller', request: request('s3:GetObject', NOTE, byCarol), policies: { identity: [policy(allow('s3:*'))], resource: policy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })) }, expected: 'ImplicitDeny' },
  { name: 'cross account: a conditional bucket Deny outside the range', request: request('s3:GetObject', NOTE, { ...byCarol, context: { 'aws:SourceIp': '10.0.0.1' } }), policies: { identity: [policy(allow('s3:*'))], resource: policy(allow('s3:*', '*', { Principal: { AWS: CAROL } }), deny('s3:*', '*', { Principal: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } })) }, expected: 'ExplicitDeny' },
  { name: 'a bucket Deny with NotAction for everyone', request: request('s3:PutObject', NOTE), policies: { identity: [policy(allow('s3:*'))], resource: policy({ Effect: 'Deny', Principal: '*', NotAction: ['s3:GetObject', 's3:ListBucket'], Resource: `${BUCKET}/*` }) }, expected: 'ExplicitDeny' },
];

check(
  { todo: 1, name: 'hidden: more wildcard cases (literal regex characters, empty runs, case)', points: 1, hidden: true, hint: 'Only `*` and `?` are special: `.` and `+` are literal, `*` may match nothing, actions ignore case and ARNs do not.' },
  async (ctx) => {
    const { actionMatches, resourceMatches } = await ctx.load<PatternModule>('pattern-match.ts');
    for (const c of ACTIONS) agree(c.pattern, c.expected, referenceActionMatch(c.pattern, c.value));
    for (const c of RESOURCES) agree(c.pattern, c.expected, referenceResourceMatch(c.pattern, c.value));
    await gradeTable('actionMatches / resourceMatches', SOURCE, [
      ...ACTIONS.map((c) => ({ label: `action ${c.pattern} vs ${c.value}`, input: c, expected: c.expected, answer: () => actionMatches(c.pattern, c.value) })),
      ...RESOURCES.map((c) => ({ label: `resource ${c.pattern} vs ${c.value}`, input: c, expected: c.expected, answer: () => resourceMatches(c.pattern, c.value) })),
    ]);
  },
);

check(
  { todo: 2, name: 'hidden: more statements (NotAction with NotResource, case, lists)', points: 1, hidden: true, hint: 'Decide the action part and the resource part separately (each with its Not form), then require both.' },
  async (ctx) => {
    const { statementMatches } = await ctx.load<StatementModule>('statement-matches.ts');
    for (const c of STATEMENTS) agree(c.name, c.expected, referenceStatementMatch(c.statement, c.request));
    await gradeTable('statementMatches(statement, request)', SOURCE, STATEMENTS.map((c) => ({ label: c.name, input: c, expected: c.expected, answer: () => statementMatches(c.statement, c.request) })));
  },
);

check(
  { todo: 3, name: 'hidden: more policy lists (Deny with NotAction/NotResource, deny in a later policy)', points: 1, hidden: true, hint: 'A Deny only counts when it applies (its NotAction/NotResource and conditions included); look through all policies before answering.' },
  async (ctx) => {
    const { evaluatePolicies } = await ctx.load<PolicyListModule>('evaluate-policies.ts');
    for (const c of POLICY_LISTS) agree(c.name, c.expected, referenceEvaluation(c.request, { identity: c.policies }).decision);
    await gradeTable('evaluatePolicies(policies, request)', SOURCE, POLICY_LISTS.map((c) => ({ label: c.name, input: c, expected: c.expected, answer: () => evaluatePolicies(c.policies, c.request) })));
  },
);

check(
  { todo: 4, name: 'hidden: more conditions (missing keys, /32 and /0, ? in StringLike, keys ANDed)', points: 1, hidden: true, hint: 'Mind the edges: a missing key (negated operators hold), prefix lengths 32 and 0, addresses above 128.x.x.x (unsigned arithmetic), several keys under one operator (AND).' },
  async (ctx) => {
    const { conditionsHold } = await ctx.load<ConditionsModule>('conditions.ts');
    for (const c of CONDITIONS) agree(c.name, c.expected, referenceConditionsHold(c.condition, c.context));
    await gradeTable('conditionsHold(condition, context)', SOURCE, CONDITIONS.map((c) => ({ label: c.name, input: c, expected: c.expected, answer: () => conditionsHold(c.condition, c.context) })));
  },
);

check(
  { todo: 5, name: 'hidden: more identity + resource cases (principal lists, account grants, conditional denies)', points: 1, hidden: true, hint: 'Which principal does the bucket policy name: the caller, "*", the caller\'s account, or someone else? Then apply the same-account or cross-account rule.' },
  async (ctx) => {
    const { evaluate } = await ctx.load<EvaluateModule>('evaluate.ts');
    for (const c of EVALUATIONS) agree(c.name, c.expected, referenceEvaluation(c.request, c.policies).decision);
    await gradeTable('evaluate(request, policies)', SOURCE, EVALUATIONS.map((c) => ({ label: c.name, input: c, expected: c.expected, answer: () => evaluate(c.request, c.policies) })));
  },
);
