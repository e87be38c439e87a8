import { conditionsHold } from './conditions.ts';
import { actionMatches, resourceMatches } from './pattern-match.ts';
import type { OneOrMore, Request, Statement } from './policy-types.ts';

/** A policy element as a list: IAM accepts `"s3:GetObject"` and `["s3:GetObject"]` alike. */
export function listOf(value: OneOrMore | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * TODO 2: Does `statement` cover the request's action and resource? (Conditions and
 * Principal are not your concern here.)
 *
 * - `Action`: the action matches at least one of the patterns.
 * - `NotAction`: the action matches NONE of the patterns. NotAction is not a deny: an
 *   Allow with NotAction allows every action except those listed.
 * - `Resource` / `NotResource`: the same, with resourceMatches.
 * The statement covers the request when both the action part and the resource part do.
 */
export function statementMatches(statement: Statement, request: Request): boolean {
  // BEGIN SOLUTION TODO 2
  const action =
    statement.Action !== undefined
      ? listOf(statement.Action).some((pattern) => actionMatches(pattern, request.action))
      : !listOf(statement.NotAction).some((pattern) => actionMatches(pattern, request.action));
  const resource =
    statement.Resource !== undefined
      ? listOf(statement.Resource).some((pattern) => resourceMatches(pattern, request.resource))
      : !listOf(statement.NotResource).some((pattern) => resourceMatches(pattern, request.resource));
  return action && resource;
  // END SOLUTION
}

/** A statement applies to a request when it covers it and its conditions (if any) hold (TODO 4). */
export function statementApplies(statement: Statement, request: Request): boolean {
  return statementMatches(statement, request) && (statement.Condition === undefined || conditionsHold(statement.Condition, request.context));
}
