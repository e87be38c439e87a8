import type { AuthorizationRequest, RequestContext } from '../../pipeline/context.ts';
import { tableDescription } from './dynalite-engine.ts';
import { engineFor } from './dynamodb-state.ts';
import { parseStatement, type Statement } from './partiql-parser.ts';
import { planExistsCheck, planStatement, type AttributeValue } from './partiql-plan.ts';

type Json = Record<string, unknown>;

/**
 * IAM for PartiQL: AWS authorizes each statement by what it does, not by the API call:
 * `dynamodb:PartiQLSelect`, `PartiQLInsert`, `PartiQLUpdate` or `PartiQLDelete` on the table
 * (or `table/<t>/index/<i>` for a SELECT on an index), "IAM security policies with PartiQL
 * for DynamoDB" in the DynamoDB developer guide. `dynamodb:LeadingKeys` holds the partition
 * key values the statement names, as for GetItem/Query/PutItem.
 *
 * A statement that does not parse needs no permission here: it reads and writes nothing,
 * and the handler answers its ValidationException.
 */
export function partiqlAuthorization(ctx: RequestContext): AuthorizationRequest | undefined {
  const request = ctx.json ?? {};
  if (ctx.operation === 'ExecuteStatement') return statementAuthorization(ctx, request);
  if (ctx.operation === 'ExecuteTransaction') {
    // Every statement must be allowed, or the whole transaction is denied.
    const parts = asArray(request.TransactStatements).map((entry) => statementAuthorization(ctx, asObject(entry)));
    if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
    const [first, ...rest] = parts as AuthorizationRequest[];
    return { ...first!, ...(rest.length > 0 ? { additional: rest } : {}) };
  }
  // BatchExecuteStatement: each statement is authorized on its own, and a denied one is an
  // AccessDenied error in its place in Responses (BatchStatementErrorCodeEnum): the handler
  // decides (partiql-execution.ts); the authorize stage only records what was asked.
  const parts = asArray(request.Statements)
    .map((entry) => statementAuthorization(ctx, asObject(entry)))
    .filter((part): part is AuthorizationRequest => part !== undefined)
    .map((part) => ({ ...part, decidedByHandler: true }));
  if (parts.length === 0) return undefined;
  const [first, ...rest] = parts;
  return { ...first!, ...(rest.length > 0 ? { additional: rest } : {}) };
}

const ACTIONS: Record<Statement['kind'], string> = {
  select: 'dynamodb:PartiQLSelect',
  exists: 'dynamodb:PartiQLSelect',
  insert: 'dynamodb:PartiQLInsert',
  update: 'dynamodb:PartiQLUpdate',
  delete: 'dynamodb:PartiQLDelete',
};

/** What IAM evaluates for one statement with its parameters; undefined when the statement does not parse. */
export function statementAuthorization(ctx: RequestContext, entry: Json): AuthorizationRequest | undefined {
  let statement: Statement;
  try {
    statement = parseStatement(String(entry.Statement ?? ''));
  } catch {
    return undefined;
  }
  const accountId = ctx.caller.accountId;
  const index = statement.kind === 'select' && statement.index !== undefined ? `/index/${statement.index}` : '';
  const authorization: AuthorizationRequest = {
    action: ACTIONS[statement.kind],
    resources: [`arn:aws:dynamodb:${ctx.region}:${accountId}:table/${statement.table}${index}`],
    resourceAccount: accountId,
  };
  const leadingKeys = leadingKeysOf(ctx, statement, asArray(entry.Parameters) as AttributeValue[]);
  if (leadingKeys.length > 0) authorization.conditions = { 'dynamodb:LeadingKeys': leadingKeys };
  return authorization;
}

/** The partition key values (as IAM compares them: S, N or base64 B text) the statement reads or writes. */
function leadingKeysOf(ctx: RequestContext, statement: Statement, parameters: AttributeValue[]): string[] {
  const table = tableDescription(engineFor(ctx.store, ctx.caller.accountId, ctx.region), statement.table);
  if (!table) return [];
  const hash = table.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  if (!hash) return [];
  const values: AttributeValue[] = [];
  try {
    if (statement.kind === 'exists') values.push(planExistsCheck(statement.select, parameters, table).key[hash]!);
    else {
      const plan = planStatement(statement, parameters, table);
      if (plan.kind === 'write') values.push(plan.key[hash]!);
      else if (plan.index === undefined) values.push(...plan.partitions);
    }
  } catch {
    // A statement the handler will refuse: it touches no partition.
    return [];
  }
  const scalars = values.map((value) => value?.S ?? value?.N ?? value?.B).filter((value): value is string => typeof value === 'string');
  return [...new Set(scalars)];
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
