import { createRequire } from 'node:module';
import { ServiceError } from '../../core/service-error.ts';
import { validateAttributeValues } from './attribute-value-validation.ts';

/**
 * dynalite (DynamoDB on memory-level) used in-process as the table engine: we call
 * its own validation and action functions directly, so no second HTTP listener runs
 * and our pipeline (route, SigV4, IAM, faults) stays in front of it.
 *
 * dynalite is CommonJS without types; the few members we touch are typed here.
 */
const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;
interface DynaliteFailure {
  statusCode?: number;
  body?: { __type?: string; message?: string };
}
type Callback = (error: DynaliteFailure | null, data?: Json) => void;
type Action = (engine: DynaliteStore, data: Json, done: Callback) => void;
interface ActionValidation {
  types: unknown;
  custom?: unknown;
}
interface Validations {
  toLowerFirst(name: string): string;
  checkTypes(data: Json, types: unknown): Json;
  checkValidations(data: Json, types: unknown, custom: unknown, engine: DynaliteStore): void;
}
interface LevelRange {
  gte: string;
  lt: string;
  limit?: number;
}

/** One dynalite store: the tables and items of one account in one region. */
export interface DynaliteStore {
  options: { createTableMs: number; deleteTableMs: number };
  /** The memory-level database; keys are `<sub-db>~<key>` and values decoded JSON. */
  db: {
    /** abstract-level's state: 'opening' until the asynchronous open of a new store completes. */
    readonly status: string;
    getSync(key: string): unknown;
    keys(range: LevelRange): { all(): Promise<string[]> };
    values(range: LevelRange): { all(): Promise<unknown[]> };
  };
  /** dynalite builds TableArn from these (it would read them from process.env otherwise). */
  tableDb: { awsAccountId: string; awsRegion: string };
}


/** Every operation dynalite implements, which is therefore every operation we serve. */
export const DYNAMODB_OPERATIONS = new Set([
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'ListTagsOfResource',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'UpdateItem',
  'UpdateTable',
]);

/**
 * dynalite's modules, loaded on first use rather than at import: they are most of what the
 * emulator would otherwise compile at start (issue 16: ready in 100 ms), and a run that
 * never touches DynamoDB never needs them.
 */
interface Dynalite {
  validations: Validations;
  database: { create(options: Json): DynaliteStore };
  actions: Map<string, { run: Action; validation: ActionValidation }>;
}
let loaded: Dynalite | undefined;

function dynalite(): Dynalite {
  if (loaded) return loaded;
  const validations = require('dynalite/validations/index.js') as Validations;
  const database = require('dynalite/db/index.js') as Dynalite['database'];
  const actions = new Map<string, { run: Action; validation: ActionValidation }>(
    [...DYNAMODB_OPERATIONS].map((operation) => {
      const file = validations.toLowerFirst(operation);
      return [
        operation,
        {
          run: require(`dynalite/actions/${file}.js`) as Action,
          validation: require(`dynalite/validations/${file}.js`) as ActionValidation,
        },
      ];
    }),
  );
  loaded = { validations, database, actions };
  return loaded;
}

export function createEngine(accountId: string, region: string): DynaliteStore {
  const engine = dynalite().database.create({});
  engine.tableDb.awsAccountId = accountId;
  engine.tableDb.awsRegion = region;
  return engine;
}

/** Type checks and validations as DynamoDB runs them, with its messages; returns the normalised request. */
export function validate(engine: DynaliteStore, operation: string, request: Json): Json {
  const { validation } = actionOf(operation);
  validateAttributeValues(request);
  try {
    const checked = dynalite().validations.checkTypes(structuredClone(request), validation.types);
    dynalite().validations.checkValidations(checked, validation.types, validation.custom, engine);
    return checked;
  } catch (error) {
    throw toServiceError(error, operation, request);
  }
}

/** Runs a validated request. */
export function execute(engine: DynaliteStore, operation: string, request: Json): Promise<Json> {
  const { run } = actionOf(operation);
  return new Promise((resolve, reject) => {
    run(engine, request, (error, data) => (error ? reject(toServiceError(error, operation, request)) : resolve(data ?? {})));
  });
}

/** The stored description of a table (any status), read synchronously; undefined when absent. */
export function tableDescription(engine: DynaliteStore, tableName: string): TableDescription | undefined {
  // A store created for this very request is still opening and holds no table yet (reading it would throw).
  if (engine.db.status !== 'open') return undefined;
  const table = engine.db.getSync(`table~${tableName}`);
  return typeof table === 'object' && table !== null ? (table as TableDescription) : undefined;
}

export interface TableDescription {
  TableName: string;
  TableStatus: string;
  KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  AttributeDefinitions: Array<{ AttributeName: string; AttributeType: string }>;
  ItemCount?: number;
  [field: string]: unknown;
}

/** Table names in this store, sorted as ListTables returns them. */
export async function tableNames(engine: DynaliteStore): Promise<string[]> {
  const keys = await engine.db.keys({ gte: 'table~', lt: 'table~\xff' }).all();
  return keys.map((key) => key.slice('table~'.length));
}

/** The items of a table, at most `limit` (dynalite keeps them under `item-<table>~`). */
export function tableItems(engine: DynaliteStore, tableName: string, limit?: number): Promise<unknown[]> {
  return engine.db.values({ ...itemRange(tableName), limit }).all();
}

export async function itemCount(engine: DynaliteStore, tableName: string): Promise<number> {
  return (await engine.db.keys(itemRange(tableName)).all()).length;
}

function itemRange(tableName: string): LevelRange {
  // '~' cannot occur in a table name, so this range holds exactly one table's items.
  return { gte: `item-${tableName}~`, lt: `item-${tableName}~\xff` };
}

function actionOf(operation: string): { run: Action; validation: ActionValidation } {
  const action = dynalite().actions.get(operation);
  if (!action) throw new Error(`dynalite has no action ${operation}`);
  return action;
}

/** dynalite fails with `{ statusCode, body: { __type, message } }`; anything else is a bug and stays an Error. */
function toServiceError(error: unknown, operation: string, request: Json): unknown {
  const failure = error as DynaliteFailure;
  if (typeof failure?.statusCode !== 'number' || !failure.body?.__type) return error;
  const code = failure.body.__type.split('#').pop()!;
  let message = failure.body.message ?? '';
  // dynalite leaves this message empty; AWS says which table (CloudTrail: "Table already exists: Notes").
  if (code === 'ResourceInUseException' && operation === 'CreateTable' && message === '') {
    message = `Table already exists: ${String(request.TableName)}`;
  }
  return new ServiceError(code, message, failure.statusCode);
}
