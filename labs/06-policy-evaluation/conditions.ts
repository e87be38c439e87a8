import { wildcardMatch } from './pattern-match.ts';
import type { ConditionBlock, OneOrMore } from './policy-types.ts';

/**
 * TODO 4: Do all the conditions of a statement hold for the request's context?
 *
 * The block is operator -> key -> value(s):
 *   { "NotIpAddress": { "aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"] },
 *     "Bool": { "aws:MultiFactorAuthPresent": "true" } }
 * - every operator AND every key under it must hold (AND);
 * - several values for one key: any of them may match (OR); the negated operators
 *   (StringNotEquals, StringNotLike, NotIpAddress) hold when the context value matches
 *   NONE of them;
 * - a key missing from the context: the condition does not hold, except for the negated
 *   operators, which hold (there is nothing that could match);
 * - `Null`: { "key": "true" } holds when the key is missing, "false" when it is present.
 * The operators to support are listed in README.md (TODO 4); an unknown operator never holds.
 */
export function conditionsHold(block: ConditionBlock, context: Record<string, string>): boolean {
  // BEGIN SOLUTION TODO 4
  type Compare = (contextValue: string, policyValue: string) => boolean;
  const listOf = (values: OneOrMore): string[] => (Array.isArray(values) ? values : [values]);
  // Dates are ISO 8601 texts: compare the instants, not the texts.
  const date = (check: (a: number, b: number) => boolean): Compare => (c, p) => check(Date.parse(c), Date.parse(p));
  const operators: Record<string, { compare: Compare; negated: boolean }> = {
    StringEquals: { compare: (c, p) => c === p, negated: false },
    StringNotEquals: { compare: (c, p) => c === p, negated: true },
    StringLike: { compare: (c, p) => wildcardMatch(p, c), negated: false },
    StringNotLike: { compare: (c, p) => wildcardMatch(p, c), negated: true },
    IpAddress: { compare: (c, p) => ipInCidr(c, p), negated: false },
    NotIpAddress: { compare: (c, p) => ipInCidr(c, p), negated: true },
    Bool: { compare: (c, p) => c.toLowerCase() === p.toLowerCase(), negated: false },
    DateLessThan: { compare: date((a, b) => a < b), negated: false },
    DateLessThanEquals: { compare: date((a, b) => a <= b), negated: false },
    DateGreaterThan: { compare: date((a, b) => a > b), negated: false },
    DateGreaterThanEquals: { compare: date((a, b) => a >= b), negated: false },
  };

  const holds = (operator: string, contextValue: string | undefined, policyValues: string[]): boolean => {
    if (operator === 'Null') return policyValues.includes(contextValue === undefined ? 'true' : 'false');
    const known = operators[operator];
    if (!known) return false;
    if (contextValue === undefined) return known.negated;
    const matchesAny = policyValues.some((policyValue) => known.compare(contextValue, policyValue));
    return known.negated ? !matchesAny : matchesAny;
  };

  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, values] of Object.entries(keys)) {
      if (!holds(operator, context[key], listOf(values))) return false;
    }
  }
  return true;

  /** IPv4 only: is `ip` inside `cidr` ("203.0.113.0/24"; a bare address means /32)? */
  function ipInCidr(ip: string, cidr: string): boolean {
    const [base, prefixText = '32'] = cidr.split('/');
    const prefix = Number(prefixText);
    const address = ipv4ToNumber(ip);
    const network = ipv4ToNumber(base!);
    if (address === undefined || network === undefined || !(Number.isInteger(prefix) && prefix >= 0 && prefix <= 32)) return false;
    // `>>> 0` keeps the 32-bit values unsigned; a /0 mask is 0 (every address).
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return ((address & mask) >>> 0) === ((network & mask) >>> 0);
  }

  function ipv4ToNumber(text: string): number | undefined {
    const parts = text.split('.');
    if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
    return parts.reduce((acc, part) => acc * 256 + Number(part), 0);
  }
  // END SOLUTION
}
