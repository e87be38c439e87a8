import { notImplemented } from '../../core/service-error.ts';
import type { ServiceModule, ServiceResponse } from '../../pipeline/context.ts';
import { BATCH_OPERATIONS, splitReads, splitWrites, takeBatchThroughputFault } from './batch-throughput.ts';
import { DYNAMODB_OPERATIONS, execute, itemCount, validate, type DynaliteStore } from './dynalite-engine.ts';
import { dynamoDbAuthorization } from './dynamodb-authorization.ts';
import { dumpDynamoDb } from './dynamodb-dump.ts';
import { DYNAMODB_MODEL_OPERATIONS } from './dynamodb-operations.ts';
import { engineFor } from './dynamodb-state.ts';
import { partiqlAuthorization } from './partiql-authorization.ts';
import { executePartiql, PARTIQL_OPERATIONS } from './partiql-execution.ts';
import { afterTableOperation, beforeTableOperation } from './table-transitions.ts';

type Json = Record<string, unknown>;

/**
 * DynamoDB (JSON 1.0, X-Amz-Target DynamoDB_20120810.<Op>). dynalite does the table
 * work in-process; around it we add what it cannot know: tables per account and
 * region, CREATING/DELETING on the emulator's clock (table-transitions.ts), live ItemCount, and
 * the injected throughput fault as unprocessed batch work.
 */
export const dynamoDbService: ServiceModule = {
  name: 'dynamodb',
  signingName: 'dynamodb',
  protocol: 'json',

  resolveOperation(ctx) {
    const operation = (ctx.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    if (!DYNAMODB_OPERATIONS.has(operation) && !PARTIQL_OPERATIONS.has(operation)) throw notImplemented('DynamoDB', operation, DYNAMODB_MODEL_OPERATIONS.has(operation));
    return operation;
  },

  // PartiQL is authorized by what each statement does (dynamodb:PartiQLSelect ...), not by the API call.
  authorization: (ctx) => (PARTIQL_OPERATIONS.has(ctx.operation ?? '') ? partiqlAuthorization(ctx) : dynamoDbAuthorization(ctx)),

  async handle(ctx) {
    const operation = ctx.operation!;
    const engine = engineFor(ctx.store, ctx.caller.accountId, ctx.region);
    // PartiQL: each statement becomes the engine's own item operations (partiql-execution.ts).
    if (PARTIQL_OPERATIONS.has(operation)) return { result: await executePartiql(ctx, engine, operation, ctx.json ?? {}) };
    const request = validate(engine, operation, ctx.json ?? {});
    if (typeof request.TableName === 'string') ctx.logParams.TableName = request.TableName;
    // How many writes a batch call carried (and, below, handed back): a check can then tell a
    // client that resends only UnprocessedItems from one that sends everything again.
    if (operation === 'BatchWriteItem') ctx.logParams.WriteRequests = String(writeCount(request.RequestItems));

    const answered = beforeTableOperation(engine, ctx.store.clock, operation, request);
    if (answered) return { result: answered };
    if (BATCH_OPERATIONS.has(operation) && (await takeBatchThroughputFault(ctx))) {
      const result = await partialBatch(engine, operation, request);
      if (operation === 'BatchWriteItem') ctx.logParams.UnprocessedWrites = String(writeCount(result?.UnprocessedItems));
      return { result };
    }
    const result = await execute(engine, operation, request);
    afterTableOperation(engine, ctx.store.clock, { createMs: ctx.store.settings.tableCreateDelayMs, deleteMs: ctx.store.settings.tableDeleteDelayMs }, operation, request, result);
    if (operation === 'DescribeTable') await withLiveItemCount(engine, result);
    return { result };
  },

  dump: dumpDynamoDb,
};

/**
 * DescribeTable's ItemCount: dynalite never updates it (AWS refreshes it about every six
 * hours); a student who loads items and describes the table expects to see them counted.
 */
async function withLiveItemCount(engine: DynaliteStore, result: Json): Promise<void> {
  const table = result.Table as Json | undefined;
  if (table && typeof table.TableName === 'string') table.ItemCount = await itemCount(engine, table.TableName);
}

/** The put and delete requests of a BatchWriteItem's RequestItems (or of its UnprocessedItems), over every table. */
function writeCount(items: unknown): number {
  return Object.values((items ?? {}) as Record<string, unknown[]>).reduce((sum, writes) => sum + writes.length, 0);
}

/** A batch call under an injected throughput fault: half the work done, the rest handed back. */
async function partialBatch(engine: DynaliteStore, operation: string, request: Json): Promise<ServiceResponse['result']> {
  if (operation === 'BatchWriteItem') {
    const { processed, unprocessed } = splitWrites(request.RequestItems as Record<string, Json[]>);
    const result = Object.keys(processed).length > 0 ? await execute(engine, operation, { ...request, RequestItems: processed }) : {};
    return { ...result, UnprocessedItems: unprocessed };
  }
  const { processed, unprocessed } = splitReads(request.RequestItems as Record<string, Json>);
  const result = Object.keys(processed).length > 0 ? await execute(engine, operation, { ...request, RequestItems: processed }) : { Responses: {} };
  return { ...result, UnprocessedKeys: unprocessed };
}
