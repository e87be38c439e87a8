import { arnMatches } from './arn-match.ts';
import { conditionsHold } from './conditions.ts';
import type { RequestContext } from './request-context.ts';
import type { PolicyDocument, Statement } from './types.ts';
import { substituteVariables } from './variables.ts';
import { wildcardMatch } from './wildcard.ts';

function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function statementsOf(policy: PolicyDocument): Statement[] {
  return Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
}

/** Policy variables exist only in the 2012-10-17 language; older policies treat `${...}` as text. */
export function variablesEnabled(policy: PolicyDocument): boolean {
  return policy.Version === '2012-10-17';
}

/** Actions match case-insensitively with wildcards: `s3:Get*`, `S3:getobject`, `*`. */
function actionMatches(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return listOf(statement.Action).some((pattern) => wildcardMatch(pattern, action, true));
  if (statement.NotAction !== undefined) return !listOf(statement.NotAction).some((pattern) => wildcardMatch(pattern, action, true));
  return false;
}

function resourcePatternMatches(pattern: string, resource: string, context: RequestContext, variables: boolean): boolean {
  const resolved = variables ? substituteVariables(pattern, context) : pattern;
  return resolved !== undefined && arnMatches(resolved, resource);
}

function resourceMatches(statement: Statement, resource: string, context: RequestContext, variables: boolean): boolean {
  if (statement.Resource !== undefined) {
    return listOf(statement.Resource).some((pattern) => resourcePatternMatches(pattern, resource, context, variables));
  }
  if (statement.NotResource !== undefined) {
    const patterns = listOf(statement.NotResource).map((pattern) => (variables ? substituteVariables(pattern, context) : pattern));
    // An unresolvable variable "might cause the entire statement to be invalid" (IAM User Guide,
    // policy variables): a NotResource we cannot read must not widen the statement to everything.
    if (patterns.some((pattern) => pattern === undefined)) return false;
    return !patterns.some((pattern) => arnMatches(pattern as string, resource));
  }
  // Some resource policies (role trust policies) carry no Resource: the policy's own resource is meant.
  return true;
}

/** Action, resource and conditions; the principal is checked separately (identity policies have none). */
export function statementApplies(
  statement: Statement,
  action: string,
  resource: string,
  context: RequestContext,
  variables: boolean,
): boolean {
  return (
    actionMatches(statement, action) &&
    resourceMatches(statement, resource, context, variables) &&
    conditionsHold(statement.Condition, context, variables)
  );
}

/** A statement's name for messages: its Sid, else its position. */
export function statementLabel(statement: Statement, index: number): string {
  return statement.Sid ?? `Statement[${index}]`;
}
