import { setTimeout as sleep } from 'node:timers/promises';
import { probabilityFires, type FaultRule } from '../../core/faults.ts';
import type { RequestContext } from '../../pipeline/context.ts';

type Json = Record<string, unknown>;

/** The batch operations that answer a 'throughput' fault with unprocessed work instead of an error. */
export const BATCH_OPERATIONS = new Set(['BatchWriteItem', 'BatchGetItem']);

/**
 * Consumes a matching 'throughput' fault rule for a batch call (the faults stage leaves
 * these to us). Same matching as the faults stage: service, operation, count, probability.
 */
export async function takeBatchThroughputFault(ctx: RequestContext): Promise<boolean> {
  const rule = ctx.store.faults.rules.find((candidate) => matches(candidate, ctx.operation ?? ''));
  if (!rule) return false;
  if (!probabilityFires(ctx.store.faults, rule)) return false;
  if (rule.count !== undefined) rule.count -= 1;
  if (rule.delayMs) await sleep(rule.delayMs);
  return true;
}

function matches(rule: FaultRule, operation: string): boolean {
  if (rule.kind !== 'throughput') return false;
  if (rule.count !== undefined && rule.count <= 0) return false;
  if (rule.service && rule.service.toLowerCase() !== 'dynamodb') return false;
  return !rule.operation || rule.operation === operation;
}

/**
 * Splits a BatchWriteItem request: the first half of its writes (rounded down) are
 * processed, the rest come back as UnprocessedItems, so there is always something to
 * retry. (When AWS can process none at all it throws instead; a lab retry loop must
 * see the partial case, which is the common one.)
 */
export function splitWrites(requestItems: Record<string, Json[]>): { processed: Record<string, Json[]>; unprocessed: Record<string, Json[]> } {
  const writes = Object.entries(requestItems).flatMap(([table, requests]) => requests.map((request) => ({ table, request })));
  const keep = Math.floor(writes.length / 2);
  const processed: Record<string, Json[]> = {};
  const unprocessed: Record<string, Json[]> = {};
  writes.forEach(({ table, request }, index) => {
    const target = index < keep ? processed : unprocessed;
    (target[table] ??= []).push(request);
  });
  return { processed, unprocessed };
}

/** BatchGetItem's counterpart of splitWrites: each table's other parameters travel with its keys. */
export function splitReads(requestItems: Record<string, Json>): { processed: Record<string, Json>; unprocessed: Record<string, Json> } {
  const reads = Object.entries(requestItems).flatMap(([table, request]) => (request.Keys as Json[]).map((key) => ({ table, key })));
  const keep = Math.floor(reads.length / 2);
  const processed: Record<string, Json> = {};
  const unprocessed: Record<string, Json> = {};
  reads.forEach(({ table, key }, index) => {
    const target = index < keep ? processed : unprocessed;
    const entry = (target[table] ??= { ...requestItems[table], Keys: [] });
    (entry.Keys as Json[]).push(key);
  });
  return { processed, unprocessed };
}
