/**
 * Lab 09 (retries, exponential backoff and jitter): graded under deterministic faults the
 * emulator injects (which request fails, and how), on the request log (how many attempts,
 * how far apart) and on DynamoDB state, never on what the program prints. The checks that
 * run retrying code run it on virtual time with the emulator's clock frozen: a backoff
 * pause costs no real time, and the log shows it to the millisecond.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { RequestLogEntry } from '../emulator/core/request-log.ts';
import { check, CheckFailure, type CheckContext } from './support/index.ts';

type RetryableModule = typeof import('../labs/09-retries/retryable.ts');
type BackoffModule = typeof import('../labs/09-retries/backoff.ts');
type NotesModule = typeof import('../labs/09-retries/notes.ts');
type BudgetModule = typeof import('../labs/09-retries/retry-budget.ts');
type SdkRetriesModule = typeof import('../labs/09-retries/sdk-retries.ts');
type BatchModule = typeof import('../labs/09-retries/batch-save.ts');

interface Note {
  year: number;
  title: string;
  author: string;
  body: string;
}

// --- harness helpers ------------------------------------------------------------------

/**
 * What a promise rejected with (a call meant to fail). The harness's own failures (the
 * check's time is up and the student's process was stopped) and the starter's stub are
 * not the error the check is after: they end the check as they are.
 */
async function rejection(promise: Promise<unknown>, succeeded = 'harness: the call meant to fail succeeded'): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    // The starter's stub is not the error the check waits for either: it reports itself.
    if (error instanceof CheckFailure || /TODO \d+ is not implemented yet/.test((error as Error)?.message)) throw error;
    return error as Error;
  }
  throw new CheckFailure(succeeded);
}

/** An error as a test double would make one: a name, an HTTP status, maybe a Node errno code. */
function madeUpError(name: string, status?: number, code?: string): Error {
  return Object.assign(new Error(`${name} (made up by the check)`), { name, code, $metadata: status === undefined ? {} : { httpStatusCode: status } });
}

function tableName(ctx: CheckContext): string {
  return `retry-notes-${ctx.random.suffix(8)}`;
}

/** The notes table, ACTIVE: the check moves the emulator's clock past CREATING instead of waiting. */
async function createTable(ctx: CheckContext, client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
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
  await ctx.advanceClock(5);
  const status = (await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus;
  if (status !== 'ACTIVE') throw new Error(`harness: table ${name} is ${status} after the clock moved`);
}

/** A check's own notes table, ACTIVE, with the clients to reach it. */
async function notesTable(ctx: CheckContext): Promise<{ client: DynamoDBClient; documents: DynamoDBDocumentClient; name: string }> {
  const client = ctx.dynamodb();
  const name = tableName(ctx);
  await createTable(ctx, client, name);
  return { client, documents: DynamoDBDocumentClient.from(client), name };
}

function someNotes(ctx: CheckContext, count: number): Note[] {
  return Array.from({ length: count }, (_, i) => ({
    year: ctx.random.int(2020, 2025),
    title: `Backoff note ${i + 1} ${ctx.random.suffix(6)}`,
    author: ctx.random.pick(['Kim, Minji', 'Lee, Seojun', 'Park, Jiwoo']),
    body: 'Made up for this run.',
  }));
}

/** The attempts of one operation, in order, from the request log. */
async function attempts(ctx: CheckContext, operation: string): Promise<RequestLogEntry[]> {
  return ctx.requests({ operation });
}

/** Milliseconds between consecutive log entries (the emulator's clock is frozen but for the pauses). */
function gaps(entries: RequestLogEntry[]): number[] {
  return entries.slice(1).map((entry, i) => Date.parse(entry.time) - Date.parse(entries[i]!.time));
}

const ceilingOf = (retry: number, base: number, cap: number) => Math.min(cap, base * 2 ** (retry - 1));

/** Each pause no longer than its backoff ceiling, and the client did pause. */
function expectBackoffPauses(ctx: CheckContext, pauses: number[], base: number, cap: number, what: string): void {
  pauses.forEach((pause, i) => {
    const ceiling = ceilingOf(i + 1, base, cap);
    ctx.expectTrue(pause <= ceiling + 1, `${what}: the pause before retry ${i + 1} was ${pause} ms, over its backoff ceiling min(${cap}, ${base} × 2^${i}) = ${ceiling} ms.`);
  });
  ctx.expectTrue(pauses.length === 0 || pauses.some((pause) => pause > 0), `${what}: retried at once, with no pause at all (${pauses.length} retries, 0 ms apart). Wait backoffDelay(retry, ...) ms before each retry.`);
}

// --- TODO 1: which errors to retry --------------------------------------------------------

check(
  {
    todo: 1,
    name: 'retries throttling, 5xx errors, timeouts and dropped connections',
    points: 3,
    hint: "Throttling has a different name in each service (ThrottlingException, Throttling, SlowDown, ProvisionedThroughputExceededException, ...): look at the error's name. A 5xx is the service's own failure: look at $metadata.httpStatusCode. A request that got no answer (TimeoutError, ECONNRESET) may well work next time.",
    recipe: 'THROTTLING_ERRORS.includes(error.name) || error.name === "TimeoutError" || CONNECTION_ERRORS.includes(error.code) || [500, 502, 503, 504].includes(error.$metadata?.httpStatusCode)',
    needs: ['fault-injection'],
  },
  async (ctx) => {
    const dynamodb = ctx.dynamodb();
    const s3 = ctx.s3();
    const sts = ctx.sts();
    const real: Array<[string, () => Promise<unknown>, Parameters<CheckContext['setFaults']>[0]]> = [
      ['DynamoDB ThrottlingException (HTTP 400)', () => dynamodb.send(new ListTablesCommand({})), { rules: [{ kind: 'throttle', service: 'dynamodb', count: 1 }] }],
      ['DynamoDB ProvisionedThroughputExceededException (HTTP 400)', () => dynamodb.send(new PutItemCommand({ TableName: 'any', Item: { year: { N: '1' } } })), { rules: [{ kind: 'throughput', service: 'dynamodb', count: 1 }] }],
      ['DynamoDB InternalServerError (HTTP 500)', () => dynamodb.send(new ListTablesCommand({})), { rules: [{ kind: 'internal', service: 'dynamodb', count: 1 }] }],
      ['S3 SlowDown (HTTP 503)', () => s3.send(new ListBucketsCommand({})), { rules: [{ kind: 'throttle', service: 's3', count: 1 }] }],
      ['S3 internal error (HTTP 500)', () => s3.send(new ListBucketsCommand({})), { rules: [{ kind: 'internal', service: 's3', count: 1 }] }],
      ['STS Throttling (HTTP 400)', () => sts.send(new GetCallerIdentityCommand({})), { rules: [{ kind: 'throttle', service: 'sts', count: 1 }] }],
    ];
    const cases: Array<[string, Error]> = [];
    for (const [label, call, faults] of real) {
      await ctx.setFaults(faults);
      cases.push([label, await rejection(call())]);
    }
    cases.push(
      ['EC2 RequestLimitExceeded (HTTP 503)', madeUpError('RequestLimitExceeded', 503)],
      ['a 502 Bad Gateway', madeUpError('BadGateway', 502)],
      ['a 504 Gateway Timeout', madeUpError('GatewayTimeout', 504)],
      ['a TimeoutError (no answer in time)', madeUpError('TimeoutError')],
      ['a connection reset (code ECONNRESET)', madeUpError('Error', undefined, 'ECONNRESET')],
      ['a broken pipe (code EPIPE)', madeUpError('Error', undefined, 'EPIPE')],
    );
    const { isRetryable } = await ctx.load<RetryableModule>('retryable.ts');
    const wrong: string[] = [];
    for (const [label, error] of ctx.random.shuffle(cases)) if ((await isRetryable(error)) !== true) wrong.push(label);
    ctx.expectTrue(wrong.length === 0, `isRetryable(error) is not true for: ${wrong.join('; ')}. Each of these can succeed on a later attempt.`);
  },
);

check(
  {
    todo: 1,
    name: 'never retries a client error: validation, bad keys, a missing resource, a failed condition',
    points: 3,
    hint: "A 4xx other than throttling is the caller's mistake: the same request fails the same way every time. Retrying it only delays the error and costs money. Only the cases the TODO names are retryable; everything else (and anything that is not an Error) is not.",
    needs: ['fault-injection', 'clock-control'],
  },
  async (ctx) => {
    const dynamodb = ctx.dynamodb();
    const s3 = ctx.s3();
    const name = tableName(ctx);
    await createTable(ctx, dynamodb, name);
    const item = { year: { N: '2024' }, title: { S: 'once' } };
    await dynamodb.send(new PutItemCommand({ TableName: name, Item: item }));
    const cases: Array<[string, unknown]> = [
      ['DynamoDB ValidationException (a CreateTable without AttributeDefinitions)', await rejection(dynamodb.send(new CreateTableCommand({ TableName: `${name}-bad`, KeySchema: [{ AttributeName: 'year', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' } as never)))],
      ['DynamoDB ResourceNotFoundException (no such table)', await rejection(dynamodb.send(new DescribeTableCommand({ TableName: `${name}-missing` })))],
      ['DynamoDB ConditionalCheckFailedException', await rejection(dynamodb.send(new PutItemCommand({ TableName: name, Item: item, ConditionExpression: 'attribute_not_exists(title)' })))],
      ['S3 NoSuchBucket (HTTP 404)', await rejection(s3.send(new GetObjectCommand({ Bucket: ctx.bucketName('missing'), Key: 'notes.txt' })))],
      ['S3 InvalidAccessKeyId (HTTP 403)', await rejection(ctx.s3({ credentials: { accessKeyId: 'AKIAUNKNOWN0000000000', secretAccessKey: 'wrong' } }).send(new ListBucketsCommand({})))],
      ['AccessDenied (HTTP 403)', madeUpError('AccessDenied', 403)],
      ['a string thrown instead of an Error', 'throttled'],
      ['undefined', undefined],
    ];
    const { isRetryable } = await ctx.load<RetryableModule>('retryable.ts');
    const wrong: string[] = [];
    for (const [label, error] of ctx.random.shuffle(cases)) if ((await isRetryable(error)) !== false) wrong.push(label);
    ctx.expectTrue(wrong.length === 0, `isRetryable(error) is not false for: ${wrong.join('; ')}. These fail the same way every time: retrying only delays the error.`);
  },
);

// --- TODO 2: exponential backoff with full jitter ------------------------------------------

const DRAWS_PER_RETRY = 80;

check(
  {
    todo: 2,
    name: 'draws each pause at random between 0 and min(cap, base × 2^(retry−1)) (full jitter)',
    points: 3,
    hint: 'Full jitter: compute the exponential ceiling (base, then twice that, four times, ... but never above the cap), then return random() times it: anywhere from 0 up to the ceiling, using the random function you are given.',
    recipe: 'return random() * Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));',
  },
  async (ctx) => {
    const base = ctx.random.int(50, 150);
    const policy = { baseMs: base, capMs: ctx.random.int(3000, 6000) };
    const random = ctx.seededRandom();
    const { backoffDelay } = await ctx.load<BackoffModule>('backoff.ts');
    for (let retry = 1; retry <= 4; retry++) {
      const ceiling = ceilingOf(retry, policy.baseMs, policy.capMs);
      const delays: number[] = [];
      for (let i = 0; i < DRAWS_PER_RETRY; i++) delays.push(await backoffDelay(retry, policy, random));
      const where = `backoffDelay(${retry}, { baseMs: ${policy.baseMs}, capMs: ${policy.capMs} }, random)`;
      ctx.expectTrue(delays.every((delay) => typeof delay === 'number' && Number.isFinite(delay)), `${where} returned ${delays.find((d) => typeof d !== 'number' || !Number.isFinite(d))}, not a number of milliseconds.`);
      const outside = delays.find((delay) => delay < 0 || delay > ceiling + 0.5);
      ctx.expectTrue(outside === undefined, `${where} returned ${outside} ms; full jitter stays between 0 and the ceiling ${ceiling} ms.`);
      const ratios = delays.map((delay) => delay / ceiling);
      const distinct = new Set(delays.map((delay) => Math.round(delay))).size;
      ctx.expectTrue(distinct > DRAWS_PER_RETRY / 4, `${where} returned only ${distinct} different values in ${DRAWS_PER_RETRY} calls (${[...new Set(delays.map(Math.round))].slice(0, 3).join(', ')} ms): without jitter, clients that failed together retry together.`);
      const mean = ratios.reduce((sum, ratio) => sum + ratio, 0) / ratios.length;
      ctx.expectTrue(
        mean > 0.38 && mean < 0.62 && Math.min(...ratios) < 0.15 && Math.max(...ratios) > 0.85,
        `${where}: over ${DRAWS_PER_RETRY} calls the pauses averaged ${Math.round(mean * ceiling)} ms and ranged ${Math.round(Math.min(...delays))}-${Math.round(Math.max(...delays))} ms; full jitter spreads them evenly from 0 to ${ceiling} ms (average about ${Math.round(ceiling / 2)}).`,
      );
    }
  },
);

check(
  {
    todo: 2,
    name: 'never pauses longer than the cap, however many retries',
    points: 2,
    hint: 'base × 2^(retry−1) grows without bound (and becomes Infinity past retry 1000): take the smaller of it and the cap before drawing.',
  },
  async (ctx) => {
    const policy = { baseMs: ctx.random.int(80, 200), capMs: ctx.random.int(1000, 4000) };
    const random = ctx.seededRandom();
    const { backoffDelay } = await ctx.load<BackoffModule>('backoff.ts');
    for (const retry of [6, 8, 12, 20, 31, 64, 1100]) {
      for (let i = 0; i < 5; i++) {
        const delay = await backoffDelay(retry, policy, random);
        ctx.expectTrue(
          typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 && delay <= policy.capMs,
          `backoffDelay(${retry}, { baseMs: ${policy.baseMs}, capMs: ${policy.capMs} }, random) returned ${delay}; it must stay between 0 and the cap ${policy.capMs} ms.`,
        );
      }
    }
  },
);

// --- TODO 3: the retry wrapper -------------------------------------------------------------

const RETRY_POLICY = { baseMs: 200, capMs: 5000 };

check(
  {
    todo: 3,
    name: 'retries a throttled write until it succeeds, pausing with backoff between attempts',
    points: 3,
    hint: 'Loop: call operation(); on success return its result; on a retryable error wait backoffDelay(retry, options, options.random) ms and try again, until maxAttempts.',
    needs: ['fault-injection', 'request-log', 'clock-control'],
    timeoutSeconds: 20,
    virtualTime: true,
  },
  async (ctx) => {
    const { documents, name } = await notesTable(ctx);
    const [note] = someNotes(ctx, 1);
    const failures = ctx.random.int(2, 4);
    await ctx.setFaults({ rules: [{ kind: 'throttle', service: 'dynamodb', operation: 'PutItem', count: failures }] });
    const { saveNote } = await ctx.load<NotesModule>('notes.ts');
    await saveNote(documents, name, note!, { ...RETRY_POLICY, maxAttempts: 6, random: ctx.seededRandom() });

    const puts = await attempts(ctx, 'PutItem');
    ctx.expectEqual(puts.length, failures + 1, `PutItem attempts while the first ${failures} were throttled (maxAttempts 6)`);
    expectBackoffPauses(ctx, gaps(puts), RETRY_POLICY.baseMs, RETRY_POLICY.capMs, 'saveNote');
    const stored = await documents.send(new GetCommand({ TableName: name, Key: { year: note!.year, title: note!.title } }));
    ctx.expectTrue(stored.Item !== undefined, `After saveNote succeeded, the note "${note!.title}" is not in ${name}.`);
  },
);

check(
  {
    todo: 3,
    name: 'makes exactly one attempt for a client error, and throws it',
    points: 2,
    hint: 'Ask isRetryable (TODO 1) before anything else: an error that is not retryable is thrown at once, unchanged.',
    needs: ['request-log', 'clock-control'],
    timeoutSeconds: 20,
    virtualTime: true,
  },
  async (ctx) => {
    const { documents, name } = await notesTable(ctx);
    // A year that is text where the key says Number: DynamoDB refuses it with a ValidationException.
    const badNote = { year: 'twenty twenty-four', title: 'Type mismatch', author: 'Lab checker', body: '' } as unknown as Note;
    const { saveNote } = await ctx.load<NotesModule>('notes.ts');
    const error = await rejection(saveNote(documents, name, badNote, { ...RETRY_POLICY, maxAttempts: 5, random: ctx.seededRandom() }), 'saveNote returned normally for a note DynamoDB refuses (ValidationException): withRetries must throw the error.');
    const puts = await attempts(ctx, 'PutItem');
    ctx.expectEqual(puts.length, 1, 'PutItem attempts for a note DynamoDB refuses with a ValidationException (maxAttempts 5)');
    ctx.expectEqual(error.name, 'ValidationException', 'the error saveNote threw');
  },
);

check(
  {
    todo: 3,
    name: 'gives up after maxAttempts with the last error',
    points: 2,
    hint: 'Count the attempts: when attempt number maxAttempts fails, throw its error instead of waiting again. A dependency that stays down must not hold the caller for ever.',
    needs: ['fault-injection', 'request-log', 'clock-control'],
    timeoutSeconds: 20,
    virtualTime: true,
    // At most 5 attempts, so at most 4 pauses of at most capMs (5 s) each: 20 s on the grading
    // clock. Code still waiting after six times that retries without end; stopping it there
    // (not after the default hour, some 1,500 retries) ends the check in a fraction of a second.
    virtualTimeLimitSeconds: 120,
  },
  async (ctx) => {
    const { documents, name } = await notesTable(ctx);
    const maxAttempts = ctx.random.int(3, 5);
    await ctx.setFaults({ rules: [{ kind: 'throttle', service: 'dynamodb', operation: 'PutItem' }] });
    const { saveNote } = await ctx.load<NotesModule>('notes.ts');
    const error = await rejection(saveNote(documents, name, someNotes(ctx, 1)[0]!, { ...RETRY_POLICY, maxAttempts, random: ctx.seededRandom() }), 'saveNote returned normally while DynamoDB throttled every attempt: give up with the last error.');
    ctx.expectEqual((await attempts(ctx, 'PutItem')).length, maxAttempts, `PutItem attempts while DynamoDB throttles every one (maxAttempts ${maxAttempts})`);
    ctx.expectEqual(error.name, 'ThrottlingException', 'the error saveNote threw in the end');
  },
);

check(
  {
    todo: 3,
    name: 'stops retrying once the shared retry budget is spent',
    points: 2,
    hint: 'Before each retry ask budget.tryAcquire(); when it says false, throw the error at once. RetryBudget: a retry takes retryCost tokens if there are that many; a success gives successRefund back, up to capacity.',
    needs: ['fault-injection', 'request-log', 'clock-control'],
    timeoutSeconds: 20,
    virtualTime: true,
  },
  async (ctx) => {
    const { documents, name } = await notesTable(ctx);
    await ctx.setFaults({ rules: [{ kind: 'throttle', service: 'dynamodb', operation: 'PutItem' }] });
    const retriesAllowed = ctx.random.int(2, 3);
    const { createRetryBudget } = await ctx.load<BudgetModule>('retry-budget.ts');
    const budget = await createRetryBudget({ capacity: retriesAllowed * 5, retryCost: 5, successRefund: 1 });
    const { saveNote } = await ctx.load<NotesModule>('notes.ts');
    const calls = 4;
    for (const note of someNotes(ctx, calls)) {
      await rejection(saveNote(documents, name, note, { ...RETRY_POLICY, maxAttempts: 4, budget, random: ctx.seededRandom() }));
    }
    const made = (await attempts(ctx, 'PutItem')).length;
    ctx.expectEqual(
      made,
      calls + retriesAllowed,
      `PutItem attempts of ${calls} saveNote calls (maxAttempts 4) sharing a budget of ${retriesAllowed * 5} tokens at 5 per retry, while DynamoDB throttles everything (${calls} first attempts + ${retriesAllowed} retries the budget pays for)`,
    );
  },
);

// --- TODO 4: the SDK's own retries ---------------------------------------------------------

check(
  {
    todo: 4,
    name: "lets the SDK retry throttling itself: 5 attempts in standard mode",
    points: 3,
    hint: 'The SDK retries throttling and 5xx by itself, with its own backoff: two client options say how many attempts in all and which retry mode. $metadata.attempts says how many a call took.',
    recipe: "new DynamoDBClient({ maxAttempts: 5, retryMode: 'standard' })",
    needs: ['fault-injection', 'request-log', 'clock-control'],
    timeoutSeconds: 20,
    virtualTime: true,
  },
  async (ctx) => {
    const { createRetryingClient } = await ctx.load<SdkRetriesModule>('sdk-retries.ts');
    const client = await createRetryingClient();
    ctx.expectEqual(await client.config.maxAttempts(), 5, "the client's maxAttempts");
    await ctx.setFaults({ rules: [{ kind: 'throttle', service: 'dynamodb', operation: 'ListTables', count: 4 }] });
    const output = await client.send(new ListTablesCommand({}));
    ctx.expectEqual((await attempts(ctx, 'ListTables')).length, 5, 'ListTables attempts while the first four are throttled');
    ctx.expectEqual(output.$metadata?.attempts, 5, '$metadata.attempts of the answer');
  },
);

check(
  {
    todo: 4,
    name: "spaces the SDK's retries 1 s, 2 s and 3 s apart with a ConfiguredRetryStrategy",
    points: 2,
    hint: "A client's retryStrategy option takes a strategy of your own: ConfiguredRetryStrategy (from @smithy/core/retry) takes the attempts in all and a function from the retry's number to its pause in ms.",
    recipe: 'new DynamoDBClient({ retryStrategy: new ConfiguredRetryStrategy(4, (retry) => retry * 1000) })',
    needs: ['fault-injection', 'request-log', 'clock-control'],
    timeoutSeconds: 20,
    virtualTime: true,
  },
  async (ctx) => {
    const { createLinearBackoffClient } = await ctx.load<SdkRetriesModule>('sdk-retries.ts');
    const client = await createLinearBackoffClient();
    await ctx.setFaults({ rules: [{ kind: 'throttle', service: 'dynamodb', operation: 'ListTables' }] });
    await rejection(client.send(new ListTablesCommand({})));
    const made = await attempts(ctx, 'ListTables');
    ctx.expectEqual(made.length, 4, 'ListTables attempts while DynamoDB throttles every one');
    const pauses = gaps(made);
    ctx.expectTrue(
      pauses.every((pause, i) => Math.abs(pause - (i + 1) * 1000) <= 20),
      `The pauses between attempts were ${pauses.join(', ')} ms; a linear backoff of 1 s per retry waits 1000, 2000, 3000 ms.`,
    );
  },
);

// --- TODO 5: BatchWriteItem and UnprocessedItems --------------------------------------------

check(
  {
    todo: 5,
    name: 'writes every note while DynamoDB hands writes back in UnprocessedItems, resending only those, in the right number of calls',
    points: 3,
    hint: 'A batch call can answer 200 and return part of its work in UnprocessedItems: that is no error, so nothing retries it for you. Send UnprocessedItems again (only those: the rest is written) until it is empty, 25 notes per call.',
    needs: ['fault-injection', 'state-dump', 'request-log', 'clock-control'],
    timeoutSeconds: 20,
    virtualTime: true,
  },
  async (ctx) => {
    const { documents, name } = await notesTable(ctx);
    const notes = someNotes(ctx, ctx.random.int(30, 60));
    const busy = ctx.random.int(2, 4);
    await ctx.setFaults({ rules: [{ kind: 'throughput', service: 'dynamodb', operation: 'BatchWriteItem', count: busy }] });
    const { batchSaveNotes } = await ctx.load<BatchModule>('batch-save.ts');
    await batchSaveNotes(documents, name, notes, { ...RETRY_POLICY, maxAttempts: 8, random: ctx.seededRandom() });
    const dump = (await ctx.state()).dynamodb as { tables: Array<{ name: string; itemCount: number }> };
    ctx.expectEqual(dump.tables.find((table) => table.name === name)?.itemCount, notes.length, `Notes in ${name} after batchSaveNotes with ${notes.length} notes, while DynamoDB left writes unprocessed ${busy} times`);
    // The log says what each call carried and handed back: each note is sent once, and once more each time it comes back.
    const calls = (await attempts(ctx, 'BatchWriteItem')).filter((entry) => entry.status === 200);
    const count = (entry: RequestLogEntry, param: string) => Number(entry.params?.[param] ?? 0);
    const sent = calls.reduce((sum, entry) => sum + count(entry, 'WriteRequests'), 0);
    const handedBack = calls.reduce((sum, entry) => sum + count(entry, 'UnprocessedWrites'), 0);
    ctx.expectEqual(
      sent - handedBack,
      notes.length,
      `Writes your BatchWriteItem calls sent (${sent}) less those DynamoDB handed back (${handedBack}), for ${notes.length} notes: resend UnprocessedItems only, not notes already written`,
    );
    const batches = Math.ceil(notes.length / 25);
    ctx.expectEqual(calls.length, batches + busy, `BatchWriteItem calls for ${notes.length} notes (${batches} batches of at most 25) while DynamoDB handed work back ${busy} times (one more call each)`);
  },
);

check(
  {
    todo: 5,
    name: 'pauses with backoff before sending unprocessed writes again',
    points: 2,
    hint: 'Unprocessed work means the table is busy: sending it back at once only adds to the load. Wait backoffDelay(retry, options, options.random) ms before each resend.',
    needs: ['fault-injection', 'request-log', 'clock-control'],
    timeoutSeconds: 20,
    virtualTime: true,
  },
  async (ctx) => {
    const { documents, name } = await notesTable(ctx);
    // One batch (at most 25 notes): the first two calls each write half and hand the rest back.
    await ctx.setFaults({ rules: [{ kind: 'throughput', service: 'dynamodb', operation: 'BatchWriteItem', count: 2 }] });
    const { batchSaveNotes } = await ctx.load<BatchModule>('batch-save.ts');
    await batchSaveNotes(documents, name, someNotes(ctx, ctx.random.int(12, 25)), { ...RETRY_POLICY, maxAttempts: 8, random: ctx.seededRandom() });
    const calls = await attempts(ctx, 'BatchWriteItem');
    ctx.expectTrue(calls.length >= 3, `batchSaveNotes made ${calls.length} BatchWriteItem call(s) for one batch while DynamoDB handed work back twice: send UnprocessedItems again until nothing is left.`);
    expectBackoffPauses(ctx, gaps(calls.slice(0, 3)), RETRY_POLICY.baseMs, RETRY_POLICY.capMs, 'batchSaveNotes');
  },
);
