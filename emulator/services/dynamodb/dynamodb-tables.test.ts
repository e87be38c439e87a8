import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  PutItemCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../server.ts';
import { control, createActiveTable, dynamoDbClient, notesTable, startDynamoDbEmulator } from './dynamodb-test-support.ts';

let emulator: RunningEmulator;
let client: DynamoDBClient;

beforeAll(async () => {
  emulator = await startDynamoDbEmulator();
  client = dynamoDbClient(emulator.endpoint);
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.store.reset());

describe('CreateTable', () => {
  it('is CREATING, refuses data calls until ACTIVE, and the SDK waiter sees it become ACTIVE', async () => {
    const created = await client.send(new CreateTableCommand(notesTable('Notes')));
    expect(created.TableDescription).toMatchObject({
      TableName: 'Notes',
      TableStatus: 'CREATING',
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Notes',
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });

    // What catches a student who skips the waiter: the table is not there for data calls yet.
    const early = client.send(new PutItemCommand({ TableName: 'Notes', Item: { year: { N: '2024' }, title: { S: 'early' } } }));
    await expect(early).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found' });

    const waited = await waitUntilTableExists({ client, minDelay: 1, maxWaitTime: 10 }, { TableName: 'Notes' });
    expect(waited.state).toBe('SUCCESS');
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Notes' }));
    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      ItemCount: 0,
      KeySchema: [
        { AttributeName: 'year', KeyType: 'HASH' },
        { AttributeName: 'title', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: expect.arrayContaining([{ AttributeName: 'year', AttributeType: 'N' }]),
    });
    expect(Table?.CreationDateTime).toBeInstanceOf(Date);
    await client.send(new PutItemCommand({ TableName: 'Notes', Item: { year: { N: '2024' }, title: { S: 'late' } } }));
  });

  it("stays CREATING for the settings' time on the emulator's clock, which a check may move instead of waiting", async () => {
    await control(emulator.endpoint, 'PATCH', 'settings', { tableCreateDelayMs: 60_000 });
    await client.send(new CreateTableCommand(notesTable('Slow')));
    const status = async () => (await client.send(new DescribeTableCommand({ TableName: 'Slow' }))).Table?.TableStatus;
    expect(await status()).toBe('CREATING');
    emulator.store.clock.advance(58);
    expect(await status()).toBe('CREATING');
    await expect(client.send(new PutItemCommand({ TableName: 'Slow', Item: { year: { N: '2024' }, title: { S: 'early' } } }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const dumped = (await control(emulator.endpoint, 'GET', 'state')) as { dynamodb: { tables: Array<{ status: string }> } };
    expect(dumped.dynamodb.tables[0]?.status).toBe('CREATING');
    emulator.store.clock.advance(3);
    expect(await status()).toBe('ACTIVE');
    await client.send(new PutItemCommand({ TableName: 'Slow', Item: { year: { N: '2024' }, title: { S: 'late' } } }));
  });

  it('answers ResourceInUseException for a table that exists', async () => {
    await client.send(new CreateTableCommand(notesTable('Notes')));
    await expect(client.send(new CreateTableCommand(notesTable('Notes')))).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: 'Table already exists: Notes',
    });
  });

  it('validates attribute definitions against the key schema with AWS messages', async () => {
    const extraDefinition = notesTable('Bad');
    extraDefinition.AttributeDefinitions!.push({ AttributeName: 'body', AttributeType: 'S' });
    await expect(client.send(new CreateTableCommand(extraDefinition))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    });

    const undefinedKey = { ...notesTable('Bad'), AttributeDefinitions: [{ AttributeName: 'year', AttributeType: 'N' as const }, { AttributeName: 'name', AttributeType: 'S' as const }] };
    await expect(client.send(new CreateTableCommand(undefinedKey))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Some index key attributes are not defined in AttributeDefinitions'),
    });
  });

  it('applies the BillingMode rules for ProvisionedThroughput', async () => {
    const provisionedWithout = { ...notesTable('Bad'), BillingMode: 'PROVISIONED' as const };
    await expect(client.send(new CreateTableCommand(provisionedWithout))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    });
    const onDemandWith = { ...notesTable('Bad'), ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } };
    await expect(client.send(new CreateTableCommand(onDemandWith))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    });

    const provisioned = { ...notesTable('Provisioned'), BillingMode: 'PROVISIONED' as const, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 } };
    const { TableDescription } = await client.send(new CreateTableCommand(provisioned));
    expect(TableDescription?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 2 });
  });

  it('creates global and local secondary indexes and describes them', async () => {
    await createActiveTable(client, {
      ...notesTable('Indexed'),
      AttributeDefinitions: [
        { AttributeName: 'year', AttributeType: 'N' },
        { AttributeName: 'title', AttributeType: 'S' },
        { AttributeName: 'author', AttributeType: 'S' },
        { AttributeName: 'rating', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: 'by-author', KeySchema: [{ AttributeName: 'author', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'by-rating',
          KeySchema: [
            { AttributeName: 'year', KeyType: 'HASH' },
            { AttributeName: 'rating', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Indexed' }));
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'by-author',
      IndexStatus: 'ACTIVE',
      IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Indexed/index/by-author',
    });
    expect(Table?.LocalSecondaryIndexes?.[0]).toMatchObject({ IndexName: 'by-rating', Projection: { ProjectionType: 'KEYS_ONLY' } });
  });
});

describe('DeleteTable', () => {
  it('is DELETING, then gone for the SDK waiter', async () => {
    await createActiveTable(client, notesTable('Notes'));
    const { TableDescription } = await client.send(new DeleteTableCommand({ TableName: 'Notes' }));
    expect(TableDescription?.TableStatus).toBe('DELETING');

    const waited = await waitUntilTableNotExists({ client, minDelay: 1, maxWaitTime: 10 }, { TableName: 'Notes' });
    expect(waited.state).toBe('SUCCESS');
    await expect(client.send(new DescribeTableCommand({ TableName: 'Notes' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: Notes not found',
    });
  });

  it("stays DELETING for the settings' time on the emulator's clock: described, deleted again without an error, its name not free", async () => {
    await control(emulator.endpoint, 'PATCH', 'settings', { tableDeleteDelayMs: 60_000 });
    await createActiveTable(client, notesTable('Notes'));
    await client.send(new DeleteTableCommand({ TableName: 'Notes' }));
    expect((await client.send(new DescribeTableCommand({ TableName: 'Notes' }))).Table).toMatchObject({ TableName: 'Notes', TableStatus: 'DELETING' });
    // DeleteTable: "If table is already in the DELETING state, no error is returned."
    expect((await client.send(new DeleteTableCommand({ TableName: 'Notes' }))).TableDescription?.TableStatus).toBe('DELETING');
    await expect(client.send(new CreateTableCommand(notesTable('Notes')))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    emulator.store.clock.advance(61);
    await expect(client.send(new DescribeTableCommand({ TableName: 'Notes' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await client.send(new CreateTableCommand(notesTable('Notes')));
  });

  it('refuses a table that is still being created, and one that does not exist', async () => {
    await client.send(new CreateTableCommand(notesTable('Notes')));
    await expect(client.send(new DeleteTableCommand({ TableName: 'Notes' }))).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: 'Attempt to change a resource which is still in use: Table is being created: Notes',
    });
    await expect(client.send(new DeleteTableCommand({ TableName: 'Missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('ListTables', () => {
  it('pages with Limit, LastEvaluatedTableName and ExclusiveStartTableName', async () => {
    for (const name of ['c-table', 'a-table', 'b-table']) await client.send(new CreateTableCommand(notesTable(name)));
    const first = await client.send(new ListTablesCommand({ Limit: 2 }));
    expect(first).toMatchObject({ TableNames: ['a-table', 'b-table'], LastEvaluatedTableName: 'b-table' });
    const second = await client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: first.LastEvaluatedTableName }));
    expect(second.TableNames).toEqual(['c-table']);
    expect(second.LastEvaluatedTableName).toBeUndefined();
  });
});

describe('tables per account and region', () => {
  it('keeps each account and region apart, with ARNs that say which', async () => {
    await client.send(new CreateTableCommand(notesTable('Notes')));
    const otherRegion = dynamoDbClient(emulator.endpoint, { region: 'eu-west-1' });
    const otherAccount = dynamoDbClient(emulator.endpoint, { accessKeyId: '111111111111' });
    expect((await otherRegion.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    expect((await otherAccount.send(new ListTablesCommand({}))).TableNames).toEqual([]);

    const { TableDescription } = await otherAccount.send(new CreateTableCommand(notesTable('Notes')));
    expect(TableDescription?.TableArn).toBe('arn:aws:dynamodb:us-east-1:111111111111:table/Notes');
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['Notes']);
  });
});

describe('control API', () => {
  it('dumps tables with status, key schema, item count and items; reset drops them', async () => {
    await createActiveTable(client, notesTable('Notes'));
    await client.send(new PutItemCommand({ TableName: 'Notes', Item: { year: { N: '2024' }, title: { S: 'dumped' } } }));

    const state = (await control(emulator.endpoint, 'GET', 'state')) as { dynamodb: { tables: unknown[] } };
    expect(state.dynamodb.tables).toEqual([
      expect.objectContaining({
        accountId: '000000000000',
        region: 'us-east-1',
        name: 'Notes',
        status: 'ACTIVE',
        billingMode: 'PAY_PER_REQUEST',
        keySchema: notesTable('Notes').KeySchema,
        itemCount: 1,
        items: [{ year: { N: '2024' }, title: { S: 'dumped' } }],
        itemsTruncated: false,
      }),
    ]);

    await control(emulator.endpoint, 'POST', 'reset');
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });
});
