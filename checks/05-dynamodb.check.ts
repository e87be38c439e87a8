/**
 * Lab 05 (DynamoDB tables and waiters): one check per behaviour, graded on observable
 * DynamoDB state (DescribeTable, Scan, the emulator's state dump) and the request log,
 * never on what the program prints. Each check sets up what it needs with its own
 * clients, so a TODO is graded on its own: a broken createNotesTable does not fail the
 * query checks.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  type DescribeTableCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { RequestLogEntry } from '../emulator/core/request-log.ts';
import { check, type CheckContext } from './support/index.ts';

type CreateTableModule = typeof import('../labs/05-dynamodb/create-table.ts');
type WaitModule = typeof import('../labs/05-dynamodb/wait-for-table.ts');
type LoadModule = typeof import('../labs/05-dynamodb/load-notes.ts');
type QueryModule = typeof import('../labs/05-dynamodb/query-notes.ts');
type DeleteModule = typeof import('../labs/05-dynamodb/delete-table.ts');

interface Note {
  year: number;
  title: string;
  author: string;
  body: string;
}

/** The course's notes (fixtures/notes.csv, as JSON): read from the project, never from the student's folder. */
const NOTES = JSON.parse(readFileSync(new URL('../fixtures/notes.json', import.meta.url), 'utf8')) as Note[];

// --- harness helpers ------------------------------------------------------------------

interface HarnessClients {
  client: DynamoDBClient;
  documents: DynamoDBDocumentClient;
}

/** The harness's DynamoDB client (ctx.dynamodb()) and a document client over it. */
function dynamo(ctx: CheckContext): HarnessClients {
  const client = ctx.dynamodb();
  return { client, documents: DynamoDBDocumentClient.from(client) };
}

function tableName(ctx: CheckContext): string {
  return `notes-${ctx.random.suffix(8)}`;
}

/** The harness's own CreateTable, with the key schema the lab asks for. */
async function createTable(client: DynamoDBClient, name: string): Promise<void> {
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
      ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 },
    }),
  );
}

/** DescribeTable, or undefined when the table does not exist (ResourceNotFoundException). */
async function describe(client: DynamoDBClient, name: string): Promise<DescribeTableCommandOutput['Table'] | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * The harness's own wait: polls every 50 ms (not the SDK waiter, whose 1 s pace would
 * make every check slow) until `done` holds, and says what it last saw otherwise.
 */
async function pollTable(client: DynamoDBClient, name: string, done: (status: string | undefined) => boolean): Promise<string | undefined> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const status = (await describe(client, name))?.TableStatus;
    if (done(status) || Date.now() > deadline) return status;
    await sleep(50);
  }
}

/** Where the backend's clock moves (our emulator), a table in CREATING or DELETING leaves it now, not in a moment. */
async function passTableTransition(ctx: CheckContext): Promise<void> {
  if (ctx.can('clock-control')) await ctx.advanceClock(TRANSITION_SECONDS + 1);
}

async function createActiveTable(ctx: CheckContext, client: DynamoDBClient, name: string): Promise<void> {
  await createTable(client, name);
  await passTableTransition(ctx);
  const status = await pollTable(client, name, (s) => s === 'ACTIVE');
  if (status !== 'ACTIVE') throw new Error(`harness: table ${name} stayed ${status} after CreateTable`);
}

/** The harness's own load, 25 notes per call, retrying what comes back unprocessed. */
async function putNotes(documents: DynamoDBDocumentClient, name: string, notes: Note[]): Promise<void> {
  for (let start = 0; start < notes.length; start += 25) {
    let items: Record<string, unknown[]> | undefined = { [name]: notes.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) };
    while (items && Object.keys(items).length > 0) {
      const result = await documents.send(new BatchWriteCommand({ RequestItems: items as never }));
      items = result.UnprocessedItems as Record<string, unknown[]> | undefined;
    }
  }
}

/** Every item of the table, through a paginated Scan. */
async function scanAll(documents: DynamoDBDocumentClient, name: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: name, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** A note with its four attributes in a fixed order, so two notes compare equal field by field. */
function asNote(item: object): Record<string, unknown> {
  const { year, title, author, body } = item as Record<string, unknown>;
  return { year, title, author, body };
}

function byKey(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return Number(a.year) - Number(b.year) || String(a.title).localeCompare(String(b.title));
}

/** A random selection of 26 to 42 notes in random order: more than one batch, never the same twice. */
function someNotes(ctx: CheckContext): Note[] {
  const shuffled = [...NOTES];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = ctx.random.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled.slice(0, ctx.random.int(26, NOTES.length));
}

/**
 * 49 or 50 notes: the course's 42 and a few made-up ones. Two batches of 25 hold them,
 * while batches of 24 or fewer need a third call, so the call count shows the chunk size.
 */
function notesForTwoFullBatches(ctx: CheckContext): Note[] {
  const extra = Array.from({ length: ctx.random.int(49, 50) - NOTES.length }, (_, i) => ({
    year: ctx.random.pick(NOTES).year,
    title: `Extra note ${i + 1} ${ctx.random.suffix(6)}`,
    author: 'Lab checker',
    body: 'Made up for this run.',
  }));
  return [...NOTES, ...extra];
}

/** This table's requests of one operation, from the request log. */
async function tableRequests(ctx: CheckContext, operation: string, name: string): Promise<RequestLogEntry[]> {
  return (await ctx.requests({ operation })).filter((entry) => entry.params?.TableName === name);
}

/**
 * In the checks on virtual time, a table stays CREATING, or DELETING, this long on the
 * emulator's clock (frozen but for the student's waits): a waiter with minDelay 1 polls
 * three times (0, 1, 2-3 s), a student who does not wait meets the table CREATING
 * however busy the machine is, and the polls are never more than 2.5 s apart.
 */
const TRANSITION_SECONDS = 2;

async function slowTables(ctx: CheckContext): Promise<void> {
  await ctx.tableTransitionSeconds({ creating: TRANSITION_SECONDS, deleting: TRANSITION_SECONDS });
}

/** The waiter's pace the lab asks for: about a second between polls. */
const MIN_GAP_MS = 500;
const MAX_GAP_MS = 2500;

function expectSecondPolls(ctx: CheckContext, polls: RequestLogEntry[], what: string): void {
  const times = polls.map((poll) => Date.parse(poll.time));
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    ctx.expectTrue(gap >= MIN_GAP_MS, `${what}: polls ${gap} ms apart. Wait between polls (minDelay: 1) instead of hammering DynamoDB.`);
    ctx.expectTrue(gap <= MAX_GAP_MS, `${what}: polls ${(gap / 1000).toFixed(1)} s apart. Set minDelay: 1 so the lab stays quick (the default is 20 s).`);
  }
}

// --- TODO 1: CreateTable ------------------------------------------------------------------

check(
  {
    todo: 1,
    name: "creates a table with the name it is given, in the client's region",
    points: 1,
    hint: 'The table name is an argument: the check makes up a new one each run. Create it through the client you are given, which already knows the region.',
    recipe: 'await client.send(new CreateTableCommand({ TableName: tableName, KeySchema, AttributeDefinitions, BillingMode }))',
  },
  async (ctx) => {
    const name = tableName(ctx);
    const { client } = dynamo(ctx);
    const { createNotesTable } = await ctx.load<CreateTableModule>('create-table.ts');
    await createNotesTable(client, name);
    const table = await describe(client, name);
    ctx.expectTrue(table !== undefined, `After createNotesTable(client, "${name}") there is no table named ${name} in ${ctx.region}.`);
  },
);

check(
  {
    todo: 1,
    name: 'keys the table on year (Number, partition key) and title (String, sort key)',
    points: 2,
    hint: 'A table\'s key schema names its partition key (HASH) and sort key (RANGE); AttributeDefinitions gives each key attribute its type, and a year is a number, so that 2024 compares as one.',
    recipe: 'KeySchema: [{ AttributeName: \'year\', KeyType: \'HASH\' }, { AttributeName: \'title\', KeyType: \'RANGE\' }], AttributeDefinitions: [{ AttributeName: \'year\', AttributeType: \'N\' }, { AttributeName: \'title\', AttributeType: \'S\' }]',
  },
  async (ctx) => {
    const name = tableName(ctx);
    const { client } = dynamo(ctx);
    const { createNotesTable } = await ctx.load<CreateTableModule>('create-table.ts');
    await createNotesTable(client, name);
    const table = await describe(client, name);
    if (!table) return ctx.fail(`After createNotesTable(client, "${name}") there is no table named ${name}: the key schema cannot be checked.`);
    const keys = (table.KeySchema ?? []).map((key) => {
      const type = table.AttributeDefinitions?.find((definition) => definition.AttributeName === key.AttributeName)?.AttributeType;
      return `${key.AttributeName} ${key.KeyType} ${type}`;
    });
    ctx.expectEqual(keys, ['year HASH N', 'title RANGE S'], `The keys of ${name} (name, key type, attribute type)`);
  },
);

// --- TODO 2: wait until ACTIVE ----------------------------------------------------------------

check(
  {
    todo: 2,
    name: 'returns only once the table is ACTIVE, so the first write succeeds',
    points: 3,
    hint: 'Right after CreateTable the table is CREATING, and every write fails with ResourceNotFoundException until it is ACTIVE. The SDK has a waiter for exactly this; its default pause (20 s) is far too slow for a lab.',
    recipe: 'await waitUntilTableExists({ client, minDelay: 1, maxWaitTime: 30 }, { TableName })',
    needs: ['table-creating-state'],
    timeoutSeconds: 15,
    virtualTime: true,
  },
  async (ctx) => {
    const name = tableName(ctx);
    const { client } = dynamo(ctx);
    const { waitForTable } = await ctx.load<WaitModule>('wait-for-table.ts');
    await slowTables(ctx);
    await createTable(client, name);
    await waitForTable(client, name);

    const [note] = someNotes(ctx);
    try {
      await client.send(
        new PutItemCommand({
          TableName: name,
          Item: { year: { N: String(note!.year) }, title: { S: note!.title }, author: { S: note!.author }, body: { S: note!.body } },
        }),
      );
    } catch (error) {
      const why = (error as Error).name === 'ResourceNotFoundException' ? ': the table was still CREATING' : '';
      ctx.fail(`waitForTable returned, but the first write to ${name} failed with ${(error as Error).name}${why}. Return only once DescribeTable says ACTIVE.`);
    }
  },
);

check(
  {
    todo: 2,
    name: 'polls DescribeTable about once a second until ACTIVE',
    points: 2,
    hint: 'A fixed sleep is no waiter: too long on a good day, too short on a bad one. The SDK waiter polls DescribeTable for you; tell it how often (its minDelay) and how long in all.',
    recipe: 'waitUntilTableExists({ client, minDelay: 1, maxWaitTime: 30 }, { TableName })',
    needs: ['table-creating-state', 'request-log'],
    timeoutSeconds: 15,
    virtualTime: true,
  },
  async (ctx) => {
    const name = tableName(ctx);
    const { client } = dynamo(ctx);
    const { waitForTable } = await ctx.load<WaitModule>('wait-for-table.ts');
    await slowTables(ctx);
    await createTable(client, name);
    await waitForTable(client, name);

    const polls = await tableRequests(ctx, 'DescribeTable', name);
    ctx.expectTrue(polls.length > 0, `waitForTable returned without ever asking DynamoDB about ${name} (no DescribeTable request).`);
    ctx.expectTrue(
      polls.length >= 2,
      `waitForTable asked DescribeTable only once, while ${name} was still CREATING: keep polling until it says ACTIVE.`,
    );
    expectSecondPolls(ctx, polls, 'waitForTable');
  },
);

// --- TODO 3: BatchWriteItem with UnprocessedItems ----------------------------------------------

check(
  {
    todo: 3,
    name: 'writes every note it is given, with all four attributes',
    points: 3,
    hint: 'BatchWriteItem takes at most 25 writes per call, each a put request inside RequestItems under the table\'s name; keep sending until every note is written.',
    recipe: 'For each chunk of 25: BatchWriteCommand({ RequestItems: { [tableName]: chunk.map((note) => ({ PutRequest: { Item: note } })) } })',
    timeoutSeconds: 20,
  },
  async (ctx) => {
    const name = tableName(ctx);
    const { client, documents } = dynamo(ctx);
    await createActiveTable(ctx, client, name);
    const notes = someNotes(ctx);
    const { loadNotes } = await ctx.load<LoadModule>('load-notes.ts');
    await loadNotes(documents, name, notes);

    const stored = (await scanAll(documents, name)).map(asNote).sort(byKey);
    const expected = notes.map(asNote).sort(byKey);
    ctx.expectEqual(stored.length, expected.length, `Notes in ${name} after loadNotes with ${notes.length} notes`);
    const wrong = expected.findIndex((note, i) => JSON.stringify(note) !== JSON.stringify(stored[i]));
    if (wrong !== -1) ctx.expectEqual(stored[wrong], expected[wrong], `A note in ${name} (in key order, number ${wrong + 1})`);
  },
);

check(
  {
    todo: 3,
    name: 'uses BatchWriteItem with 25 notes per call',
    points: 2,
    hint: 'Fewer, fuller calls: BatchWriteItem takes up to 25 writes, so 50 notes are 2 calls, not 50 PutItem calls or 5 small batches.',
    recipe: 'for (let i = 0; i < notes.length; i += 25) send one BatchWriteCommand with notes.slice(i, i + 25).',
    needs: ['request-log'],
    timeoutSeconds: 20,
  },
  async (ctx) => {
    const name = tableName(ctx);
    const { client, documents } = dynamo(ctx);
    await createActiveTable(ctx, client, name);
    const notes = notesForTwoFullBatches(ctx);
    const { loadNotes } = await ctx.load<LoadModule>('load-notes.ts');
    await loadNotes(documents, name, notes);

    // BatchWriteItem names its tables inside RequestItems, so the log carries no TableName: this check's table is the only one.
    const batches = (await ctx.requests({ operation: 'BatchWriteItem' })).filter((entry) => entry.status === 200);
    const puts = await tableRequests(ctx, 'PutItem', name);
    ctx.expectEqual(puts.length, 0, `PutItem calls while loading ${notes.length} notes (write them in batches instead)`);
    ctx.expectEqual(batches.length, Math.ceil(notes.length / 25), `Successful BatchWriteItem calls to load ${notes.length} notes, 25 per call`);
  },
);

check(
  {
    todo: 3,
    name: 'retries UnprocessedItems until every note is written',
    points: 3,
    hint: 'BatchWriteItem can answer 200 and still hand some writes back (when throughput runs short). Its answer says which ones: send those again, after a short and growing pause, until nothing comes back.',
    recipe: 'let pending = requestItems; while (pending && Object.keys(pending).length > 0) { const out = await client.send(new BatchWriteCommand({ RequestItems: pending })); pending = out.UnprocessedItems; if (pending) await sleep(delay *= 2); }',
    needs: ['fault-injection', 'state-dump'],
    timeoutSeconds: 20,
    virtualTime: true,
  },
  async (ctx) => {
    const name = tableName(ctx);
    const { client, documents } = dynamo(ctx);
    await createActiveTable(ctx, client, name);
    const notes = someNotes(ctx);
    // The next few BatchWriteItem calls process only half their writes and return the rest as UnprocessedItems.
    const busy = ctx.random.int(2, 4);
    await ctx.setFaults({ rules: [{ kind: 'throughput', service: 'dynamodb', operation: 'BatchWriteItem', count: busy }] });
    const { loadNotes } = await ctx.load<LoadModule>('load-notes.ts');
    await loadNotes(documents, name, notes);

    const dump = (await ctx.state()).dynamodb as { tables: Array<{ name: string; region: string; itemCount: number }> };
    const table = dump.tables.find((t) => t.name === name && t.region === ctx.region);
    ctx.expectEqual(
      table?.itemCount,
      notes.length,
      `Notes in ${name} after loadNotes with ${notes.length} notes, while DynamoDB left some writes unprocessed ${busy} times`,
    );
  },
);

// --- TODO 4: Query one year --------------------------------------------------------------------

async function loadedTable(ctx: CheckContext): Promise<{ name: string; documents: DynamoDBDocumentClient }> {
  const name = tableName(ctx);
  const { client, documents } = dynamo(ctx);
  await createActiveTable(ctx, client, name);
  await putNotes(documents, name, NOTES);
  return { name, documents };
}

const YEARS = [...new Set(NOTES.map((note) => note.year))];

check(
  {
    todo: 4,
    name: 'returns the notes of one year, sorted by title',
    points: 3,
    hint: 'A Query reads one partition and returns it in sort-key order. Its key condition names the partition key, but `year` is a DynamoDB reserved word: refer to it through a placeholder name.',
    recipe: 'QueryCommand({ TableName, KeyConditionExpression: \'#year = :year\', ExpressionAttributeNames: { \'#year\': \'year\' }, ExpressionAttributeValues: { \':year\': year } })',
  },
  async (ctx) => {
    const { name, documents } = await loadedTable(ctx);
    const year = ctx.random.pick(YEARS);
    const { queryNotesByYear } = await ctx.load<QueryModule>('query-notes.ts');
    const notes = await queryNotesByYear(documents, name, year);

    ctx.expectTrue(Array.isArray(notes), `queryNotesByYear(documents, "${name}", ${year}) should return an array of notes; it returned ${typeof notes}.`);
    const expected = NOTES.filter((note) => note.year === year)
      .map(asNote)
      .sort((a, b) => (String(a.title) < String(b.title) ? -1 : 1));
    ctx.expectEqual(notes.map((note) => note.title), expected.map((note) => note.title), `The titles of the notes of ${year}, in order`);
    ctx.expectEqual(notes.map(asNote), expected, `The notes of ${year} with their attributes`);
  },
);

check(
  {
    todo: 4,
    name: 'reads one partition with Query, never Scan',
    points: 2,
    hint: 'A Scan reads (and bills) every item of the table and filters afterwards. Ask for one partition with a QueryCommand whose KeyConditionExpression names the partition key.',
    needs: ['request-log'],
  },
  async (ctx) => {
    const { name, documents } = await loadedTable(ctx);
    const year = ctx.random.pick(YEARS);
    const { queryNotesByYear } = await ctx.load<QueryModule>('query-notes.ts');
    await queryNotesByYear(documents, name, year);

    const scans = await tableRequests(ctx, 'Scan', name);
    const queries = (await tableRequests(ctx, 'Query', name)).filter((entry) => entry.status === 200);
    ctx.expectEqual(scans.length, 0, `Scan requests on ${name} while asking for the notes of ${year}`);
    ctx.expectTrue(queries.length > 0, `No successful Query on ${name}: ask DynamoDB for the partition year = ${year} with a QueryCommand.`);
  },
);

// --- TODO 5: DeleteTable and wait -----------------------------------------------------------------

check(
  {
    todo: 5,
    name: 'deletes the table',
    points: 2,
    hint: 'Deleting a table is one DynamoDB call that names it.',
    recipe: 'await client.send(new DeleteTableCommand({ TableName }))',
    timeoutSeconds: 15,
    // A solution may wait for the table to be gone (TODO 5's waiter): on the grading clock.
    virtualTime: true,
  },
  async (ctx) => {
    const name = tableName(ctx);
    const { client, documents } = dynamo(ctx);
    await createActiveTable(ctx, client, name);
    await putNotes(documents, name, NOTES.slice(0, 3));
    const { deleteNotesTable } = await ctx.load<DeleteModule>('delete-table.ts');
    await deleteNotesTable(client, name);
    // A table the student deleted is DELETING for a while; one they did not delete stays ACTIVE.
    await passTableTransition(ctx);

    const status = await pollTable(client, name, (s) => s === undefined);
    ctx.expectTrue(status === undefined, `After deleteNotesTable(client, "${name}") the table is still there (${status}).`);
  },
);

check(
  {
    todo: 5,
    name: 'returns only once the table is gone, polling with waitUntilTableNotExists',
    points: 2,
    hint: 'DeleteTable leaves the table DELETING for a while; code that creates it again at once fails. The SDK has a waiter for "not exists" too.',
    recipe: 'await waitUntilTableNotExists({ client, minDelay: 1, maxWaitTime: 30 }, { TableName })',
    needs: ['table-creating-state', 'request-log'],
    timeoutSeconds: 15,
    virtualTime: true,
  },
  async (ctx) => {
    const name = tableName(ctx);
    const { client } = dynamo(ctx);
    const { deleteNotesTable } = await ctx.load<DeleteModule>('delete-table.ts');
    await slowTables(ctx);
    await createActiveTable(ctx, client, name);
    await deleteNotesTable(client, name);

    const status = (await describe(client, name))?.TableStatus;
    ctx.expectTrue(status === undefined, `deleteNotesTable returned while ${name} was still ${status}: wait until DescribeTable answers ResourceNotFoundException.`);
    const deleted = (await tableRequests(ctx, 'DeleteTable', name)).at(-1);
    const polls = (await tableRequests(ctx, 'DescribeTable', name)).filter((poll) => deleted && poll.seq > deleted.seq);
    // The last DescribeTable is the check's own, just above.
    ctx.expectTrue(polls.length >= 2, `deleteNotesTable returned without asking DescribeTable whether ${name} was gone: use the waiter, not a fixed pause.`);
    expectSecondPolls(ctx, polls.slice(0, -1), 'deleteNotesTable');
  },
);
