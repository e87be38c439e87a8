import type { Store } from '../../core/store.ts';
import { createEngine, type DynaliteStore } from './dynalite-engine.ts';

/** DynamoDB state: tables live per account and region, as on AWS; one dynalite store for each pair. */
export interface RegionalTables {
  accountId: string;
  region: string;
  engine: DynaliteStore;
}

type DynamoDbState = Map<string, RegionalTables>;

function state(store: Store): DynamoDbState {
  // Kept in the store's service state, so a reset drops every table at once.
  return store.serviceState<DynamoDbState>('dynamodb', () => new Map());
}

/** The tables of one account in one region, created on first use. */
export function engineFor(store: Store, accountId: string, region: string): DynaliteStore {
  const key = `${accountId}/${region}`;
  let entry = state(store).get(key);
  if (!entry) {
    const engine = createEngine(accountId, region);
    // dynalite changes a table's state at once: how long it stays CREATING or DELETING is
    // kept on the emulator's clock (table-transitions.ts, from the settings).
    engine.options.createTableMs = 0;
    engine.options.deleteTableMs = 0;
    entry = { accountId, region, engine };
    state(store).set(key, entry);
  }
  return entry.engine;
}

export function allRegionalTables(store: Store): RegionalTables[] {
  return [...state(store).values()];
}
