import { beforeAll, describe, expect, it } from 'vitest';
import { rootCaller } from '../../core/identity.ts';
import { Store } from '../../core/store.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { execute, validate } from './dynalite-engine.ts';
import { dynamoDbAuthorization } from './dynamodb-authorization.ts';
import { engineFor } from './dynamodb-state.ts';
import { notesTable } from './dynamodb-test-support.ts';

const store = new Store();
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const NOTES_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Notes`;

/** Only what authorization reads: the parsed request, operation, caller and region. */
function authorizationOf(operation: string, json: Record<string, unknown>) {
  const ctx = { store, operation, json, region: REGION, caller: rootCaller(ACCOUNT) } as unknown as RequestContext;
  return dynamoDbAuthorization(ctx);
}

beforeAll(async () => {
  const engine = engineFor(store, ACCOUNT, REGION);
  await execute(engine, 'CreateTable', validate(engine, 'CreateTable', { ...notesTable('Notes') }));
});

describe('dynamoDbAuthorization', () => {
  it('names the action and the table ARN in the caller account and region', () => {
    expect(authorizationOf('DescribeTable', { TableName: 'Notes' })).toEqual({
      action: 'dynamodb:DescribeTable',
      resources: [NOTES_ARN],
      resourceAccount: ACCOUNT,
    });
    expect(authorizationOf('ListTables', {}).resources).toEqual(['*']);
  });

  it('uses the index ARN for a query on an index, and every table of a batch', () => {
    expect(authorizationOf('Query', { TableName: 'Notes', IndexName: 'by-author' }).resources).toEqual([`${NOTES_ARN}/index/by-author`]);
    const batch = authorizationOf('BatchGetItem', { RequestItems: { Notes: { Keys: [] }, Other: { Keys: [] } } });
    expect(batch.resources).toEqual([NOTES_ARN, `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Other`]);
  });

  it('reports dynamodb:LeadingKeys from keys, items, batches and the key condition', () => {
    const leading = (operation: string, json: Record<string, unknown>) => authorizationOf(operation, json).conditions?.['dynamodb:LeadingKeys'];
    expect(leading('GetItem', { TableName: 'Notes', Key: { year: { N: '2024' }, title: { S: 'a' } } })).toEqual(['2024']);
    expect(leading('PutItem', { TableName: 'Notes', Item: { year: { N: '2023' }, title: { S: 'a' } } })).toEqual(['2023']);
    expect(
      leading('BatchWriteItem', {
        RequestItems: {
          Notes: [{ PutRequest: { Item: { year: { N: '1' }, title: { S: 'a' } } } }, { DeleteRequest: { Key: { year: { N: '2' }, title: { S: 'b' } } } }],
        },
      }),
    ).toEqual(['1', '2']);
    expect(
      leading('Query', {
        TableName: 'Notes',
        KeyConditionExpression: '#y = :y AND begins_with(title, :t)',
        ExpressionAttributeNames: { '#y': 'year' },
        ExpressionAttributeValues: { ':y': { N: '2022' }, ':t': { S: 'x' } },
      }),
    ).toEqual(['2022']);
    // Unknown table: no key schema, so no condition key rather than a guess.
    expect(leading('GetItem', { TableName: 'Missing', Key: { id: { S: 'x' } } })).toBeUndefined();
  });
});
