import { arnMatches } from './arn-match.ts';
import { ipInCidr } from './ip-address.ts';
import type { RequestContext } from './request-context.ts';
import { substituteVariables } from './variables.ts';
import { literalText, wildcardMatch } from './wildcard.ts';
import type { Statement } from './types.ts';

/**
 * The Condition element (IAM User Guide, "IAM JSON policy elements: Condition operators"
 * and "Single-valued vs. multivalued context keys").
 *
 * - Several operators in a block, and several keys under one operator, are ANDed.
 * - Several values for one key are ORed; for the negated operators (StringNotEquals ...)
 *   the context value must match NONE of them (NOR).
 * - A key missing from the request makes the condition false, except for the negated
 *   operators ("If the key ... is not present ... and the operator requires that the
 *   key is not matched, such as StringNotLike or ArnNotLike, the condition is true")
 *   and the ...IfExists forms, which are true.
 * - ForAnyValue: true when at least one request value matches; false for a missing or
 *   empty key. ForAllValues: true when every request value matches; true for a missing
 *   or empty key (which is why Allow + ForAllValues needs a Null guard).
 * - A multivalued key used without a set operator never matches.
 */
type Comparator = (contextValue: string, policyValue: string) => boolean;

interface BaseOperator {
  /** Canonical name, for messages. */
  name: string;
  compare: Comparator;
  /** Negated operators succeed when the value matches none of the policy values. */
  negated: boolean;
  /** Whether policy variables are substituted in the policy values. */
  variables: boolean;
}

function parseNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Dates are ISO 8601 (W3C profile) or UNIX epoch seconds (aws:EpochTime). */
function parseDate(text: string): number | undefined {
  if (/^\d+$/.test(text.trim())) return Number(text) * 1000;
  const value = Date.parse(text);
  return Number.isNaN(value) ? undefined : value;
}

function numeric(check: (a: number, b: number) => boolean): Comparator {
  return (contextValue, policyValue) => {
    const a = parseNumber(contextValue);
    const b = parseNumber(policyValue);
    return a !== undefined && b !== undefined && check(a, b);
  };
}

function date(check: (a: number, b: number) => boolean): Comparator {
  return (contextValue, policyValue) => {
    const a = parseDate(contextValue);
    const b = parseDate(policyValue);
    return a !== undefined && b !== undefined && check(a, b);
  };
}

const isBoolText = (value: string): boolean => /^(true|false)$/i.test(value);

const stringEquals: Comparator = (c, p) => c === literalText(p);
const stringEqualsIgnoreCase: Comparator = (c, p) => c.toLowerCase() === literalText(p).toLowerCase();
const stringLike: Comparator = (c, p) => wildcardMatch(p, c);
const numericEquals = numeric((a, b) => a === b);
const dateEquals = date((a, b) => a === b);
const ipAddress: Comparator = (c, p) => ipInCidr(c, p);
const arnLike: Comparator = (c, p) => arnMatches(p, c);

const definitions: Array<[string, Comparator, boolean, boolean]> = [
  // name, comparator, negated, variables
  ['StringEquals', stringEquals, false, true],
  ['StringNotEquals', stringEquals, true, true],
  ['StringEqualsIgnoreCase', stringEqualsIgnoreCase, false, true],
  ['StringNotEqualsIgnoreCase', stringEqualsIgnoreCase, true, true],
  ['StringLike', stringLike, false, true],
  ['StringNotLike', stringLike, true, true],
  ['NumericEquals', numericEquals, false, false],
  ['NumericNotEquals', numericEquals, true, false],
  ['NumericLessThan', numeric((a, b) => a < b), false, false],
  ['NumericLessThanEquals', numeric((a, b) => a <= b), false, false],
  ['NumericGreaterThan', numeric((a, b) => a > b), false, false],
  ['NumericGreaterThanEquals', numeric((a, b) => a >= b), false, false],
  ['DateEquals', dateEquals, false, false],
  ['DateNotEquals', dateEquals, true, false],
  ['DateLessThan', date((a, b) => a < b), false, false],
  ['DateLessThanEquals', date((a, b) => a <= b), false, false],
  ['DateGreaterThan', date((a, b) => a > b), false, false],
  ['DateGreaterThanEquals', date((a, b) => a >= b), false, false],
  ['Bool', (c, p) => isBoolText(c) && isBoolText(literalText(p)) && c.toLowerCase() === literalText(p).toLowerCase(), false, true],
  ['BinaryEquals', (c, p) => c === literalText(p), false, true],
  ['IpAddress', ipAddress, false, false],
  ['NotIpAddress', ipAddress, true, false],
  ['ArnEquals', arnLike, false, true],
  ['ArnLike', arnLike, false, true],
  ['ArnNotEquals', arnLike, true, true],
  ['ArnNotLike', arnLike, true, true],
];

const BASE_OPERATORS = new Map<string, BaseOperator>(
  definitions.map(([name, compare, negated, variables]) => [name.toLowerCase(), { name, compare, negated, variables }]),
);

export interface ParsedOperator {
  set?: 'ForAnyValue' | 'ForAllValues';
  /** `Null` has no comparator: it tests presence only. */
  base: BaseOperator | 'Null';
  ifExists: boolean;
}

/** Parses `ForAllValues:StringLikeIfExists` and friends; undefined for an unknown operator. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: ParsedOperator['set'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') set = 'ForAnyValue';
    else if (prefix === 'forallvalues') set = 'ForAllValues';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  if (rest.toLowerCase() === 'null') return { set, base: 'Null', ifExists: false };
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'ifexists'.length);
  }
  const base = BASE_OPERATORS.get(rest.toLowerCase());
  return base ? { set, base, ifExists } : undefined;
}

export type ConditionBlock = NonNullable<Statement['Condition']>;

function policyValueList(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((value) => String(value));
}

function evaluateOne(
  operator: ParsedOperator,
  key: string,
  rawValues: unknown,
  context: RequestContext,
  variablesEnabled: boolean,
): boolean {
  const policyValues = policyValueList(rawValues);
  const present = context.has(key);
  if (operator.base === 'Null') {
    const wanted = present ? 'false' : 'true';
    return policyValues.some((value) => value.toLowerCase() === wanted);
  }
  const base = operator.base;
  const contextValues = context.list(key);
  if (!operator.set && !present) return operator.ifExists || base.negated;
  if (operator.set === 'ForAllValues' && (contextValues ?? []).length === 0) return true;
  if (operator.set === 'ForAnyValue' && (contextValues ?? []).length === 0) return false;
  const resolved = policyValues.map((value) =>
    base.variables && variablesEnabled ? substituteVariables(value, context) : value,
  );
  // "If AWS cannot resolve a variable, this might cause the entire statement to be invalid"
  // (policy variables, "Specifying default values"): the condition cannot hold, negated or not.
  if (resolved.some((value) => value === undefined)) return false;
  const candidates = resolved as string[];
  const matchesAny = (contextValue: string): boolean => candidates.some((policyValue) => base.compare(contextValue, policyValue));
  const valueSatisfies = (contextValue: string): boolean =>
    base.negated ? !matchesAny(contextValue) : matchesAny(contextValue);

  if (operator.set === 'ForAnyValue') return (contextValues ?? []).some(valueSatisfies);
  if (operator.set === 'ForAllValues') return (contextValues ?? []).every(valueSatisfies);
  const single = context.single(key);
  return single !== undefined && valueSatisfies(single);
}

/** True when every operator/key pair of the block holds. Unknown operators never hold (validation rejects them earlier). */
export function conditionsHold(block: ConditionBlock | undefined, context: RequestContext, variablesEnabled: boolean): boolean {
  if (!block) return true;
  for (const [operatorName, keys] of Object.entries(block)) {
    const operator = parseOperator(operatorName);
    if (!operator) return false;
    for (const [key, values] of Object.entries(keys)) {
      if (!evaluateOne(operator, key, values, context, variablesEnabled)) return false;
    }
  }
  return true;
}
