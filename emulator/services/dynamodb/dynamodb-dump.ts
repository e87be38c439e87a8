import type { Store } from '../../core/store.ts';
import { itemCount, tableDescription, tableItems, tableNames } from './dynalite-engine.ts';
import { allRegionalTables } from './dynamodb-state.ts';
import { statusOnClock } from './table-transitions.ts';

/** Items per table in the state dump: enough for a lab's checks, bounded for big tables. */
export const DUMP_ITEM_LIMIT = 1000;

export interface TableDump {
  accountId: string;
  region: string;
  name: string;
  status: string;
  keySchema: unknown;
  attributeDefinitions: unknown;
  billingMode: string;
  globalSecondaryIndexes: string[];
  localSecondaryIndexes: string[];
  itemCount: number;
  /** In DynamoDB JSON ({"year":{"N":"2024"}}), at most DUMP_ITEM_LIMIT of them. */
  items: unknown[];
  itemsTruncated: boolean;
}

/** The control API's view of DynamoDB: every table of every account and region. */
export async function dumpDynamoDb(store: Store): Promise<{ tables: TableDump[] }> {
  const tables: TableDump[] = [];
  for (const { accountId, region, engine } of allRegionalTables(store)) {
    for (const name of await tableNames(engine)) {
      const table = tableDescription(engine, name);
      if (!table) continue;
      const count = await itemCount(engine, name);
      tables.push({
        accountId,
        region,
        name,
        status: statusOnClock(engine, store.clock, name, table.TableStatus),
        keySchema: table.KeySchema,
        attributeDefinitions: table.AttributeDefinitions,
        billingMode: billingModeOf(table),
        globalSecondaryIndexes: indexNames(table.GlobalSecondaryIndexes),
        localSecondaryIndexes: indexNames(table.LocalSecondaryIndexes),
        itemCount: count,
        items: await tableItems(engine, name, DUMP_ITEM_LIMIT),
        itemsTruncated: count > DUMP_ITEM_LIMIT,
      });
    }
  }
  return { tables };
}

function billingModeOf(table: Record<string, unknown>): string {
  const summary = table.BillingModeSummary as { BillingMode?: string } | undefined;
  return summary?.BillingMode ?? 'PROVISIONED';
}

function indexNames(indexes: unknown): string[] {
  return Array.isArray(indexes) ? indexes.map((index: { IndexName: string }) => index.IndexName) : [];
}
