import { describe, expect, it } from 'vitest';
import type { PolicyDocument, Statement } from '../../policy/types.ts';
import { isPublicPolicy } from './public-policy.ts';

const read = { Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' };
const policy = (...statements: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

describe('isPublicPolicy (S3 "The meaning of public")', () => {
  it.each<[string, Statement]>([
    ['Principal "*"', { Effect: 'Allow', Principal: '*', ...read }],
    ['Principal AWS "*"', { Effect: 'Allow', Principal: { AWS: '*' }, ...read }],
    ['an AWS principal with a wildcard', { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::*:root'] }, ...read }],
    ['NotPrincipal with Allow', { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, ...read }],
    ['"*" with a condition on a key that restricts nothing', { Effect: 'Allow', Principal: '*', ...read, Condition: { StringLike: { 'aws:Referer': 'https://my-site/*' } } }],
    ['"*" with a wildcard SourceArn', { Effect: 'Allow', Principal: '*', ...read, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudfront::*' } } }],
    ['"*" with the whole IPv4 space', { Effect: 'Allow', Principal: '*', ...read, Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }],
    ['"*" with a negated IP condition', { Effect: 'Allow', Principal: '*', ...read, Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }],
    ['"*" with an IfExists condition', { Effect: 'Allow', Principal: '*', ...read, Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '111122223333' } } }],
  ])('is public: %s', (_what, statement) => {
    expect(isPublicPolicy(policy(statement))).toBe(true);
  });

  it.each<[string, Statement]>([
    ['a fixed account principal', { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, ...read }],
    ['a service principal', { Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, ...read }],
    ['"*" pinned to a CIDR', { Effect: 'Allow', Principal: '*', ...read, Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '198.51.100.7/32'] } } }],
    ['"*" pinned to a source account', { Effect: 'Allow', Principal: '*', ...read, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }],
    ['"*" pinned to an organization', { Effect: 'Allow', Principal: '*', ...read, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }],
    ['a Deny to everyone', { Effect: 'Deny', Principal: '*', ...read }],
  ])('is not public: %s', (_what, statement) => {
    expect(isPublicPolicy(policy(statement))).toBe(false);
  });

  it('is public when any one statement is', () => {
    const named: Statement = { Effect: 'Allow', Principal: { AWS: '111122223333' }, ...read };
    expect(isPublicPolicy(policy(named, { Effect: 'Allow', Principal: '*', ...read }))).toBe(true);
    expect(isPublicPolicy(policy(named))).toBe(false);
  });
});
