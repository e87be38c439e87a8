import { createHash } from 'node:crypto';
import { isServiceError, ServiceError } from '../../core/service-error.ts';
import { permits } from '../../pipeline/authorize.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { execute, tableDescription, validate, type DynaliteStore, type TableDescription } from './dynalite-engine.ts';
import { statementAuthorization } from './partiql-authorization.ts';
import { parseStatement, type Statement } from './partiql-parser.ts';
import { FULL_KEY_REQUIRED, planExistsCheck, planStatement, type AttributeValue, type Plan, type PlannedRead } from './partiql-plan.ts';
import { beforeTableOperation } from './table-transitions.ts';

type Json = Record<string, unknown>;

/** The PartiQL operations, served by translating each statement into the engine's item operations. */
export const PARTIQL_OPERATIONS: ReadonlySet<string> = new Set(['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

export function executePartiql(ctx: RequestContext, engine: DynaliteStore, operation: string, input: Json): Promise<Json> {
  if (operation === 'ExecuteStatement') return executeStatement(ctx, engine, input);
  if (operation === 'BatchExecuteStatement') return batchExecuteStatement(ctx, engine, input);
  return executeTransaction(ctx, engine, input);
}

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

/** One of the engine's operations, as if it had been called itself: validation, table state, execution. */
async function run(ctx: RequestContext, engine: DynaliteStore, operation: string, request: Json): Promise<Json> {
  const checked = validate(engine, operation, request);
  beforeTableOperation(engine, ctx.store.clock, operation, checked);
  return execute(engine, operation, checked);
}

function requireTable(engine: DynaliteStore, name: string): TableDescription {
  const table = tableDescription(engine, name);
  if (!table) throw new ServiceError('ResourceNotFoundException', 'Requested resource not found');
  return table;
}

/** The model's constraints on the request (service-2.json: PartiQLStatement 1..8192, the list lengths). */
function checkStatementText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  if (value.length < 1 || value.length > 8192) {
    throw validation(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to 8192 and greater than or equal to 1`);
  }
  return value;
}

function checkList(value: unknown, field: string, max: number): Json[] {
  if (!Array.isArray(value)) throw validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  if (value.length < 1 || value.length > max) {
    throw validation(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max} and greater than or equal to 1`);
  }
  return value.map((entry) => (typeof entry === 'object' && entry !== null ? (entry as Json) : {}));
}

function parametersOf(entry: Json): AttributeValue[] {
  if (!Array.isArray(entry.Parameters)) return [];
  // PreparedStatementParameters: min 1 (service-2.json).
  if (entry.Parameters.length === 0) {
    throw validation("1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1");
  }
  return entry.Parameters as AttributeValue[];
}

/** INSERT of a key that exists: AWS answers DuplicateItemException (PartiQL insert statements for DynamoDB). */
function asDuplicate(error: unknown): unknown {
  if (isServiceError(error) && error.code === 'ConditionalCheckFailedException') {
    return new ServiceError('DuplicateItemException', 'Duplicate primary key exists in table');
  }
  return error;
}

/**
 * A write; when its condition fails and the caller set ReturnValuesOnConditionCheckFailure
 * to ALL_OLD, the error carries the item as it was (ExecuteStatement, BatchStatementError: `Item`).
 */
async function runWrite(ctx: RequestContext, engine: DynaliteStore, plan: Extract<Plan, { kind: 'write' }>, returnOnFailure?: unknown): Promise<Json> {
  try {
    return await run(ctx, engine, plan.operation, plan.request);
  } catch (error) {
    if (plan.statement === 'insert') throw asDuplicate(error);
    if (returnOnFailure === 'ALL_OLD' && isServiceError(error) && error.code === 'ConditionalCheckFailedException') {
      const { Item } = await run(ctx, engine, 'GetItem', { TableName: plan.table, Key: plan.key, ConsistentRead: true });
      if (Item) throw new ServiceError(error.code, error.message, error.status, { Item } as unknown as Record<string, string>);
    }
    throw error;
  }
}

// ---------------------------------------------------------------- ExecuteStatement

async function executeStatement(ctx: RequestContext, engine: DynaliteStore, input: Json): Promise<Json> {
  const text = checkStatementText(input.Statement, 'statement');
  if (input.Limit !== undefined && (typeof input.Limit !== 'number' || input.Limit < 1)) {
    throw validation(`1 validation error detected: Value '${String(input.Limit)}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  const statement = parseStatement(text);
  if (statement.kind === 'exists') throw validation('EXISTS is supported only as a statement of ExecuteTransaction');
  ctx.logParams.TableName = statement.table;
  const table = requireTable(engine, statement.table);
  const plan = planStatement(statement, parametersOf(input), table, typeof input.ConsistentRead === 'boolean' ? { consistentRead: input.ConsistentRead } : {});
  if (plan.kind === 'read') return readPage(ctx, engine, plan, text, input.Limit as number | undefined, input.NextToken);
  const result = await runWrite(ctx, engine, plan, input.ReturnValuesOnConditionCheckFailure);
  // Writes answer no items; RETURNING gives the item (recorded against DynamoDB's PartiQL).
  return { Items: plan.request.ReturnValues ? [result.Attributes ?? {}] : [] };
}

interface PageToken {
  /** Which statement the token belongs to: a token of another statement is refused. */
  statement: string;
  /** Which of the plan's requests (IN: one Query for each partition) to go on with. */
  request: number;
  startKey?: Json;
}

function statementDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function readToken(token: unknown, text: string): PageToken {
  if (token === undefined) return { statement: statementDigest(text), request: 0 };
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as PageToken;
    if (decoded.statement === statementDigest(text) && Number.isInteger(decoded.request)) return decoded;
  } catch {
    // fall through: not one of our tokens
  }
  // Our wording; AWS refuses a NextToken of another statement with a ValidationException too.
  throw validation('Invalid NextToken: it does not belong to this statement');
}

function writeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

/**
 * One page of a SELECT: the plan's Queries (or its Scan) in turn, from where NextToken left
 * off. `Limit` counts the items DynamoDB evaluates, as Query/Scan's Limit does.
 */
async function readPage(ctx: RequestContext, engine: DynaliteStore, plan: PlannedRead, text: string, limit: number | undefined, nextToken: unknown): Promise<Json> {
  const token = readToken(nextToken, text);
  if (token.request < 0 || token.request >= plan.requests.length) throw validation('Invalid NextToken: it does not belong to this statement');
  const items: unknown[] = [];
  let remaining = limit;
  for (let index = token.request; index < plan.requests.length; index += 1) {
    const { operation, request } = plan.requests[index]!;
    const startKey = index === token.request ? token.startKey : undefined;
    const result = await run(ctx, engine, operation, {
      ...request,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      ...(remaining !== undefined ? { Limit: remaining } : {}),
    });
    items.push(...((result.Items as unknown[] | undefined) ?? []));
    if (remaining !== undefined) remaining -= Number(result.ScannedCount ?? 0);
    const lastKey = result.LastEvaluatedKey as Json | undefined;
    if (lastKey) {
      return { Items: items, NextToken: writeToken({ statement: token.statement, request: index, startKey: lastKey }), LastEvaluatedKey: lastKey };
    }
    if (remaining !== undefined && remaining <= 0 && index + 1 < plan.requests.length) {
      return { Items: items, NextToken: writeToken({ statement: token.statement, request: index + 1 }) };
    }
  }
  return { Items: items };
}

// ---------------------------------------------------------------- BatchExecuteStatement

/** BatchStatementErrorCodeEnum (service-2.json) for an error the single operation would throw. */
const BATCH_ERROR_CODES: Record<string, string> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ValidationException: 'ValidationError',
  ResourceNotFoundException: 'ResourceNotFound',
  AccessDeniedException: 'AccessDenied',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  ThrottlingException: 'ThrottlingError',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  TransactionConflictException: 'TransactionConflict',
  RequestLimitExceeded: 'RequestLimitExceeded',
};

/** AWS's access-denied sentence for one statement the caller may not run. */
function denial(ctx: RequestContext, action: string, resource: string): ServiceError {
  return new ServiceError('AccessDeniedException', `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${resource}`);
}

/**
 * A batch is not a transaction: each statement succeeds or fails on its own, and a failure is
 * an `Error` in its place in Responses, with HTTP 200. The statements are all reads (each by
 * its full primary key) or all writes (PartiQL batch operations for DynamoDB, "Syntax").
 */
async function batchExecuteStatement(ctx: RequestContext, engine: DynaliteStore, input: Json): Promise<Json> {
  const entries = checkList(input.Statements, 'statements', 25);
  const parsed = entries.map((entry) => {
    try {
      return parseStatement(checkStatementText(entry.Statement, 'statement'));
    } catch (error) {
      return error as Error;
    }
  });
  const kinds = new Set(parsed.filter((p): p is Statement => !(p instanceof Error)).map((p) => (p.kind === 'select' ? 'read' : 'write')));
  // Our wording, after the one recorded for ExecuteTransaction.
  if (kinds.size > 1) throw validation('BatchExecuteStatement API does not support both read and write operations in the same request.');

  const responses: Json[] = [];
  for (const [i, entry] of entries.entries()) {
    const statement = parsed[i]!;
    const tableName = statement instanceof Error ? undefined : statement.table;
    try {
      if (statement instanceof Error) throw statement;
      const item = await batchStatement(ctx, engine, statement, entry);
      responses.push({ TableName: tableName, ...(item ? { Item: item } : {}) });
    } catch (error) {
      if (!isServiceError(error)) throw error;
      const item = (error.extra as Record<string, unknown>).Item;
      const failure = { Code: BATCH_ERROR_CODES[error.code] ?? 'InternalServerError', Message: error.message, ...(item ? { Item: item } : {}) };
      responses.push({ ...(tableName ? { TableName: tableName } : {}), Error: failure });
    }
  }
  return { Responses: responses };
}

async function batchStatement(ctx: RequestContext, engine: DynaliteStore, statement: Statement, entry: Json): Promise<Json | undefined> {
  if (statement.kind === 'exists') throw validation('EXISTS is supported only as a statement of ExecuteTransaction');
  const authorization = statementAuthorization(ctx, entry);
  if (authorization && !permits(ctx, authorization)) throw denial(ctx, authorization.action, authorization.resources[0]!);
  const table = requireTable(engine, statement.table);
  const plan = planStatement(statement, parametersOf(entry), table, typeof entry.ConsistentRead === 'boolean' ? { consistentRead: entry.ConsistentRead } : {});
  if (plan.kind === 'read') {
    if (!plan.key || plan.requests.length !== 1) throw validation(FULL_KEY_REQUIRED);
    const result = await run(ctx, engine, 'Query', plan.requests[0]!.request);
    return (result.Items as Json[] | undefined)?.[0];
  }
  await runWrite(ctx, engine, plan, entry.ReturnValuesOnConditionCheckFailure);
  return undefined;
}

// ---------------------------------------------------------------- ExecuteTransaction

/** Transactions of one store run one after another, so one never sees another half done. */
const transactionQueues = new WeakMap<DynaliteStore, Promise<unknown>>();

function serialized<T>(engine: DynaliteStore, work: () => Promise<T>): Promise<T> {
  const previous = transactionQueues.get(engine) ?? Promise.resolve();
  const next = previous.then(work, work);
  transactionQueues.set(engine, next.catch(() => undefined));
  return next;
}

interface TransactionWrite {
  operation: 'PutItem' | 'UpdateItem' | 'DeleteItem';
  request: Json;
  table: string;
  key: Record<string, AttributeValue>;
  insert: boolean;
  /** A condition check (EXISTS) changes nothing, and is not undone. */
  changes: boolean;
  /** ReturnValuesOnConditionCheckFailure ALL_OLD: the reason carries the item as it was. */
  returnOld: boolean;
}

/**
 * All statements or none (Performing transactions with PartiQL for DynamoDB): reads only
 * (each by its full key, like TransactGetItems) or writes only (like TransactWriteItems,
 * with EXISTS(SELECT ...) as a condition check). The engine has no transactions of its own:
 * each write is applied in turn with its condition, and when any fails, those applied are
 * undone (the item before each write was read first) and the transaction is cancelled with
 * a reason for every statement. A `ClientRequestToken` makes a write transaction run once
 * (idempotentWrites).
 */
async function executeTransaction(ctx: RequestContext, engine: DynaliteStore, input: Json): Promise<Json> {
  const entries = checkList(input.TransactStatements, 'transactStatements', 100);
  const statements = entries.map((entry) => parseStatement(checkStatementText(entry.Statement, 'statement')));
  const reads = statements.filter((statement) => statement.kind === 'select').length;
  // Recorded against DynamoDB's PartiQL.
  if (reads > 0 && reads < statements.length) throw validation('ExecuteTransaction API does not support both read and write operations in the same request.');

  if (reads > 0) {
    const plans = statements.map((statement, i) => {
      const plan = planStatement(statement, parametersOf(entries[i]!), requireTable(engine, statement.table)) as PlannedRead;
      if (!plan.key || plan.index !== undefined || plan.requests.length !== 1) throw validation(FULL_KEY_REQUIRED);
      return plan;
    });
    const responses: Json[] = [];
    for (const plan of plans) {
      const result = await run(ctx, engine, 'Query', { ...plan.requests[0]!.request, ConsistentRead: true });
      const item = (result.Items as Json[] | undefined)?.[0];
      responses.push(item ? { Item: item } : {});
    }
    return { Responses: responses };
  }

  const writes = statements.map((statement, i): TransactionWrite => {
    const parameters = parametersOf(entries[i]!);
    const table = requireTable(engine, statement.table);
    if (statement.kind === 'exists') {
      const check = planExistsCheck(statement.select, parameters, table);
      const returnOld = entries[i]!.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
      return { operation: 'UpdateItem', request: check.request, table: check.table, key: check.key, insert: false, changes: false, returnOld };
    }
    const plan = planStatement(statement, parameters, table);
    if (plan.kind !== 'write') throw validation('ExecuteTransaction API does not support both read and write operations in the same request.');
    if (plan.request.ReturnValues) throw validation('RETURNING is not supported in a transaction');
    const returnOld = entries[i]!.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
    return { operation: plan.operation, request: plan.request, table: plan.table, key: plan.key, insert: plan.statement === 'insert', changes: true, returnOld };
  });
  const touched = new Set<string>();
  for (const write of writes) {
    const id = `${write.table}\u0000${JSON.stringify(write.key)}`;
    if (touched.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    touched.add(id);
  }
  // Every request must be valid before any is applied: a ValidationException fails the whole call.
  for (const write of writes) {
    const checked = validate(engine, write.operation, write.request);
    beforeTableOperation(engine, ctx.store.clock, write.operation, checked);
  }
  return serialized(engine, () => idempotentWrites(ctx, engine, input, () => applyWrites(ctx, engine, writes)));
}

/** Tokens of the write transactions that succeeded, with what they asked and when. */
const tokens = new WeakMap<DynaliteStore, Map<string, { request: string; atMs: number }>>();
/** "A client token is valid for 10 minutes after the first request that uses it is completed" (API_ExecuteTransaction). */
const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

/**
 * ClientRequestToken (API_ExecuteTransaction): the same token with the same statements within
 * 10 minutes succeeds again without running them; with other statements it fails with
 * IdempotentParameterMismatchException. A transaction that failed leaves no token.
 */
async function idempotentWrites(ctx: RequestContext, engine: DynaliteStore, input: Json, apply: () => Promise<Json>): Promise<Json> {
  const token = input.ClientRequestToken;
  if (typeof token !== 'string') return apply();
  let seen = tokens.get(engine);
  if (!seen) tokens.set(engine, (seen = new Map()));
  const request = JSON.stringify(input.TransactStatements);
  const now = ctx.store.clock.nowMs();
  const earlier = seen.get(token);
  if (earlier && now - earlier.atMs < TOKEN_LIFETIME_MS) {
    if (earlier.request !== request) {
      throw new ServiceError('IdempotentParameterMismatchException', 'The request uses the same client token as a previous, but non-identical request.');
    }
    return {};
  }
  const result = await apply();
  seen.set(token, { request, atMs: now });
  return result;
}

async function applyWrites(ctx: RequestContext, engine: DynaliteStore, writes: TransactionWrite[]): Promise<Json> {
  const applied: Array<{ write: TransactionWrite; before: Json | undefined }> = [];
  const reasons: Json[] = [];
  for (const write of writes) {
    const before = (await run(ctx, engine, 'GetItem', { TableName: write.table, Key: write.key, ConsistentRead: true })).Item as Json | undefined;
    try {
      await run(ctx, engine, write.operation, write.request);
      applied.push({ write, before });
      reasons.push({ Code: 'None' });
    } catch (error) {
      if (!isServiceError(error)) throw error;
      if (error.code === 'ConditionalCheckFailedException') {
        const reason: Json = write.insert ? { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
        if (write.returnOld && before) reason.Item = before;
        reasons.push(reason);
      } else {
        reasons.push({ Code: BATCH_ERROR_CODES[error.code] ?? 'InternalServerError', Message: error.message });
      }
    }
  }
  if (applied.length === writes.length) return {};

  for (const { write, before } of applied.reverse()) {
    if (!write.changes) continue;
    if (before) await run(ctx, engine, 'PutItem', { TableName: write.table, Item: before });
    else await run(ctx, engine, 'DeleteItem', { TableName: write.table, Key: write.key });
  }
  // AWS's message lists the reasons in statement order; the reasons themselves ride along in the body.
  const codes = reasons.map((reason) => reason.Code).join(', ');
  throw new ServiceError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    400,
    // The JSON protocol writes `extra` into the error body as it is: CancellationReasons is a list.
    { CancellationReasons: reasons } as unknown as Record<string, string>,
  );
}
