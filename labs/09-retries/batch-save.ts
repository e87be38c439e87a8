import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, type BatchWriteCommandInput, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backoffDelay } from './backoff.ts';
import type { Note } from './notes.ts';
import type { RetryOptions } from './with-retries.ts';

/** BatchWriteItem takes at most 25 put or delete requests per call. */
export const BATCH_SIZE = 25;

/**
 * TODO 5: Writes every note with BatchWriteItem (`BatchWriteCommand`), 25 per call,
 * and makes sure each one lands.
 *
 * Under load, DynamoDB answers a batch call with HTTP 200 and hands part of the work back
 * in `UnprocessedItems` (same shape as `RequestItems`). That is not an error, so neither
 * the SDK nor your withRetries will retry it: send `UnprocessedItems` again yourself,
 * after `backoffDelay(retry, options, options.random)` milliseconds (retry 1, 2, ...),
 * until nothing is left. After `options.maxAttempts` calls for one batch with work still
 * unprocessed, throw an Error that says how many notes were not written.
 * (AWS: "we strongly recommend that you use an exponential backoff algorithm" for
 * unprocessed items, BatchWriteItem in the DynamoDB API reference.)
 */
export async function batchSaveNotes(documents: DynamoDBDocumentClient, tableName: string, notes: Note[], options: RetryOptions): Promise<void> {
  // BEGIN SOLUTION TODO 5
  for (let start = 0; start < notes.length; start += BATCH_SIZE) {
    let requestItems: BatchWriteCommandInput['RequestItems'] = { [tableName]: notes.slice(start, start + BATCH_SIZE).map((note) => ({ PutRequest: { Item: note } })) };
    for (let attempt = 1; ; attempt++) {
      const { UnprocessedItems }: BatchWriteCommandOutput = await documents.send(new BatchWriteCommand({ RequestItems: requestItems }));
      const left = UnprocessedItems?.[tableName]?.length ?? 0;
      if (left === 0) break;
      if (attempt >= options.maxAttempts) throw new Error(`${left} notes were not written after ${attempt} BatchWriteItem calls`);
      await sleep(backoffDelay(attempt, options, options.random));
      requestItems = UnprocessedItems;
    }
  }
  // END SOLUTION
}
