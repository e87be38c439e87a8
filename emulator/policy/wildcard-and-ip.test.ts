import { describe, expect, it } from 'vitest';
import { arnMatches } from './arn-match.ts';
import { ipInCidr } from './ip-address.ts';
import { wildcardMatch } from './wildcard.ts';

describe('wildcards', () => {
  it('treats only * and ? as special', () => {
    expect(wildcardMatch('a.b*', 'a.bcd')).toBe(true);
    expect(wildcardMatch('a.b*', 'axbcd')).toBe(false);
    expect(wildcardMatch('(x)+?', '(x)+!')).toBe(true);
    expect(wildcardMatch('ab?', 'ab')).toBe(false);
    expect(wildcardMatch('S3:GET*', 's3:GetObject', true)).toBe(true);
    expect(wildcardMatch('S3:GET*', 's3:GetObject')).toBe(false);
  });
});

describe('ARN matching', () => {
  it('keeps a wildcard inside its component before the resource part', () => {
    expect(arnMatches('arn:aws:iam::*:user/alice', 'arn:aws:iam::111122223333:user/alice')).toBe(true);
    expect(arnMatches('arn:aws:s3:*:user/alice', 'arn:aws:iam::111122223333:user/alice')).toBe(false);
    expect(arnMatches('arn:aws:sns:*', 'arn:aws:sns:us-east-1:111122223333:topic')).toBe(true);
  });

  it('lets * in the resource part cross ":" and "/"', () => {
    expect(arnMatches('arn:aws:logs:us-east-1:111122223333:log-group:*', 'arn:aws:logs:us-east-1:111122223333:log-group:a:log-stream:b')).toBe(true);
  });
});

describe('CIDR matching', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['10.1.2.3', '0.0.0.0/0', true],
    ['203.0.113.9', '203.0.113.9', true],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.0/120', true],
    ['2001:db8::1', '203.0.113.0/24', false],
    ['10.1.2.3', '2001:db8::/32', false],
    ['not-an-ip', '10.0.0.0/8', false],
    ['10.1.2.3', '10.0.0.0/33', false],
  ])('%s in %s: %s', (ip, cidr, expected) => {
    expect(ipInCidr(ip, cidr)).toBe(expected);
  });
});
