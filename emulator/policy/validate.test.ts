import { describe, expect, it } from 'vitest';
import { parsePolicyJson, PolicyValidationError, validatePolicy, type PolicyKind } from './validate.ts';

const statement = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

function messageOf(document: unknown, kind: PolicyKind = 'identity'): string {
  try {
    validatePolicy(document, kind);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    return (error as Error).message;
  }
  return 'valid';
}

describe('validatePolicy', () => {
  it('accepts a well-formed identity policy, single statement or list', () => {
    expect(messageOf({ Version: '2012-10-17', Statement: statement })).toBe('valid');
    expect(messageOf({ Version: '2012-10-17', Statement: [statement, { ...statement, Effect: 'Deny' }] })).toBe('valid');
  });

  it.each([
    ['not an object', 'text', 'Syntax errors in policy.'],
    ['unknown top-level element', { Statement: statement, Extra: 1 }, 'Syntax errors in policy.'],
    ['bad Version', { Version: '2020-01-01', Statement: statement }, 'The policy failed legacy parsing'],
    ['no Statement', { Version: '2012-10-17' }, 'Syntax errors in policy.'],
    ['missing Effect', { Statement: { Action: 's3:*', Resource: '*' } }, 'Missing required field Effect'],
    ['bad Effect', { Statement: { ...statement, Effect: 'Maybe' } }, 'Invalid effect: Maybe'],
    ['missing Action', { Statement: { Effect: 'Allow', Resource: '*' } }, 'Policy statement must contain actions.'],
    ['Action and NotAction', { Statement: { ...statement, NotAction: 's3:PutObject' } }, 'Syntax errors in policy.'],
    ['action without a vendor', { Statement: { ...statement, Action: 'GetObject' } }, 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['action with two colons', { Statement: { ...statement, Action: 's3:Get:Object' } }, 'Actions/Condition can contain only one colon.'],
    ['missing Resource', { Statement: { Effect: 'Allow', Action: 's3:*' } }, 'Policy statement must contain resources.'],
    ['Principal in an identity policy', { Statement: { ...statement, Principal: '*' } }, 'Policy document should not specify a principal.'],
    ['unknown condition operator', { Statement: { ...statement, Condition: { StringEqualz: { 'aws:username': 'a' } } } }, 'Unknown condition operator: StringEqualz.'],
    ['condition value of the wrong type', { Statement: { ...statement, Condition: { StringEquals: { 'aws:username': { a: 1 } } } } }, 'Syntax errors in policy.'],
    ['duplicate Sid', { Statement: [{ ...statement, Sid: 'A' }, { ...statement, Sid: 'A' }] }, 'Statement IDs (SID) in a single policy must be unique.'],
  ])('rejects %s', (_name, document, message) => {
    expect(messageOf(document)).toBe(message);
  });

  it('accepts every operator form: set prefixes, IfExists, Null', () => {
    const condition = {
      'ForAllValues:StringLikeIfExists': { 'aws:TagKeys': ['env*'] },
      'ForAnyValue:StringEquals': { 'aws:CalledVia': 'athena.amazonaws.com' },
      NotIpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' },
      Null: { 'aws:TokenIssueTime': 'true' },
      NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 },
      Bool: { 'aws:SecureTransport': true },
    };
    expect(messageOf({ Version: '2012-10-17', Statement: { ...statement, Condition: condition } })).toBe('valid');
  });

  it('resource and trust policies need a Principal; trust policies need no Resource', () => {
    expect(messageOf({ Statement: statement }, 'resource')).toBe('Missing required field Principal');
    expect(messageOf({ Statement: { ...statement, Principal: { AWS: '111122223333' } } }, 'resource')).toBe('valid');
    expect(messageOf({ Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } } }, 'trust')).toBe('valid');
    expect(messageOf({ Statement: { ...statement, Principal: { Robot: 'x' } } }, 'resource')).toBe('Invalid principal in policy');
  });
});

describe('parsePolicyJson', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statement }, null, 2);

  it('parses and validates', () => {
    expect(parsePolicyJson(text, 'identity', 'iam-managed').Statement).toEqual(statement);
  });

  it('answers invalid JSON with the syntax error', () => {
    expect(() => parsePolicyJson('{"Statement": [', 'identity', 'iam-managed')).toThrow('Syntax errors in policy.');
  });

  it('counts IAM sizes without whitespace and S3 sizes in bytes', () => {
    const statements = Array.from({ length: 40 }, (_, i) => ({ ...statement, Sid: `S${i}` }));
    const big = JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 8);
    expect(big.replace(/\s+/g, '').length).toBeLessThan(6_144);
    expect(big.replace(/\s+/g, '').length).toBeGreaterThan(2_048);
    expect(parsePolicyJson(big, 'identity', 'iam-managed').Statement).toHaveLength(40);
    let error: unknown;
    try {
      parsePolicyJson(big, 'identity', 'iam-inline-user');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect((error as PolicyValidationError).reason).toBe('too-large');
    const padded = text + ' '.repeat(21_000);
    expect(() => parsePolicyJson(padded, 'resource', 's3-bucket')).toThrow('Policies must be no more than 20 KB');
  });
});
