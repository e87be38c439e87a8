import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, type BatchWriteCommandInput, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Note } from './notes.ts';

/** BatchWriteItem takes at most 25 put or delete requests per call. */
export const BATCH_SIZE = 25;

/**
 * TODO 3: Write every note into the table `tableName` with BatchWriteItem
 * (`BatchWriteCommand` of the document client), 25 notes per call.
 *
 * - One call: `{ RequestItems: { [tableName]: notes.map((note) => ({ PutRequest: { Item: note } })) } }`.
 * - A batch call can succeed (HTTP 200) and still leave some writes undone when the
 *   table is busy: they come back in `UnprocessedItems`, in the same shape as
 *   `RequestItems`. The SDK does not retry them for you (the call did not fail). Send
 *   them again, after a short pause that grows each time (e.g. 50 ms, 100 ms, 200 ms),
 *   until nothing is left.
 */
export async function loadNotes(documents: DynamoDBDocumentClient, tableName: string, notes: Note[]): Promise<void> {
  // BEGIN SOLUTION TODO 3
  for (let start = 0; start < notes.length; start += BATCH_SIZE) {
    const chunk = notes.slice(start, start + BATCH_SIZE);
    let requestItems: BatchWriteCommandInput['RequestItems'] = { [tableName]: chunk.map((note) => ({ PutRequest: { Item: note } })) };
    for (let attempt = 0; requestItems && Object.keys(requestItems).length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(50 * 2 ** (attempt - 1), 1000));
      const result: BatchWriteCommandOutput = await documents.send(new BatchWriteCommand({ RequestItems: requestItems }));
      requestItems = result.UnprocessedItems;
    }
  }
  // END SOLUTION
}
