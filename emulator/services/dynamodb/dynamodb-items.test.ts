import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand as DocumentQueryCommand, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { createActiveTable, dynamoDbClient, notesTable, notesTableByAuthor, startDynamoDbEmulator } from './dynamodb-test-support.ts';

let emulator: RunningEmulator;
let client: DynamoDBClient;

const note = (year: number, title: string, extra: Record<string, AttributeValue> = {}) => ({
  year: { N: String(year) },
  title: { S: title },
  ...extra,
});
const key = (year: number, title: string) => ({ year: { N: String(year) }, title: { S: title } });

beforeAll(async () => {
  emulator = await startDynamoDbEmulator();
  client = dynamoDbClient(emulator.endpoint);
  await createActiveTable(client, notesTable('Notes'));
  await createActiveTable(client, notesTableByAuthor('Library'));
  // 2020: ten notes n0..n9 with a rating 0..9; 2021: three notes.
  for (let i = 0; i < 10; i += 1) {
    await client.send(new PutItemCommand({ TableName: 'Notes', Item: note(2020, `n${i}`, { rating: { N: String(i) } }) }));
  }
  for (const title of ['alpha', 'beta', 'gamma']) await client.send(new PutItemCommand({ TableName: 'Notes', Item: note(2021, title) }));
});
afterAll(() => emulator.stop());

describe('PutItem / GetItem / DeleteItem', () => {
  it('stores an item, reads it back, and deletes it with ReturnValues', async () => {
    await client.send(new PutItemCommand({ TableName: 'Notes', Item: note(1999, 'put', { body: { S: 'hello' }, tags: { SS: ['a', 'b'] } }) }));
    const { Item } = await client.send(new GetItemCommand({ TableName: 'Notes', Key: key(1999, 'put') }));
    expect(Item).toEqual(note(1999, 'put', { body: { S: 'hello' }, tags: { SS: ['a', 'b'] } }));

    const projected = await client.send(
      new GetItemCommand({ TableName: 'Notes', Key: key(1999, 'put'), ProjectionExpression: '#b', ExpressionAttributeNames: { '#b': 'body' } }),
    );
    expect(projected.Item).toEqual({ body: { S: 'hello' } });

    const deleted = await client.send(new DeleteItemCommand({ TableName: 'Notes', Key: key(1999, 'put'), ReturnValues: 'ALL_OLD' }));
    expect(deleted.Attributes?.body).toEqual({ S: 'hello' });
    expect((await client.send(new GetItemCommand({ TableName: 'Notes', Key: key(1999, 'put') }))).Item).toBeUndefined();
  });

  it('enforces ConditionExpression with ConditionalCheckFailedException', async () => {
    const create = () =>
      client.send(
        new PutItemCommand({
          TableName: 'Notes',
          Item: note(1998, 'once'),
          ConditionExpression: 'attribute_not_exists(#t)',
          ExpressionAttributeNames: { '#t': 'title' },
        }),
      );
    await create();
    await expect(create()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException', message: 'The conditional request failed' });

    const guardedDelete = client.send(
      new DeleteItemCommand({ TableName: 'Notes', Key: key(1998, 'once'), ConditionExpression: 'rating > :r', ExpressionAttributeValues: { ':r': { N: '1' } } }),
    );
    await expect(guardedDelete).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('rejects keys that do not match the schema and unknown tables', async () => {
    await expect(client.send(new GetItemCommand({ TableName: 'Notes', Key: { year: { S: '2020' }, title: { S: 'n1' } } }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'The provided key element does not match the schema',
    });
    await expect(client.send(new GetItemCommand({ TableName: 'Nope', Key: key(2020, 'n1') }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found',
    });
  });
});

describe('UpdateItem', () => {
  it('applies SET, REMOVE, ADD and DELETE and returns what ReturnValues asks for', async () => {
    await client.send(new PutItemCommand({ TableName: 'Notes', Item: note(1997, 'edit', { body: { S: 'old' }, views: { N: '1' }, tags: { SS: ['x', 'y'] } }) }));
    const updated = await client.send(
      new UpdateItemCommand({
        TableName: 'Notes',
        Key: key(1997, 'edit'),
        UpdateExpression: 'SET #b = :body, edited = if_not_exists(edited, :yes) REMOVE obsolete ADD #v :one DELETE tags :x',
        ExpressionAttributeNames: { '#b': 'body', '#v': 'views' },
        ExpressionAttributeValues: { ':body': { S: 'new' }, ':yes': { BOOL: true }, ':one': { N: '1' }, ':x': { SS: ['x'] } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(updated.Attributes).toEqual(note(1997, 'edit', { body: { S: 'new' }, edited: { BOOL: true }, views: { N: '2' }, tags: { SS: ['y'] } }));

    const old = await client.send(
      new UpdateItemCommand({
        TableName: 'Notes',
        Key: key(1997, 'edit'),
        UpdateExpression: 'REMOVE edited',
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    expect(old.Attributes).toEqual({ edited: { BOOL: true } });
  });

  it('fails its ConditionExpression and reports bad expressions as ValidationException', async () => {
    const conditional = client.send(
      new UpdateItemCommand({
        TableName: 'Notes',
        Key: key(2020, 'n1'),
        UpdateExpression: 'SET rating = :r',
        ConditionExpression: 'rating = :expected',
        ExpressionAttributeValues: { ':r': { N: '5' }, ':expected': { N: '9' } },
      }),
    );
    await expect(conditional).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });

    const missingValue = client.send(new UpdateItemCommand({ TableName: 'Notes', Key: key(2020, 'n1'), UpdateExpression: 'SET rating = :r' }));
    await expect(missingValue).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :r',
    });
  });
});

describe('Query', () => {
  const year = (value: number) => ({ ':y': { N: String(value) } });
  const titles = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((item) => item.title?.S);

  it('selects a partition with =, sorts by the range key and honours ScanIndexForward', async () => {
    const forward = await client.send(
      new QueryCommand({ TableName: 'Notes', KeyConditionExpression: '#y = :y', ExpressionAttributeNames: { '#y': 'year' }, ExpressionAttributeValues: year(2021) }),
    );
    expect(titles(forward.Items)).toEqual(['alpha', 'beta', 'gamma']);
    const backward = await client.send(
      new QueryCommand({
        TableName: 'Notes',
        KeyConditionExpression: '#y = :y',
        ExpressionAttributeNames: { '#y': 'year' },
        ExpressionAttributeValues: year(2021),
        ScanIndexForward: false,
      }),
    );
    expect(titles(backward.Items)).toEqual(['gamma', 'beta', 'alpha']);
  });

  it.each([
    ['title < :a', { ':a': { S: 'beta' } }, ['alpha']],
    ['title <= :a', { ':a': { S: 'beta' } }, ['alpha', 'beta']],
    ['title > :a', { ':a': { S: 'beta' } }, ['gamma']],
    ['title >= :a', { ':a': { S: 'beta' } }, ['beta', 'gamma']],
    ['title = :a', { ':a': { S: 'beta' } }, ['beta']],
    ['title BETWEEN :a AND :b', { ':a': { S: 'b' }, ':b': { S: 'h' } }, ['beta', 'gamma']],
    ['begins_with(title, :a)', { ':a': { S: 'ga' } }, ['gamma']],
  ])('narrows the sort key with %s', async (condition, values, expected) => {
    const { Items } = await client.send(
      new QueryCommand({
        TableName: 'Notes',
        KeyConditionExpression: `#y = :y AND ${condition}`,
        ExpressionAttributeNames: { '#y': 'year' },
        ExpressionAttributeValues: { ...year(2021), ...values },
      }),
    );
    expect(titles(Items)).toEqual(expected);
  });

  it('filters after reading, projects, and counts', async () => {
    const filtered = await client.send(
      new QueryCommand({
        TableName: 'Notes',
        KeyConditionExpression: '#y = :y',
        FilterExpression: 'rating >= :min',
        ProjectionExpression: 'title, rating',
        ExpressionAttributeNames: { '#y': 'year' },
        ExpressionAttributeValues: { ...year(2020), ':min': { N: '7' } },
      }),
    );
    expect(filtered).toMatchObject({ Count: 3, ScannedCount: 10 });
    expect(filtered.Items).toEqual([
      { title: { S: 'n7' }, rating: { N: '7' } },
      { title: { S: 'n8' }, rating: { N: '8' } },
      { title: { S: 'n9' }, rating: { N: '9' } },
    ]);

    const counted = await client.send(
      new QueryCommand({ TableName: 'Notes', KeyConditionExpression: '#y = :y', ExpressionAttributeNames: { '#y': 'year' }, ExpressionAttributeValues: year(2020), Select: 'COUNT' }),
    );
    expect(counted).toMatchObject({ Count: 10 });
    expect(counted.Items).toBeUndefined();
  });

  it('pages with Limit, LastEvaluatedKey and ExclusiveStartKey', async () => {
    const seen: string[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: 'Notes',
          KeyConditionExpression: '#y = :y',
          ExpressionAttributeNames: { '#y': 'year' },
          ExpressionAttributeValues: year(2020),
          Limit: 4,
          ExclusiveStartKey: startKey,
        }),
      );
      seen.push(...(titles(page.Items) as string[]));
      startKey = page.LastEvaluatedKey;
      pages += 1;
    } while (startKey);
    expect(pages).toBe(3);
    expect(seen).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
  });

  it('queries a global secondary index by IndexName', async () => {
    await client.send(new PutItemCommand({ TableName: 'Library', Item: note(2001, 'Dune', { author: { S: 'Herbert' } }) }));
    await client.send(new PutItemCommand({ TableName: 'Library', Item: note(1999, 'Emma', { author: { S: 'Austen' } }) }));
    const { Items } = await client.send(
      new QueryCommand({ TableName: 'Library', IndexName: 'by-author', KeyConditionExpression: 'author = :a', ExpressionAttributeValues: { ':a': { S: 'Herbert' } } }),
    );
    expect(titles(Items)).toEqual(['Dune']);
  });

  it('rejects a key condition on a non-key attribute', async () => {
    const query = client.send(new QueryCommand({ TableName: 'Notes', KeyConditionExpression: 'rating = :r', ExpressionAttributeValues: { ':r': { N: '1' } } }));
    await expect(query).rejects.toMatchObject({ name: 'ValidationException', message: 'Query condition missed key schema element: year' });
  });
});

describe('Scan', () => {
  it('filters and pages through the whole table', async () => {
    const everything: string[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: 'Notes', FilterExpression: 'attribute_exists(rating) AND rating < :r', ExpressionAttributeValues: { ':r': { N: '5' } }, Limit: 3, ExclusiveStartKey: startKey }),
      );
      everything.push(...(page.Items ?? []).map((item) => item.title!.S!));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    expect(everything.sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
  });
});

describe('through the DynamoDB document client (lib-dynamodb)', () => {
  it('puts, updates, gets and paginates native JavaScript values', async () => {
    const documents = DynamoDBDocumentClient.from(client);
    await documents.send(new PutCommand({ TableName: 'Notes', Item: { year: 1990, title: 'doc', tags: ['x'], meta: { pages: 3 } } }));
    await documents.send(
      new UpdateCommand({ TableName: 'Notes', Key: { year: 1990, title: 'doc' }, UpdateExpression: 'SET meta.pages = meta.pages + :n', ExpressionAttributeValues: { ':n': 2 } }),
    );
    const { Item } = await documents.send(new GetCommand({ TableName: 'Notes', Key: { year: 1990, title: 'doc' } }));
    expect(Item).toEqual({ year: 1990, title: 'doc', tags: ['x'], meta: { pages: 5 } });

    const pages = paginateQuery(
      { client: documents, pageSize: 3 },
      { TableName: 'Notes', KeyConditionExpression: '#y = :y', ExpressionAttributeNames: { '#y': 'year' }, ExpressionAttributeValues: { ':y': 2020 } },
    );
    const ratings: number[] = [];
    for await (const page of pages) ratings.push(...(page.Items ?? []).map((item) => item.rating as number));
    expect(ratings).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const query = await documents.send(
      new DocumentQueryCommand({ TableName: 'Notes', KeyConditionExpression: '#y = :y', ExpressionAttributeNames: { '#y': 'year' }, ExpressionAttributeValues: { ':y': 2021 }, Select: 'COUNT' }),
    );
    expect(query.Count).toBe(3);
  });
});
