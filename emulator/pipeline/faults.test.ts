import { BatchWriteItemCommand, ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../server.ts';
import { control, createActiveTable, dynamoDbClient, notesTable, startDynamoDbEmulator } from '../services/dynamodb/dynamodb-test-support.ts';

/**
 * Injected faults are deterministic per seed (issue 10: "which request fails, and how"):
 * a rule with a probability lets the same requests through on every run with the same
 * seed and requests, whatever the process, and the seed is part of the fault settings.
 */
let emulator: RunningEmulator;
let client: DynamoDBClient;

beforeAll(async () => {
  emulator = await startDynamoDbEmulator();
  client = dynamoDbClient(emulator.endpoint);
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.store.reset());

/** Which of `count` ListTables calls were throttled, as a string of x (throttled) and . (answered). */
async function throttlePattern(faults: unknown, count = 40): Promise<string> {
  await control(emulator.endpoint, 'PUT', 'faults', faults);
  let pattern = '';
  for (let i = 0; i < count; i++) {
    pattern += await client.send(new ListTablesCommand({})).then(
      () => '.',
      (error: Error) => {
        if (error.name !== 'ThrottlingException') throw error;
        return 'x';
      },
    );
  }
  return pattern;
}

describe('fault probability, drawn from the settings seed', () => {
  const halfTheTime = (seed?: number) => ({ rules: [{ kind: 'throttle', service: 'dynamodb', probability: 0.5 }], ...(seed === undefined ? {} : { seed }) });

  it('throttles the same requests again when the same faults and seed are set again', async () => {
    const first = await throttlePattern(halfTheTime(20261130));
    const again = await throttlePattern(halfTheTime(20261130));
    expect(again).toBe(first);
    // About half, and not all at one end: a probability, not a count.
    const throttled = [...first].filter((c) => c === 'x').length;
    expect(throttled).toBeGreaterThan(10);
    expect(throttled).toBeLessThan(30);
    expect(first).toMatch(/^[x.]*\.x|^[x.]*x\./);
  });

  it('throttles other requests with another seed, and the same ones without a seed each time', async () => {
    expect(await throttlePattern(halfTheTime(1))).not.toBe(await throttlePattern(halfTheTime(2)));
    expect(await throttlePattern(halfTheTime())).toBe(await throttlePattern(halfTheTime()));
  });

  it('starts again from the seed after a reset of the store', async () => {
    const first = await throttlePattern(halfTheTime(77));
    emulator.store.reset();
    expect(await throttlePattern(halfTheTime(77))).toBe(first);
  });

  it('hands back the same BatchWriteItem work as unprocessed for the same seed', async () => {
    const run = async (): Promise<string> => {
      emulator.store.reset();
      await createActiveTable(client, notesTable('Notes'));
      await control(emulator.endpoint, 'PUT', 'faults', { rules: [{ kind: 'throughput', service: 'dynamodb', operation: 'BatchWriteItem', probability: 0.5 }], seed: 9 });
      let pattern = '';
      for (let i = 0; i < 20; i++) {
        const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { Notes: [{ PutRequest: { Item: { year: { N: '2024' }, title: { S: `t${i}` } } } }] } }));
        pattern += Object.keys(answer.UnprocessedItems ?? {}).length > 0 ? 'u' : '.';
      }
      return pattern;
    };
    const first = await run();
    expect(first).toMatch(/u/);
    expect(first).toMatch(/\./);
    expect(await run()).toBe(first);
  });

  it('shows the seed in the settings and refuses one that is not a 32-bit unsigned integer', async () => {
    expect(await control(emulator.endpoint, 'PUT', 'faults', halfTheTime(5))).toMatchObject({ seed: 5 });
    expect(await control(emulator.endpoint, 'GET', 'faults')).toMatchObject({ seed: 5 });
    for (const seed of [-1, 1.5, 2 ** 32, '5']) {
      await expect(control(emulator.endpoint, 'PUT', 'faults', halfTheTime(seed as number)), String(seed)).rejects.toThrow(/400.*seed must be an integer from 0 to 4294967295/);
    }
    // A refused PUT changes nothing.
    expect(await control(emulator.endpoint, 'GET', 'faults')).toMatchObject({ seed: 5 });
  });
});
