import { describe, expect, it } from 'vitest';
import * as cases from '../fixtures/policy/lab-06-cases.ts';
import {
  referenceActionMatch,
  referenceConditionsHold,
  referenceEvaluation,
  referenceResourceMatch,
  referenceStatementMatch,
} from '../fixtures/policy/lab-06-reference.ts';

/** Lab 06's visible case table says what the emulator's policy engine (the lab's oracle) says. */
describe('lab 06 case table agrees with the policy engine', () => {
  it.each(cases.ACTION_PATTERN_CASES)('action pattern $pattern vs $value', ({ pattern, value, expected }) => {
    expect(referenceActionMatch(pattern, value)).toBe(expected);
  });

  it.each(cases.RESOURCE_PATTERN_CASES)('resource pattern $pattern vs $value', ({ pattern, value, expected }) => {
    expect(referenceResourceMatch(pattern, value)).toBe(expected);
  });

  it.each([...cases.STATEMENT_CASES, ...cases.NOT_ACTION_CASES, ...cases.NOT_RESOURCE_CASES])('statement: $name', ({ statement, request, expected }) => {
    expect(referenceStatementMatch(statement, request)).toBe(expected);
  });

  it.each([...cases.DENY_BEATS_ALLOW_CASES, ...cases.IMPLICIT_DENY_CASES])('policy list: $name', ({ policies, request, expected }) => {
    expect(referenceEvaluation(request, { identity: policies }).decision).toBe(expected);
  });

  it.each([...cases.IP_CONDITION_CASES, ...cases.STRING_CONDITION_CASES, ...cases.BOOL_NULL_CONDITION_CASES, ...cases.DATE_CONDITION_CASES])(
    'condition: $name',
    ({ condition, context, expected }) => {
      expect(referenceConditionsHold(condition, context)).toBe(expected);
    },
  );

  it.each([...cases.SAME_ACCOUNT_CASES, ...cases.CROSS_ACCOUNT_CASES, ...cases.DENY_EITHER_SIDE_CASES])('evaluate: $name', ({ request, policies, expected }) => {
    expect(referenceEvaluation(request, policies).decision).toBe(expected);
  });
});
