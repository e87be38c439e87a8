import type { Clock } from '../../core/clock.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { DynaliteStore } from './dynalite-engine.ts';

type Json = Record<string, unknown>;

/**
 * CREATING and DELETING on the emulator's clock. dynalite keeps a table in either state
 * for a number of real milliseconds (its own setTimeout); we let it change state at once
 * and keep the state here instead, until the emulator's clock passes its end. So a check
 * that moves the clock (virtual time, where a 20-second waiter poll takes no real time)
 * sees the table become ACTIVE, or go, exactly when the clock says, and the student's
 * program, on real time, still sees a table CREATING for the settings' few hundred ms.
 *
 * What a table in transition answers, as DynamoDB documents it:
 * - CREATING: DescribeTable says CREATING (its indexes too); reads and writes fail with
 *   ResourceNotFoundException ("...or its status might not be ACTIVE", Common errors of
 *   the DynamoDB API reference); DeleteTable and UpdateTable fail with ResourceInUseException.
 * - DELETING: DescribeTable says DELETING; DeleteTable answers again without an error ("If
 *   table is already in the DELETING state, no error is returned", DeleteTable); CreateTable
 *   of the same name fails with ResourceInUseException. Reads and writes find no table
 *   (AWS "might continue to accept" them; dynalite has dropped the items already).
 */
interface Transition {
  status: 'CREATING' | 'DELETING';
  untilMs: number;
  /** DeleteTable's TableDescription, answered while the table is DELETING. */
  description?: Json;
}

const transitions = new WeakMap<DynaliteStore, Map<string, Transition>>();

function tablesOf(engine: DynaliteStore): Map<string, Transition> {
  let tables = transitions.get(engine);
  if (!tables) {
    tables = new Map();
    transitions.set(engine, tables);
  }
  return tables;
}

function current(engine: DynaliteStore, table: unknown, clock: Clock): Transition | undefined {
  if (typeof table !== 'string') return undefined;
  const tables = tablesOf(engine);
  const transition = tables.get(table);
  if (transition && transition.untilMs <= clock.nowMs()) {
    tables.delete(table);
    return undefined;
  }
  return transition;
}

/** The table's status on the emulator's clock: CREATING while in that window, else what dynalite says. */
export function statusOnClock(engine: DynaliteStore, clock: Clock, table: string, engineStatus: string): string {
  return current(engine, table, clock)?.status === 'CREATING' ? 'CREATING' : engineStatus;
}

const ITEM_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan']);
const BATCH_OPERATIONS = new Set(['BatchGetItem', 'BatchWriteItem']);

function notFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', 'Requested resource not found');
}

function inUse(what: string, table: string): ServiceError {
  return new ServiceError('ResourceInUseException', `Attempt to change a resource which is still in use: ${what}: ${table}`);
}

/**
 * Before dynalite runs the operation: refuses what a table in transition refuses, and
 * answers what dynalite no longer knows (a DELETING table it has dropped). Returns the
 * answer when there is one, undefined to go on.
 */
export function beforeTableOperation(engine: DynaliteStore, clock: Clock, operation: string, request: Json): Json | undefined {
  if (BATCH_OPERATIONS.has(operation)) {
    const tables = Object.keys((request.RequestItems as Json | undefined) ?? {});
    if (tables.some((table) => current(engine, table, clock)?.status === 'CREATING')) throw notFound();
    return undefined;
  }
  const transition = current(engine, request.TableName, clock);
  if (!transition) return undefined;
  const table = String(request.TableName);
  if (transition.status === 'CREATING') {
    if (ITEM_OPERATIONS.has(operation)) throw notFound();
    if (operation === 'DeleteTable' || operation === 'UpdateTable') throw inUse('Table is being created', table);
    return undefined;
  }
  switch (operation) {
    case 'DescribeTable':
      return { Table: transition.description };
    case 'DeleteTable':
      return { TableDescription: transition.description };
    case 'CreateTable':
      throw new ServiceError('ResourceInUseException', `Table already exists: ${table}`);
    case 'UpdateTable':
      throw inUse('Table is being deleted', table);
    default:
      return undefined;
  }
}

/** After dynalite answered: starts a transition, or shows the one in progress. */
export function afterTableOperation(engine: DynaliteStore, clock: Clock, delays: { createMs: number; deleteMs: number }, operation: string, request: Json, result: Json): void {
  const table = request.TableName;
  if (typeof table !== 'string') return;
  if (operation === 'CreateTable' && delays.createMs > 0) {
    tablesOf(engine).set(table, { status: 'CREATING', untilMs: clock.nowMs() + delays.createMs });
  } else if (operation === 'DeleteTable') {
    const description = { ...((result.TableDescription as Json | undefined) ?? {}), TableStatus: 'DELETING' };
    result.TableDescription = description;
    if (delays.deleteMs > 0) tablesOf(engine).set(table, { status: 'DELETING', untilMs: clock.nowMs() + delays.deleteMs, description });
  } else if (operation === 'DescribeTable' && current(engine, table, clock)?.status === 'CREATING') {
    const description = result.Table as Json | undefined;
    if (!description) return;
    description.TableStatus = 'CREATING';
    const indexes = description.GlobalSecondaryIndexes as Json[] | undefined;
    for (const index of indexes ?? []) index.IndexStatus = 'CREATING';
  }
}
