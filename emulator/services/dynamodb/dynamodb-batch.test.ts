import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  PutItemCommand,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { control, createActiveTable, dynamoDbClient, notesTable, startDynamoDbEmulator } from './dynamodb-test-support.ts';

let emulator: RunningEmulator;
let client: DynamoDBClient;

const put = (year: number, title: string): WriteRequest => ({ PutRequest: { Item: { year: { N: String(year) }, title: { S: title } } } });
const key = (year: number, title: string) => ({ year: { N: String(year) }, title: { S: title } });
const titles = (count: number, prefix = 't') => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

async function itemCount(): Promise<number> {
  const state = (await control(emulator.endpoint, 'GET', 'state')) as { dynamodb: { tables: Array<{ name: string; itemCount: number }> } };
  return state.dynamodb.tables.find((table) => table.name === 'Notes')!.itemCount;
}

beforeAll(async () => {
  emulator = await startDynamoDbEmulator();
  client = dynamoDbClient(emulator.endpoint);
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.store.reset();
  await createActiveTable(client, notesTable('Notes'));
});

describe('BatchWriteItem / BatchGetItem', () => {
  it('writes 25 items and reads them back, with no unprocessed work', async () => {
    const written = await client.send(new BatchWriteItemCommand({ RequestItems: { Notes: titles(25).map((title) => put(2024, title)) } }));
    expect(written.UnprocessedItems).toEqual({});
    const read = await client.send(new BatchGetItemCommand({ RequestItems: { Notes: { Keys: titles(25).map((title) => key(2024, title)) } } }));
    expect(read.Responses?.Notes).toHaveLength(25);
    expect(read.UnprocessedKeys).toEqual({});
    expect(await itemCount()).toBe(25);
  });

  it('deletes through DeleteRequest', async () => {
    await client.send(new BatchWriteItemCommand({ RequestItems: { Notes: [put(2024, 'a'), put(2024, 'b')] } }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { Notes: [{ DeleteRequest: { Key: key(2024, 'a') } }] } }));
    expect(await itemCount()).toBe(1);
  });

  it('refuses more than 25 writes and more than 100 keys, as AWS does', async () => {
    const tooManyWrites = client.send(new BatchWriteItemCommand({ RequestItems: { Notes: titles(26).map((title) => put(2024, title)) } }));
    await expect(tooManyWrites).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 25'),
    });
    const tooManyKeys = client.send(new BatchGetItemCommand({ RequestItems: { Notes: { Keys: titles(101).map((title) => key(2024, title)) } } }));
    await expect(tooManyKeys).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 100'),
    });
  });

  it('fails on a table that is still CREATING', async () => {
    await client.send(new CreateTableCommand(notesTable('Fresh')));
    const write = client.send(new BatchWriteItemCommand({ RequestItems: { Fresh: [put(2024, 'a')] } }));
    await expect(write).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found' });
  });
});

describe("under an injected 'throughput' fault", () => {
  it('BatchWriteItem hands back UnprocessedItems, and a retry loop finishes the job', async () => {
    await control(emulator.endpoint, 'PUT', 'faults', { rules: [{ kind: 'throughput', service: 'dynamodb', operation: 'BatchWriteItem', count: 2 }] });
    let pending: Record<string, WriteRequest[]> = { Notes: titles(25).map((title) => put(2024, title)) };
    const unprocessedCounts: number[] = [];
    while (Object.keys(pending).length > 0) {
      const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: pending }));
      pending = UnprocessedItems ?? {};
      unprocessedCounts.push(pending.Notes?.length ?? 0);
    }
    // Half of each faulted batch (rounded down) is written; the third call runs without the fault.
    expect(unprocessedCounts).toEqual([13, 7, 0]);
    expect(await itemCount()).toBe(25);
    // The request log says how many writes each call carried and how many it handed back.
    const log = emulator.store.log.list().filter((entry) => entry.operation === 'BatchWriteItem');
    expect(log.map((entry) => [entry.params?.WriteRequests, entry.params?.UnprocessedWrites])).toEqual([
      ['25', '13'],
      ['13', '7'],
      ['7', undefined],
    ]);
  });

  it('BatchGetItem hands back UnprocessedKeys with the request options', async () => {
    await client.send(new BatchWriteItemCommand({ RequestItems: { Notes: titles(4).map((title) => put(2024, title)) } }));
    await control(emulator.endpoint, 'PUT', 'faults', { rules: [{ kind: 'throughput', operation: 'BatchGetItem', count: 1 }] });
    const request: Record<string, KeysAndAttributes> = { Notes: { Keys: titles(4).map((title) => key(2024, title)), ProjectionExpression: 'title' } };
    const first = await client.send(new BatchGetItemCommand({ RequestItems: request }));
    expect(first.Responses?.Notes?.map((item) => item.title?.S)).toHaveLength(2);
    expect(first.UnprocessedKeys?.Notes).toEqual({ Keys: [key(2024, 't02'), key(2024, 't03')], ProjectionExpression: 'title' });

    const second = await client.send(new BatchGetItemCommand({ RequestItems: first.UnprocessedKeys }));
    expect(second.Responses?.Notes?.map((item) => item.title?.S).sort()).toEqual(['t02', 't03']);
    expect(second.UnprocessedKeys).toEqual({});
  });

  it('single-item calls still fail with ProvisionedThroughputExceededException, and throttling with ThrottlingException', async () => {
    await control(emulator.endpoint, 'PUT', 'faults', {
      rules: [
        { kind: 'throughput', service: 'dynamodb', operation: 'PutItem', count: 1 },
        { kind: 'throttle', service: 'dynamodb', operation: 'BatchWriteItem', count: 1 },
      ],
    });
    await expect(client.send(new PutItemCommand({ TableName: 'Notes', Item: key(2024, 'x') }))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    await expect(client.send(new BatchWriteItemCommand({ RequestItems: { Notes: [put(2024, 'y')] } }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});
