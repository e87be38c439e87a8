/**
 * Lab 09: retries, exponential backoff and jitter. The program classifies a few errors,
 * shows the backoff your TODO 2 draws, saves notes through your retry wrapper and the
 * SDK's own retries (and says how many attempts each took), then batch-loads the rest.
 * `npm run lab:9` runs it against the lab emulator, then grades each TODO (under
 * injected throttling, which only the checks can turn on).
 * You do not need to change this file: the TODOs are in the files it imports.
 */
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, waitUntilTableExists, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { backoffDelay } from './backoff.ts';
import { batchSaveNotes } from './batch-save.ts';
import { sampleNotes, saveNote } from './notes.ts';
import { createRetryBudget } from './retry-budget.ts';
import { isRetryable } from './retryable.ts';
import { createLinearBackoffClient, createRetryingClient } from './sdk-retries.ts';

const TABLE = 'RetryNotes';
const POLICY = { baseMs: 100, capMs: 2000 };

function anError(name: string, status: number, code?: string): Error {
  return Object.assign(new Error(name), { name, code, $metadata: { httpStatusCode: status } });
}

async function main(): Promise<void> {
  console.log('\nStart of the retries script\n');

  console.log('Which errors are worth a retry?');
  for (const error of [anError('ThrottlingException', 400), anError('SlowDown', 503), anError('InternalServerError', 500), anError('Error', 0, 'ECONNRESET'), anError('ValidationException', 400), anError('AccessDenied', 403), anError('ConditionalCheckFailedException', 400)]) {
    console.log(`  ${(error.name === 'Error' ? (error as Error & { code: string }).code : error.name).padEnd(32)} ${isRetryable(error) ? 'retry' : 'do not retry'}`);
  }

  console.log(`\nBackoff with full jitter (base ${POLICY.baseMs} ms, cap ${POLICY.capMs} ms), three draws per retry:`);
  for (let retry = 1; retry <= 6; retry++) {
    const ceiling = Math.min(POLICY.capMs, POLICY.baseMs * 2 ** (retry - 1));
    const draws = [1, 2, 3].map(() => Math.round(backoffDelay(retry, POLICY)));
    console.log(`  retry ${retry}: up to ${String(ceiling).padStart(4)} ms -> ${draws.join(', ')} ms`);
  }

  const client = new DynamoDBClient({ maxAttempts: 1 });
  const documents = DynamoDBDocumentClient.from(client);
  const retrying = createRetryingClient();
  const linear = createLinearBackoffClient();
  try {
    console.log(`\nCreating the table ${TABLE} in ${await client.config.region()}...`);
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [
          { AttributeName: 'year', KeyType: 'HASH' },
          { AttributeName: 'title', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'year', AttributeType: 'N' },
          { AttributeName: 'title', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await waitUntilTableExists({ client, minDelay: 1, maxWaitTime: 30 }, { TableName: TABLE });

    const notes = sampleNotes(40);
    const budget = createRetryBudget({ capacity: 20, retryCost: 5, successRefund: 1 });
    console.log('\nSaving two notes through withRetries (maxAttempts 4, a shared retry budget)...');
    for (const note of notes.slice(0, 2)) await saveNote(documents, TABLE, note, { ...POLICY, maxAttempts: 4, budget });
    console.log(`  saved; the budget holds ${budget.available} tokens`);

    console.log(`\nThe SDK's own retries: maxAttempts ${await retrying.config.maxAttempts()}`);
    for (const [label, sdkClient, note] of [['standard', retrying, notes[2]!], ['linear backoff', linear, notes[3]!]] as const) {
      const { $metadata } = await DynamoDBDocumentClient.from(sdkClient).send(new PutCommand({ TableName: TABLE, Item: note }));
      console.log(`  ${label}: ${$metadata.attempts} attempt(s), ${$metadata.totalRetryDelay} ms spent waiting between them`);
    }

    console.log(`\nBatch-loading the other ${notes.length - 4} notes...`);
    await batchSaveNotes(documents, TABLE, notes.slice(4), { ...POLICY, maxAttempts: 8 });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    console.log(`  the table holds ${Table?.ItemCount} notes`);

    await client.send(new DeleteTableCommand({ TableName: TABLE }));
    await waitUntilTableNotExists({ client, minDelay: 1, maxWaitTime: 30 }, { TableName: TABLE });
    console.log(`\nThe table ${TABLE} is gone.`);
  } finally {
    for (const each of [client, retrying, linear]) each.destroy();
  }

  console.log('\nEnd of the retries script\n');
}

main().catch((error: unknown) => {
  console.log(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exitCode = 1;
});
