import {
  BatchExecuteStatementCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ExecuteStatementCommand as DocumentExecuteStatementCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { createActiveTable, dynamoDbClient, notesTableByAuthor, startDynamoDbEmulator } from './dynamodb-test-support.ts';

let emulator: RunningEmulator;
let client: DynamoDBClient;

const run = (Statement: string, Parameters?: AttributeValue[], extra: { Limit?: number; NextToken?: string; ConsistentRead?: boolean } = {}) =>
  client.send(new ExecuteStatementCommand({ Statement, ...(Parameters ? { Parameters } : {}), ...extra }));
const getNote = async (year: number, title: string) =>
  (await client.send(new GetItemCommand({ TableName: 'Notes', Key: { year: { N: String(year) }, title: { S: title } }, ConsistentRead: true }))).Item;
const titlesOf = (items: Array<Record<string, AttributeValue>> | undefined) => (items ?? []).map((item) => item.title?.S).sort();

beforeAll(async () => {
  emulator = await startDynamoDbEmulator();
  client = dynamoDbClient(emulator.endpoint);
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.store.reset();
  await createActiveTable(client, notesTableByAuthor('Notes'));
  for (const [year, title, author, stars] of [
    [2023, 'apple', 'kim', 3],
    [2024, 'banana', 'lee', 5],
    [2024, 'blueberry', 'kim', 4],
    [2024, 'cherry', 'park', 1],
  ] as const) {
    await client.send(new PutItemCommand({ TableName: 'Notes', Item: { year: { N: String(year) }, title: { S: title }, author: { S: author }, stars: { N: String(stars) } } }));
  }
});

describe('ExecuteStatement: SELECT', () => {
  it('reads one item by its full key, with a projection', async () => {
    const { Items } = await run(`SELECT title, stars FROM "Notes" WHERE "year" = 2024 AND title = 'banana'`);
    expect(Items).toEqual([{ title: { S: 'banana' }, stars: { N: '5' } }]);
  });

  it('queries a partition, with a sort-key condition and a filter on another attribute', async () => {
    expect(titlesOf((await run(`SELECT * FROM Notes WHERE "year" = 2024`)).Items)).toEqual(['banana', 'blueberry', 'cherry']);
    expect(titlesOf((await run(`SELECT * FROM Notes WHERE "year" = 2024 AND begins_with(title, 'b')`)).Items)).toEqual(['banana', 'blueberry']);
    expect(titlesOf((await run(`SELECT * FROM Notes WHERE "year" = 2024 AND title BETWEEN 'b' AND 'bz' AND stars >= 5`)).Items)).toEqual(['banana']);
    expect(titlesOf((await run(`SELECT * FROM Notes WHERE 2024 = "year" AND 'c' > title`)).Items)).toEqual(['banana', 'blueberry']);
    // Two conditions on the sort key: Query's filter may not name a key attribute, PartiQL's WHERE may.
    expect(titlesOf((await run(`SELECT * FROM Notes WHERE "year" = 2024 AND title >= 'b' AND title < 'c' AND title <> 'banana'`)).Items)).toEqual(['blueberry']);
  });

  it('reads several partitions with IN, and scans when the WHERE names no partition', async () => {
    expect(titlesOf((await run(`SELECT * FROM "Notes" WHERE "year" IN [2023, 2024] AND author = 'kim'`)).Items)).toEqual(['apple', 'blueberry']);
    expect(titlesOf((await run(`SELECT * FROM "Notes" WHERE stars > 2 OR contains(author, 'ar')`)).Items)).toEqual(['apple', 'banana', 'blueberry', 'cherry']);
    expect(titlesOf((await run(`SELECT * FROM "Notes" WHERE stars < 4`)).Items)).toEqual(['apple', 'cherry']);
    expect(titlesOf((await run(`SELECT * FROM "Notes" WHERE missing_attribute IS MISSING AND author IN ('park', 'lee')`)).Items)).toEqual(['banana', 'cherry']);
    expect((await run(`SELECT * FROM "Notes"`)).Items).toHaveLength(4);
    // A long OR chain and precedence: no more parentheses reach the engine than the meaning needs.
    const chain = Array.from({ length: 12 }, (_, i) => `stars = ${i + 10}`).join(' OR ');
    expect(titlesOf((await run(`SELECT * FROM "Notes" WHERE ${chain} OR stars = 1 OR author = 'kim' AND NOT (stars = 4 OR stars = 5)`)).Items)).toEqual(['apple', 'cherry']);
  });

  it('orders a partition by the sort key on request', async () => {
    const { Items } = await run(`SELECT title FROM "Notes" WHERE "year" = 2024 ORDER BY title DESC`);
    expect(Items?.map((item) => item.title?.S)).toEqual(['cherry', 'blueberry', 'banana']);
  });

  it('reads a global secondary index as "table"."index"', async () => {
    const { Items } = await run(`SELECT title FROM "Notes"."by-author" WHERE author = ?`, [{ S: 'kim' }]);
    expect(titlesOf(Items)).toEqual(['apple', 'blueberry']);
  });

  it('binds ? placeholders from Parameters, and refuses too few of them', async () => {
    const { Items } = await run(`SELECT * FROM "Notes" WHERE "year" = ? AND title = ?`, [{ N: '2023' }, { S: 'apple' }]);
    expect(Items?.[0]?.author).toEqual({ S: 'kim' });
    await expect(run(`SELECT * FROM "Notes" WHERE "year" = ? AND title = ?`, [{ N: '2023' }])).rejects.toMatchObject({
      name: 'ValidationException',
      message: "Number of parameters in request and statement don't match.",
    });
  });

  it('pages with Limit and NextToken until every item is read, and refuses the token for another statement', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await run(`SELECT * FROM "Notes"`, undefined, { Limit: 3, ...(token ? { NextToken: token } : {}) });
      seen.push(...(page.Items ?? []).map((item) => item.title!.S!));
      token = page.NextToken;
      pages += 1;
    } while (token && pages < 10);
    expect(seen.sort()).toEqual(['apple', 'banana', 'blueberry', 'cherry']);
    expect(pages).toBeGreaterThanOrEqual(2);

    const first = await run(`SELECT * FROM "Notes"`, undefined, { Limit: 1 });
    expect(first.NextToken).toBeDefined();
    await expect(run(`SELECT * FROM "Notes" WHERE stars > 0`, undefined, { NextToken: first.NextToken! })).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('ExecuteStatement: INSERT, UPDATE, DELETE', () => {
  it('inserts an item written in PartiQL literals, and refuses a key that exists with DuplicateItemException', async () => {
    const inserted = await run(
      `INSERT INTO "Notes" VALUE {'year': 2025, 'title': 'date', 'tags': <<'fruit', 'sweet'>>, 'sizes': [1, 'two', true, null], 'meta': {'ok': false}}`,
    );
    expect(inserted.Items).toEqual([]);
    expect(await getNote(2025, 'date')).toEqual({
      year: { N: '2025' },
      title: { S: 'date' },
      tags: { SS: ['fruit', 'sweet'] },
      sizes: { L: [{ N: '1' }, { S: 'two' }, { BOOL: true }, { NULL: true }] },
      meta: { M: { ok: { BOOL: false } } },
    });
    await expect(run(`INSERT INTO "Notes" VALUE {'year': 2024, 'title': 'banana', 'author': 'someone else'}`)).rejects.toMatchObject({
      name: 'DuplicateItemException',
      message: 'Duplicate primary key exists in table',
    });
    expect((await getNote(2024, 'banana'))?.author).toEqual({ S: 'lee' });
  });

  it('updates with SET and REMOVE, arithmetic and set_add, and returns the new item on RETURNING', async () => {
    await run(`UPDATE "Notes" SET stars = stars + 1 SET note = 'ripe' REMOVE author WHERE "year" = 2024 AND title = 'cherry'`);
    expect(await getNote(2024, 'cherry')).toEqual({ year: { N: '2024' }, title: { S: 'cherry' }, stars: { N: '2' }, note: { S: 'ripe' } });

    const returned = await run(`UPDATE "Notes" SET tags = set_add(tags, <<'red'>>) WHERE "year" = 2024 AND title = 'cherry' RETURNING ALL NEW *`);
    expect(returned.Items?.[0]?.tags).toEqual({ SS: ['red'] });
  });

  it('refuses an UPDATE of a missing item, or one whose condition fails, with ConditionalCheckFailedException', async () => {
    await expect(run(`UPDATE "Notes" SET stars = 1 WHERE "year" = 1999 AND title = 'nothing'`)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await getNote(1999, 'nothing')).toBeUndefined();
    await expect(run(`UPDATE "Notes" SET stars = 9 WHERE "year" = 2024 AND title = 'banana' AND stars < 3`)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    expect((await getNote(2024, 'banana'))?.stars).toEqual({ N: '5' });
  });

  it('returns the item a condition stopped with ReturnValuesOnConditionCheckFailure ALL_OLD', async () => {
    const failing = client.send(
      new ExecuteStatementCommand({
        Statement: `UPDATE "Notes" SET stars = 9 WHERE "year" = 2024 AND title = 'banana' AND stars < 3`,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    await expect(failing).rejects.toMatchObject({ name: 'ConditionalCheckFailedException', Item: { title: { S: 'banana' }, stars: { N: '5' } } });
  });

  it('refuses an empty Parameters list, as the model does (min 1)', async () => {
    await expect(run(`SELECT * FROM "Notes"`, [])).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining("at 'parameters'") });
  });

  it('requires the whole primary key in the WHERE of UPDATE and DELETE', async () => {
    for (const statement of [`UPDATE "Notes" SET stars = 1 WHERE "year" = 2024`, `DELETE FROM "Notes" WHERE title = 'banana'`]) {
      await expect(run(statement)).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'Where clause does not contain a mandatory equality on all key attributes',
      });
    }
  });

  it('deletes by key, with a condition, and succeeds on a missing item', async () => {
    await expect(run(`DELETE FROM "Notes" WHERE "year" = 2024 AND title = 'banana' AND author = 'kim'`)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    const deleted = await run(`DELETE FROM "Notes" WHERE "year" = 2024 AND title = 'banana' RETURNING ALL OLD *`);
    expect(deleted.Items?.[0]?.author).toEqual({ S: 'lee' });
    expect(await getNote(2024, 'banana')).toBeUndefined();
    expect((await run(`DELETE FROM "Notes" WHERE "year" = 2024 AND title = 'banana'`)).Items).toEqual([]);
  });

  it('validates items as PutItem does (a key of the wrong type)', async () => {
    await expect(run(`INSERT INTO "Notes" VALUE {'year': 'not a number', 'title': 'x'}`)).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('ExecuteStatement errors', () => {
  it('answers a syntax error with ValidationException in AWS wording', async () => {
    for (const statement of [`SELEC * FROM "Notes"`, `SELECT * FROM "Notes" WHERE`, `SELECT * FROM "Notes" WHERE "year" = 'unterminated`]) {
      await expect(run(statement)).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^Statement wasn't well formed, can't be processed: /) });
    }
  });

  it('answers an unknown table or index with ResourceNotFoundException', async () => {
    await expect(run(`SELECT * FROM "Nope"`)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(run(`INSERT INTO "Nope" VALUE {'a': 1}`)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(run(`SELECT * FROM "Notes"."no-index"`)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('the document client', () => {
  it("lib-dynamodb's ExecuteStatementCommand marshalls plain values as parameters", async () => {
    const documents = DynamoDBDocumentClient.from(client);
    await documents.send(new DocumentExecuteStatementCommand({ Statement: `INSERT INTO "Notes" VALUE {'year': ?, 'title': ?, 'pages': ?}`, Parameters: [2030, 'fig', [1, 2]] }));
    const { Items } = await documents.send(new DocumentExecuteStatementCommand({ Statement: `SELECT * FROM "Notes" WHERE "year" = ?`, Parameters: [2030] }));
    expect(Items).toEqual([{ year: 2030, title: 'fig', pages: [1, 2] }]);
  });
});

describe('BatchExecuteStatement', () => {
  it('runs each write on its own, reporting a failed one in its place', async () => {
    const { Responses } = await client.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO "Notes" VALUE {'year': 2026, 'title': 'kiwi'}` },
          { Statement: `INSERT INTO "Notes" VALUE {'year': 2024, 'title': 'banana'}` },
          { Statement: `UPDATE "Notes" SET stars = 2 WHERE "year" = ? AND title = ?`, Parameters: [{ N: '2023' }, { S: 'apple' }] },
          { Statement: `INSERT INTO "Nope" VALUE {'a': 1}` },
          { Statement: `INSERT INTO` },
        ],
      }),
    );
    expect(Responses?.map((response) => response.Error?.Code)).toEqual([undefined, 'DuplicateItem', undefined, 'ResourceNotFound', 'ValidationError']);
    expect(Responses?.[4]?.Error?.Message).toMatch(/^Statement wasn't well formed, can't be processed: /);
    expect(await getNote(2026, 'kiwi')).toBeDefined();
    expect((await getNote(2023, 'apple'))?.stars).toEqual({ N: '2' });
  });

  it('reads items by their full key', async () => {
    const { Responses } = await client.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT * FROM "Notes" WHERE "year" = 2024 AND title = 'banana'` },
          { Statement: `SELECT * FROM "Notes" WHERE "year" = 2024 AND title = 'missing'` },
          { Statement: `SELECT * FROM "Notes" WHERE "year" = 2024` },
        ],
      }),
    );
    expect(Responses?.[0]).toMatchObject({ TableName: 'Notes', Item: { title: { S: 'banana' } } });
    expect(Responses?.[1]?.Item).toBeUndefined();
    expect(Responses?.[1]?.Error).toBeUndefined();
    expect(Responses?.[2]?.Error?.Code).toBe('ValidationError');
  });

  it('refuses more than 25 statements, and reads mixed with writes', async () => {
    const statements = Array.from({ length: 26 }, (_, i) => ({ Statement: `INSERT INTO "Notes" VALUE {'year': 3000, 'title': 't${i}'}` }));
    await expect(client.send(new BatchExecuteStatementCommand({ Statements: statements }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 25'),
    });
    const mixed = [{ Statement: `SELECT * FROM "Notes" WHERE "year" = 2024 AND title = 'banana'` }, { Statement: `DELETE FROM "Notes" WHERE "year" = 2024 AND title = 'banana'` }];
    await expect(client.send(new BatchExecuteStatementCommand({ Statements: mixed }))).rejects.toMatchObject({ name: 'ValidationException' });
    expect(await getNote(2024, 'banana')).toBeDefined();
  });
});

describe('ExecuteTransaction', () => {
  it('applies every write when all succeed', async () => {
    await client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `INSERT INTO "Notes" VALUE {'year': 2027, 'title': 'lime'}` },
          { Statement: `UPDATE "Notes" SET stars = 10 WHERE "year" = 2024 AND title = 'banana'` },
          { Statement: `DELETE FROM "Notes" WHERE "year" = 2024 AND title = 'cherry'` },
          { Statement: `EXISTS(SELECT * FROM "Notes" WHERE "year" = 2023 AND title = 'apple' AND author = 'kim')` },
        ],
      }),
    );
    expect(await getNote(2027, 'lime')).toBeDefined();
    expect((await getNote(2024, 'banana'))?.stars).toEqual({ N: '10' });
    expect(await getNote(2024, 'cherry')).toBeUndefined();
  });

  it('applies none when one fails, and says why for each statement', async () => {
    const failing = client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `INSERT INTO "Notes" VALUE {'year': 2027, 'title': 'lime'}` },
          { Statement: `UPDATE "Notes" SET stars = 10 WHERE "year" = 2024 AND title = 'banana'` },
          { Statement: `INSERT INTO "Notes" VALUE {'year': 2024, 'title': 'cherry'}` },
          { Statement: `EXISTS(SELECT * FROM "Notes" WHERE "year" = 2023 AND title = 'apple' AND author = 'lee')`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        ],
      }),
    );
    const error = await failing.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const canceled = error as TransactionCanceledException;
    expect(canceled.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, DuplicateItem, ConditionalCheckFailed]');
    expect(canceled.CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'None', 'DuplicateItem', 'ConditionalCheckFailed']);
    expect(canceled.CancellationReasons?.[3]?.Item?.author).toEqual({ S: 'kim' });
    expect(canceled.CancellationReasons?.[2]?.Item).toBeUndefined();
    expect(await getNote(2027, 'lime')).toBeUndefined();
    expect((await getNote(2024, 'banana'))?.stars).toEqual({ N: '5' });
  });

  it('runs a write transaction once for one ClientRequestToken, and refuses the token with other statements', async () => {
    const bump = { Statement: `UPDATE "Notes" SET stars = stars + 1 WHERE "year" = 2024 AND title = 'banana'` };
    for (let i = 0; i < 2; i += 1) await client.send(new ExecuteTransactionCommand({ TransactStatements: [bump], ClientRequestToken: 'token-1' }));
    expect((await getNote(2024, 'banana'))?.stars).toEqual({ N: '6' });
    const other = client.send(new ExecuteTransactionCommand({ TransactStatements: [{ ...bump, Statement: bump.Statement.replace('banana', 'cherry') }], ClientRequestToken: 'token-1' }));
    await expect(other).rejects.toMatchObject({ name: 'IdempotentParameterMismatchException' });
    expect((await getNote(2024, 'cherry'))?.stars).toEqual({ N: '1' });
  });

  it('reads several items by key, {} for a missing one', async () => {
    const { Responses } = await client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT title FROM "Notes" WHERE "year" = 2024 AND title = 'banana'` },
          { Statement: `SELECT * FROM "Notes" WHERE "year" = ? AND title = ?`, Parameters: [{ N: '1999' }, { S: 'none' }] },
        ],
      }),
    );
    expect(Responses).toEqual([{ Item: { title: { S: 'banana' } } }, {}]);
  });

  it('refuses reads mixed with writes, two writes to one item, and more than 100 statements', async () => {
    await expect(
      client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [{ Statement: `SELECT * FROM "Notes" WHERE "year" = 2024 AND title = 'banana'` }, { Statement: `DELETE FROM "Notes" WHERE "year" = 2024 AND title = 'banana'` }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', message: 'ExecuteTransaction API does not support both read and write operations in the same request.' });
    await expect(
      client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [{ Statement: `UPDATE "Notes" SET stars = 1 WHERE "year" = 2024 AND title = 'banana'` }, { Statement: `DELETE FROM "Notes" WHERE "year" = 2024 AND title = 'banana'` }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const many = Array.from({ length: 101 }, (_, i) => ({ Statement: `INSERT INTO "Notes" VALUE {'year': 3000, 'title': 't${i}'}` }));
    await expect(client.send(new ExecuteTransactionCommand({ TransactStatements: many }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 100'),
    });
    expect((await getNote(2024, 'banana'))?.stars).toEqual({ N: '5' });
  });
});
