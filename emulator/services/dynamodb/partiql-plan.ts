import { ServiceError } from '../../core/service-error.ts';
import type { TableDescription } from './dynalite-engine.ts';
import type { Condition, Operand, Path, SelectStatement, Statement, UpdateValue, Value } from './partiql-parser.ts';

type Json = Record<string, unknown>;
export type AttributeValue = Record<string, unknown>;
type KeySchema = TableDescription['KeySchema'];

/**
 * Turns a parsed PartiQL statement into the item operations DynamoDB's own API has
 * (Query, Scan, PutItem, UpdateItem, DeleteItem), with expressions and placeholders, so
 * the engine validates items and evaluates conditions exactly as for those operations.
 *
 * How AWS maps the statements (PartiQL select/insert/update/delete statements for DynamoDB):
 * - SELECT with an equality (or IN) on the partition key is a Query (one for each IN value),
 *   a condition on the sort key becomes part of the key condition; any other SELECT scans.
 * - INSERT fails with DuplicateItemException when the key exists: a PutItem on condition
 *   that it does not.
 * - UPDATE and DELETE must name the whole primary key with `=`; their other conditions are
 *   the ConditionExpression. UPDATE of a missing item fails (ConditionalCheckFailedException),
 *   DELETE of one succeeds.
 */

export interface PlannedRead {
  kind: 'read';
  table: string;
  index?: string;
  /** One request for each partition an IN names; one Scan otherwise. */
  requests: Array<{ operation: 'Query' | 'Scan'; request: Json }>;
  /** The partition key values the WHERE names (= or IN); empty for a Scan. */
  partitions: AttributeValue[];
  /** The full primary key, when the WHERE names all of it with `=` (what a transaction or batch read needs). */
  key?: Record<string, AttributeValue>;
}

export interface PlannedWrite {
  kind: 'write';
  statement: 'insert' | 'update' | 'delete';
  table: string;
  operation: 'PutItem' | 'UpdateItem' | 'DeleteItem';
  request: Json;
  key: Record<string, AttributeValue>;
}

export type Plan = PlannedRead | PlannedWrite;

/** What every failure of this kind says on AWS (recorded against DynamoDB's PartiQL). */
export const FULL_KEY_REQUIRED = 'Where clause does not contain a mandatory equality on all key attributes';

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

const enum Precedence {
  Top = 0,
  Or = 1,
  And = 2,
  Not = 3,
}

/** The operands of a run of one associative operator: `a AND (b AND c)` is a, b, c. */
function chain(condition: Condition, kind: 'and' | 'or'): Condition[] {
  if (condition.kind !== kind) return [condition];
  return [...chain(condition.left, kind), ...chain(condition.right, kind)];
}

/** `#n0`, `:v0` placeholders, each registered only when used (DynamoDB refuses unused ones). */
class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly nameIds = new Map<string, string>();
  private valueCount = 0;

  constructor(private readonly parameters: AttributeValue[]) {}

  name(name: string): string {
    let id = this.nameIds.get(name);
    if (!id) {
      id = `#n${this.nameIds.size}`;
      this.nameIds.set(name, id);
      this.names[id] = name;
    }
    return id;
  }

  value(value: AttributeValue): string {
    const id = `:v${this.valueCount++}`;
    this.values[id] = value;
    return id;
  }

  path(path: Path): string {
    return path.steps.map((step, i) => (typeof step === 'number' ? `[${step}]` : `${i > 0 ? '.' : ''}${this.name(step)}`)).join('');
  }

  operand(operand: Operand): string {
    if (operand.kind === 'path') return this.path(operand);
    if (operand.kind === 'call') return `${operand.name}(${operand.args.map((arg) => this.operand(arg)).join(', ')})`;
    return this.value(attributeValue(operand, this.parameters));
  }

  /**
   * A condition as DynamoDB expression text, with parentheses only where precedence needs
   * them (NOT, then AND, then OR): the engine takes at most a few levels of nesting
   * (attribute-value-validation.ts), and `a OR b OR c` needs none. `within` is the
   * precedence of the enclosing operator.
   */
  condition(condition: Condition, within: Precedence = Precedence.Top): string {
    switch (condition.kind) {
      case 'and':
      case 'or': {
        const own = condition.kind === 'or' ? Precedence.Or : Precedence.And;
        const text = chain(condition, condition.kind).map((part) => this.condition(part, own)).join(` ${condition.kind.toUpperCase()} `);
        return within > own ? `(${text})` : text;
      }
      case 'not':
        return `NOT ${this.condition(condition.operand, Precedence.Not)}`;
      case 'compare':
        return `${this.operand(condition.left)} ${condition.op} ${this.operand(condition.right)}`;
      case 'between':
        return `${this.operand(condition.subject)} BETWEEN ${this.operand(condition.low)} AND ${this.operand(condition.high)}`;
      case 'in':
        return `${this.operand(condition.subject)} IN (${condition.values.map((value) => this.operand(value)).join(', ')})`;
      case 'missing':
        return `${condition.negated ? 'attribute_exists' : 'attribute_not_exists'}(${this.path(condition.path)})`;
      case 'is-null': {
        const test = `attribute_type(${this.path(condition.path)}, ${this.value({ S: 'NULL' })})`;
        return condition.negated ? `NOT ${test}` : test;
      }
      case 'function':
        return `${condition.name}(${condition.args.map((arg) => this.operand(arg)).join(', ')})`;
      case 'exists':
        throw validation('EXISTS is supported only as a statement of ExecuteTransaction');
    }
  }

  /** The names and values to send: only those some expression used. */
  attributes(): Json {
    return {
      ...(Object.keys(this.names).length > 0 ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

/** A literal or `?` as a DynamoDB AttributeValue. */
export function attributeValue(value: Value | Operand, parameters: AttributeValue[]): AttributeValue {
  switch (value.kind) {
    case 'string':
      return { S: value.value };
    case 'number':
      return { N: value.text };
    case 'bool':
      return { BOOL: value.value };
    case 'null':
      return { NULL: true };
    case 'param': {
      const bound = parameters[value.index];
      if (!bound) throw validation("Number of parameters in request and statement don't match.");
      return bound;
    }
    case 'list':
      return { L: value.items.map((item) => attributeValue(item, parameters)) };
    case 'map':
      return { M: Object.fromEntries(value.entries.map(([name, item]) => [name, attributeValue(item, parameters)])) };
    case 'set':
      return setValue(value.items.map((item) => attributeValue(item, parameters)));
    default:
      throw validation('Unsupported value: an attribute path or function where a value is expected');
  }
}

/** `<<...>>`: a string, number or binary set; every member of one type, as DynamoDB sets are. */
function setValue(members: AttributeValue[]): AttributeValue {
  const types = new Set(members.map((member) => Object.keys(member)[0]));
  const [type] = [...types];
  if (members.length === 0 || types.size !== 1 || !['S', 'N', 'B'].includes(type ?? '')) {
    throw validation('Unsupported data type in Bag: a set holds strings, numbers or binaries, all of one type');
  }
  return { [`${type}S`]: members.map((member) => member[type!]) };
}

/** The AND-ed parts of a condition, outermost first. */
function conjuncts(condition: Condition | undefined): Condition[] {
  if (!condition) return [];
  if (condition.kind === 'and') return [...conjuncts(condition.left), ...conjuncts(condition.right)];
  return [condition];
}

function isAttribute(operand: Operand, name: string): boolean {
  return operand.kind === 'path' && operand.steps.length === 1 && operand.steps[0] === name;
}

function isValue(operand: Operand): boolean {
  return operand.kind !== 'path' && operand.kind !== 'call';
}

/** The value compared with `=` to this attribute in one conjunct, either way round. */
function equalityOn(condition: Condition, name: string): Operand | undefined {
  if (condition.kind !== 'compare' || condition.op !== '=') return undefined;
  if (isAttribute(condition.left, name) && isValue(condition.right)) return condition.right;
  if (isAttribute(condition.right, name) && isValue(condition.left)) return condition.left;
  return undefined;
}

/** Splits a WHERE into the full primary key (each attribute with `=`) and the rest; undefined when the key is incomplete. */
function fullKey(where: Condition | undefined, keySchema: KeySchema, parameters: AttributeValue[]): { key: Record<string, AttributeValue>; rest: Condition[] } | undefined {
  const rest = conjuncts(where);
  const key: Record<string, AttributeValue> = {};
  for (const { AttributeName } of keySchema) {
    const at = rest.findIndex((part) => equalityOn(part, AttributeName));
    if (at < 0) return undefined;
    key[AttributeName] = attributeValue(equalityOn(rest[at]!, AttributeName)!, parameters);
    rest.splice(at, 1);
  }
  return { key, rest };
}

function joinConditions(parts: Condition[]): Condition | undefined {
  return parts.reduce<Condition | undefined>((all, part) => (all ? { kind: 'and', left: all, right: part } : part), undefined);
}

/** The key schema of the table, or of the index a SELECT names. */
export function keySchemaOf(table: TableDescription, index?: string): KeySchema {
  if (index === undefined) return table.KeySchema;
  const indexes = [...((table.GlobalSecondaryIndexes as Json[] | undefined) ?? []), ...((table.LocalSecondaryIndexes as Json[] | undefined) ?? [])];
  const found = indexes.find((candidate) => candidate.IndexName === index);
  // AWS: a SELECT on an index the table does not have finds no resource.
  if (!found) throw new ServiceError('ResourceNotFoundException', 'Requested resource not found');
  return found.KeySchema as KeySchema;
}

export function planStatement(statement: Statement, parameters: AttributeValue[], table: TableDescription, options: { consistentRead?: boolean } = {}): Plan {
  if (parameters.length < statement.parameterCount) throw validation("Number of parameters in request and statement don't match.");
  switch (statement.kind) {
    case 'select':
      return planSelect(statement, parameters, table, options);
    case 'insert':
      return planInsert(statement.table, statement.item, parameters, table);
    case 'update':
    case 'delete':
      return planKeyedWrite(statement, parameters, table);
    case 'exists':
      throw validation('EXISTS is supported only as a statement of ExecuteTransaction');
  }
}

function planSelect(statement: SelectStatement, parameters: AttributeValue[], table: TableDescription, options: { consistentRead?: boolean }): PlannedRead {
  const keySchema = keySchemaOf(table, statement.index);
  const hash = keySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  const range = keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const parts = conjuncts(statement.where);

  const common = (placeholders: Placeholders): Json => ({
    TableName: statement.table,
    ...(statement.index !== undefined ? { IndexName: statement.index } : {}),
    ...(options.consistentRead !== undefined ? { ConsistentRead: options.consistentRead } : {}),
    ...(statement.projection !== '*' ? { ProjectionExpression: statement.projection.map((path) => placeholders.path(path)).join(', ') } : {}),
  });

  // The partition: `hash = v`, or `hash IN (v, ...)`, each a Query.
  let partitions: AttributeValue[] | undefined;
  let hashPart = parts.findIndex((part) => equalityOn(part, hash));
  if (hashPart >= 0) partitions = [attributeValue(equalityOn(parts[hashPart]!, hash)!, parameters)];
  else {
    hashPart = parts.findIndex((part) => part.kind === 'in' && isAttribute(part.subject, hash) && part.values.every(isValue));
    if (hashPart >= 0) partitions = (parts[hashPart] as Extract<Condition, { kind: 'in' }>).values.map((value) => attributeValue(value, parameters));
  }

  if (statement.orderBy && (!partitions || !range || !isAttribute(statement.orderBy.path, range))) {
    throw validation('ORDER BY is supported only on the sort key, with an equality or IN on the partition key in the WHERE clause');
  }

  const rest = parts.filter((_, i) => i !== hashPart);
  // A condition on the sort key DynamoDB can use to find the items (KeyConditionExpression).
  const rangePart = range === undefined || !partitions ? -1 : rest.findIndex((part) => isRangeCondition(part, range));
  const rangeCondition = rangePart >= 0 ? rest[rangePart] : undefined;
  const filter = joinConditions(rest.filter((_, i) => i !== rangePart));
  // Query's FilterExpression may not name a key attribute (API_Query: "A filter expression
  // cannot contain partition key or sort key attributes"); PartiQL allows any condition, so
  // such a SELECT reads as a Scan with the whole WHERE as its filter: the same items.
  const filterNamesKey = filter !== undefined && mentions(filter, new Set(keySchema.map((k) => k.AttributeName)));
  if (filterNamesKey && statement.orderBy) {
    throw validation('ORDER BY with a condition on a key attribute beyond the key condition is not supported by the emulator');
  }

  if (!partitions || filterNamesKey) {
    const placeholders = new Placeholders(parameters);
    const request = common(placeholders);
    if (statement.where) request.FilterExpression = placeholders.condition(statement.where);
    return {
      kind: 'read',
      table: statement.table,
      ...(statement.index !== undefined ? { index: statement.index } : {}),
      requests: [{ operation: 'Scan', request: { ...request, ...placeholders.attributes() } }],
      partitions: partitions ?? [],
    };
  }

  const requests = partitions.map((partition) => {
    const placeholders = new Placeholders(parameters);
    const request = common(placeholders);
    let keyCondition = `${placeholders.name(hash)} = ${placeholders.value(partition)}`;
    if (rangeCondition) keyCondition += ` AND ${placeholders.condition(rangeCondition, Precedence.And)}`;
    request.KeyConditionExpression = keyCondition;
    if (filter) request.FilterExpression = placeholders.condition(filter);
    if (statement.orderBy?.descending) request.ScanIndexForward = false;
    return { operation: 'Query' as const, request: { ...request, ...placeholders.attributes() } };
  });

  const full = statement.index === undefined ? fullKey(statement.where, keySchema, parameters) : undefined;
  return {
    kind: 'read',
    table: statement.table,
    ...(statement.index !== undefined ? { index: statement.index } : {}),
    requests,
    partitions,
    ...(full ? { key: full.key } : {}),
  };
}

/** Whether a condition names (as the first step of a path) any of these attributes. */
function mentions(condition: Condition, names: Set<string>): boolean {
  const operand = (o: Operand): boolean => (o.kind === 'path' ? names.has(String(o.steps[0])) : o.kind === 'call' ? o.args.some(operand) : false);
  switch (condition.kind) {
    case 'and':
    case 'or':
      return mentions(condition.left, names) || mentions(condition.right, names);
    case 'not':
      return mentions(condition.operand, names);
    case 'compare':
      return operand(condition.left) || operand(condition.right);
    case 'between':
      return [condition.subject, condition.low, condition.high].some(operand);
    case 'in':
      return [condition.subject, ...condition.values].some(operand);
    case 'missing':
    case 'is-null':
      return operand(condition.path);
    case 'function':
      return condition.args.some(operand);
    case 'exists':
      return false;
  }
}

function isRangeCondition(part: Condition, range: string): boolean {
  // `sortKey op value` only: a comparison written the other way round stays a filter (same items).
  if (part.kind === 'compare') return ['=', '<', '<=', '>', '>='].includes(part.op) && isAttribute(part.left, range) && isValue(part.right);
  if (part.kind === 'between') return isAttribute(part.subject, range) && isValue(part.low) && isValue(part.high);
  if (part.kind === 'function') return part.name === 'begins_with' && part.args.length === 2 && isAttribute(part.args[0]!, range) && isValue(part.args[1]!);
  return false;
}

function planInsert(tableName: string, item: Value, parameters: AttributeValue[], table: TableDescription): PlannedWrite {
  const value = attributeValue(item, parameters);
  const attributes = value.M as Record<string, AttributeValue>;
  const key: Record<string, AttributeValue> = {};
  for (const { AttributeName } of table.KeySchema) {
    if (attributes[AttributeName] === undefined) throw validation(`One or more parameter values were invalid: Missing the key ${AttributeName} in the item`);
    key[AttributeName] = attributes[AttributeName]!;
  }
  const hash = table.KeySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  return {
    kind: 'write',
    statement: 'insert',
    table: tableName,
    operation: 'PutItem',
    key,
    request: {
      TableName: tableName,
      Item: attributes,
      ConditionExpression: 'attribute_not_exists(#key)',
      ExpressionAttributeNames: { '#key': hash },
    },
  };
}

function planKeyedWrite(statement: Extract<Statement, { kind: 'update' | 'delete' }>, parameters: AttributeValue[], table: TableDescription): PlannedWrite {
  const found = fullKey(statement.where, table.KeySchema, parameters);
  if (!found) throw validation(FULL_KEY_REQUIRED);
  const placeholders = new Placeholders(parameters);
  const request: Json = { TableName: statement.table, Key: found.key };
  const conditions: string[] = [];

  if (statement.kind === 'update') {
    // The item must exist: an UPDATE never creates one.
    const hash = table.KeySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
    conditions.push(`attribute_exists(${placeholders.name(hash)})`);
    request.UpdateExpression = updateExpression(statement.actions, placeholders);
  }
  const rest = joinConditions(found.rest);
  if (rest) conditions.push(placeholders.condition(rest, Precedence.And));
  if (conditions.length > 0) request.ConditionExpression = conditions.join(' AND ');
  if (statement.returning) {
    if (statement.kind === 'delete' && statement.returning !== 'ALL_OLD') throw validation('DELETE supports only RETURNING ALL OLD *');
    request.ReturnValues = statement.returning;
  }
  Object.assign(request, placeholders.attributes());
  return {
    kind: 'write',
    statement: statement.kind,
    table: statement.table,
    operation: statement.kind === 'update' ? 'UpdateItem' : 'DeleteItem',
    key: found.key,
    request,
  };
}

/** SET and REMOVE clauses as an UpdateExpression; set_add / set_delete become ADD / DELETE. */
function updateExpression(actions: Extract<Statement, { kind: 'update' }>['actions'], placeholders: Placeholders): string {
  const clauses: Record<'SET' | 'REMOVE' | 'ADD' | 'DELETE', string[]> = { SET: [], REMOVE: [], ADD: [], DELETE: [] };
  for (const action of actions) {
    const path = placeholders.path(action.path);
    if (action.kind === 'remove') {
      clauses.REMOVE.push(path);
      continue;
    }
    const value: UpdateValue = action.value;
    if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
      const [target, members] = value.args;
      if (!target || !members || value.args.length !== 2 || target.kind !== 'path' || placeholders.path(target) !== path) {
        throw validation(`${value.name} takes the attribute being set and a set: SET a = ${value.name}(a, <<...>>)`);
      }
      clauses[value.name === 'set_add' ? 'ADD' : 'DELETE'].push(`${path} ${placeholders.operand(members)}`);
      continue;
    }
    const rendered = value.kind === 'arithmetic' ? `${placeholders.operand(value.left)} ${value.op} ${placeholders.operand(value.right)}` : placeholders.operand(value);
    clauses.SET.push(`${path} = ${rendered}`);
  }
  return Object.entries(clauses)
    .filter(([, parts]) => parts.length > 0)
    .map(([verb, parts]) => `${verb} ${parts.join(', ')}`)
    .join(' ');
}

/** An EXISTS(SELECT ... WHERE <full key> AND <condition>) in a transaction: the item must exist and match. */
export function planExistsCheck(select: SelectStatement, parameters: AttributeValue[], table: TableDescription): { table: string; key: Record<string, AttributeValue>; request: Json } {
  if (select.index !== undefined) throw validation('EXISTS must read the table, not an index');
  const found = fullKey(select.where, table.KeySchema, parameters);
  if (!found) throw validation(FULL_KEY_REQUIRED);
  const placeholders = new Placeholders(parameters);
  const hash = table.KeySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  const rest = joinConditions(found.rest);
  const condition = `attribute_exists(${placeholders.name(hash)})${rest ? ` AND ${placeholders.condition(rest, Precedence.And)}` : ''}`;
  return { table: select.table, key: found.key, request: { TableName: select.table, Key: found.key, ConditionExpression: condition, ...placeholders.attributes() } };
}
