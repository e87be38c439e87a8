import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withRetries, type RetryOptions } from './with-retries.ts';

/** One note: `year` (Number) is the table's partition key, `title` its sort key. */
export interface Note {
  year: number;
  title: string;
  author: string;
  body: string;
}

/** Saves one note with PutItem, through your retry wrapper (TODO 3). */
export async function saveNote(documents: DynamoDBDocumentClient, tableName: string, note: Note, options: RetryOptions): Promise<void> {
  await withRetries(() => documents.send(new PutCommand({ TableName: tableName, Item: note })), options);
}

/** A few notes for the program, made up like the course's. */
export function sampleNotes(count: number): Note[] {
  const topics = ['Throttling', 'Exponential backoff', 'Jitter', 'Retry budgets', 'Idempotency', 'Timeouts'];
  return Array.from({ length: count }, (_, i) => ({
    year: 2024 + (i % 2),
    title: `${topics[i % topics.length]} #${i + 1}`,
    author: ['Kim, Minji', 'Lee, Seojun', 'Park, Jiwoo'][i % 3]!,
    body: `Notes on ${topics[i % topics.length]!.toLowerCase()}.`,
  }));
}
