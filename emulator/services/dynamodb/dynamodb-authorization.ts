import type { AuthorizationRequest, RequestContext } from '../../pipeline/context.ts';
import { tableDescription } from './dynalite-engine.ts';
import { engineFor } from './dynamodb-state.ts';

type Json = Record<string, unknown>;
type AttributeValue = Record<string, unknown>;

/**
 * What IAM evaluates for a DynamoDB call: `dynamodb:<Op>` on the table ARN (the index
 * ARN for Query/Scan with IndexName; every table of a batch), and `dynamodb:LeadingKeys`
 * (the partition key values the call touches) when the table's key schema is known.
 */
export function dynamoDbAuthorization(ctx: RequestContext): AuthorizationRequest {
  const operation = ctx.operation ?? '';
  const request = ctx.json ?? {};
  const accountId = ctx.caller.accountId;
  const tableArn = (table: string) => `arn:aws:dynamodb:${ctx.region}:${accountId}:table/${table}`;
  const authorization: AuthorizationRequest = { action: `dynamodb:${operation}`, resources: ['*'], resourceAccount: accountId };

  const tables = tablesOf(operation, request);
  if (operation === 'TagResource' || operation === 'UntagResource' || operation === 'ListTagsOfResource') {
    authorization.resources = [String(request.ResourceArn ?? '*')];
  } else if (tables.length > 0) {
    const index = typeof request.IndexName === 'string' ? `/index/${request.IndexName}` : '';
    authorization.resources = tables.map((table) => tableArn(table) + index);
  }

  const leadingKeys = leadingKeysOf(ctx, operation, request);
  if (leadingKeys.length > 0) authorization.conditions = { 'dynamodb:LeadingKeys': leadingKeys };
  return authorization;
}

function tablesOf(operation: string, request: Json): string[] {
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') return Object.keys(asObject(request.RequestItems));
  return typeof request.TableName === 'string' ? [request.TableName] : [];
}

/** Partition key values, as strings (IAM compares strings), of the items or keys in the request. */
function leadingKeysOf(ctx: RequestContext, operation: string, request: Json): string[] {
  const engine = engineFor(ctx.store, ctx.caller.accountId, ctx.region);
  const hashKeyOf = (table: string) => tableDescription(engine, table)?.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const values: unknown[] = [];
  const table = String(request.TableName ?? '');

  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      values.push(pick(request.Key, hashKeyOf(table)));
      break;
    case 'PutItem':
      values.push(pick(request.Item, hashKeyOf(table)));
      break;
    case 'Query':
      if (request.IndexName === undefined) values.push(queriedPartition(request, hashKeyOf(table)));
      break;
    case 'BatchGetItem':
      for (const [name, entry] of Object.entries(asObject(request.RequestItems))) {
        for (const key of asArray(asObject(entry).Keys)) values.push(pick(key, hashKeyOf(name)));
      }
      break;
    case 'BatchWriteItem':
      for (const [name, writes] of Object.entries(asObject(request.RequestItems))) {
        for (const write of asArray(writes)) {
          const { PutRequest, DeleteRequest } = asObject(write);
          values.push(pick(asObject(PutRequest).Item ?? asObject(DeleteRequest).Key, hashKeyOf(name)));
        }
      }
      break;
  }
  return [...new Set(values.filter((value): value is string => typeof value === 'string'))];
}

/** The value compared with `=` to the partition key in a KeyConditionExpression, in either order. */
function queriedPartition(request: Json, hashKey: string | undefined): unknown {
  if (!hashKey || typeof request.KeyConditionExpression !== 'string') return undefined;
  const names = asObject(request.ExpressionAttributeNames);
  const values = asObject(request.ExpressionAttributeValues);
  for (const match of request.KeyConditionExpression.matchAll(/([#:]?[\w.]+)\s*=\s*([#:]?[\w.]+)/g)) {
    const [left, right] = [match[1]!, match[2]!];
    const [name, value] = left.startsWith(':') ? [right, left] : [left, right];
    const resolved = name.startsWith('#') ? names[name] : name;
    if (resolved === hashKey && value.startsWith(':')) return scalar(values[value]);
  }
  return undefined;
}

function pick(item: unknown, attribute: string | undefined): unknown {
  return attribute ? scalar(asObject(item)[attribute]) : undefined;
}

/** A key attribute's value as IAM sees it: the S, N or B (base64) text. */
function scalar(value: unknown): unknown {
  const attribute = asObject(value) as AttributeValue;
  return attribute.S ?? attribute.N ?? attribute.B;
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
