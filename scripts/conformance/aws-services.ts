import * as Ddb from '@aws-sdk/client-dynamodb';
import * as Iam from '@aws-sdk/client-iam';
import * as Sts from '@aws-sdk/client-sts';
import { observe, type Target } from './behaviour.ts';
import { createNotesTable, untilActive } from './dynamodb.ts';
import type { AwsExpectation } from './aws-expectation.ts';

const IAM_API = 'https://docs.aws.amazon.com/IAM/latest/APIReference';
const STS_API = 'https://docs.aws.amazon.com/STS/latest/APIReference';
const DDB_API = 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const TABLE = 'aws-table-notes';

function iam(name: string, source: string, expected: AwsExpectation['expected'], run: (t: Target) => Promise<AwsExpectation['expected']>): AwsExpectation {
  return { name, source: `${IAM_API}/${source}`, expected, run };
}

async function notesTable(t: Target): Promise<void> {
  await createNotesTable(t.dynamodb, TABLE);
  await untilActive(t.dynamodb, TABLE);
}

const note = (user: string, id: number, text = 'x') => ({ user: { S: user }, noteId: { N: String(id) }, text: { S: text } });

function ddb(name: string, source: string, expected: AwsExpectation['expected'], run: (t: Target) => Promise<AwsExpectation['expected']>): AwsExpectation {
  return { name, source: `${DDB_API}/${source}`, expected, run };
}

export const AWS_IAM: AwsExpectation[] = [
  iam('IAM CreateUser: user id starts with AIDA', 'API_CreateUser.html; IAM User Guide, "Unique identifiers"', { status: 200, aida: true }, (t) =>
    observe(t.iam.send(new Iam.CreateUserCommand({ UserName: 'kim' })), (o) => ({ aida: o.User?.UserId?.startsWith('AIDA') })),
  ),
  iam('IAM CreateUser twice: 409 EntityAlreadyExists', 'API_CreateUser.html', { status: 409, error: 'EntityAlreadyExistsException' }, async (t) => {
    await t.iam.send(new Iam.CreateUserCommand({ UserName: 'kim' }));
    return observe(t.iam.send(new Iam.CreateUserCommand({ UserName: 'KIM' })));
  }),
  iam('IAM GetUser of a missing user: 404 NoSuchEntity', 'API_GetUser.html', { status: 404, error: 'NoSuchEntityException' }, (t) => observe(t.iam.send(new Iam.GetUserCommand({ UserName: 'nobody' })))),
  iam('IAM DeleteUser with an access key: 409 DeleteConflict', 'API_DeleteUser.html', { status: 409, error: 'DeleteConflictException' }, async (t) => {
    await t.iam.send(new Iam.CreateUserCommand({ UserName: 'kim' }));
    await t.iam.send(new Iam.CreateAccessKeyCommand({ UserName: 'kim' }));
    return observe(t.iam.send(new Iam.DeleteUserCommand({ UserName: 'kim' })));
  }),
  iam('IAM a third access key: 409 LimitExceeded', 'API_CreateAccessKey.html', { status: 409, error: 'LimitExceededException' }, async (t) => {
    await t.iam.send(new Iam.CreateUserCommand({ UserName: 'kim' }));
    await t.iam.send(new Iam.CreateAccessKeyCommand({ UserName: 'kim' }));
    await t.iam.send(new Iam.CreateAccessKeyCommand({ UserName: 'kim' }));
    return observe(t.iam.send(new Iam.CreateAccessKeyCommand({ UserName: 'kim' })));
  }),
  iam('IAM CreateRole with a trust policy that is not JSON: 400 MalformedPolicyDocument', 'API_CreateRole.html', { status: 400, error: 'MalformedPolicyDocumentException' }, (t) =>
    observe(t.iam.send(new Iam.CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: '{not json' }))),
  ),
  iam('IAM AttachUserPolicy of a missing policy: 404 NoSuchEntity', 'API_AttachUserPolicy.html', { status: 404, error: 'NoSuchEntityException' }, async (t) => {
    await t.iam.send(new Iam.CreateUserCommand({ UserName: 'kim' }));
    return observe(t.iam.send(new Iam.AttachUserPolicyCommand({ UserName: 'kim', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicyAtAll' })));
  }),
  iam('IAM GetAccountPasswordPolicy when none is set: 404 NoSuchEntity', 'API_GetAccountPasswordPolicy.html', { status: 404, error: 'NoSuchEntityException' }, (t) =>
    observe(t.iam.send(new Iam.GetAccountPasswordPolicyCommand({}))),
  ),
  iam('IAM UpdateAccountPasswordPolicy then Get: the settings, defaults for the rest', 'API_UpdateAccountPasswordPolicy.html', { status: 200, policy: [12, true, false, false] }, async (t) => {
    await t.iam.send(new Iam.UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireSymbols: true }));
    return observe(t.iam.send(new Iam.GetAccountPasswordPolicyCommand({})), (o) => ({
      policy: [o.PasswordPolicy?.MinimumPasswordLength, o.PasswordPolicy?.RequireSymbols, o.PasswordPolicy?.RequireNumbers, o.PasswordPolicy?.ExpirePasswords],
    }));
  }),
  iam('IAM ListAccountAliases of a new account: none', 'API_ListAccountAliases.html', { status: 200, aliases: [] }, (t) =>
    observe(t.iam.send(new Iam.ListAccountAliasesCommand({})), (o) => ({ aliases: o.AccountAliases })),
  ),
  iam('IAM CreateVirtualMFADevice: a PNG QR code and a base32 seed', 'API_VirtualMFADevice.html', { status: 200, png: true, base32: true }, (t) =>
    observe(t.iam.send(new Iam.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'phone' })), (o) => ({
      png: Buffer.from(o.VirtualMFADevice?.QRCodePNG ?? []).subarray(1, 4).toString() === 'PNG',
      base32: /^[A-Z2-7]+=*$/.test(Buffer.from(o.VirtualMFADevice?.Base32StringSeed ?? []).toString()),
    })),
  ),
  iam('IAM GetAccessKeyLastUsed of an unused key: N/A', 'API_AccessKeyLastUsed.html', { status: 200, service: 'N/A', region: 'N/A' }, async (t) => {
    await t.iam.send(new Iam.CreateUserCommand({ UserName: 'kim' }));
    const { AccessKey } = await t.iam.send(new Iam.CreateAccessKeyCommand({ UserName: 'kim' }));
    return observe(t.iam.send(new Iam.GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey!.AccessKeyId })), (o) => ({
      service: o.AccessKeyLastUsed?.ServiceName,
      region: o.AccessKeyLastUsed?.Region,
    }));
  }),
  iam('IAM UpdateUser: the new name and path make the ARN', 'API_UpdateUser.html', { status: 200, arnEnd: ':user/team/lee' }, async (t) => {
    await t.iam.send(new Iam.CreateUserCommand({ UserName: 'kim' }));
    await t.iam.send(new Iam.UpdateUserCommand({ UserName: 'kim', NewUserName: 'lee', NewPath: '/team/' }));
    return observe(t.iam.send(new Iam.GetUserCommand({ UserName: 'lee' })), (o) => ({ arnEnd: o.User?.Arn?.slice(o.User.Arn.indexOf(':user/')) }));
  }),
  iam('IAM TagUser then ListUserTags', 'API_TagUser.html', { status: 200, tags: [{ Key: 'team', Value: 'blue' }] }, async (t) => {
    await t.iam.send(new Iam.CreateUserCommand({ UserName: 'kim' }));
    await t.iam.send(new Iam.TagUserCommand({ UserName: 'kim', Tags: [{ Key: 'team', Value: 'blue' }] }));
    return observe(t.iam.send(new Iam.ListUserTagsCommand({ UserName: 'kim' })), (o) => ({ tags: o.Tags }));
  }),
  iam('IAM TagRole with an aws: key: 400 InvalidInput', 'API_TagRole.html', { status: 400, error: 'InvalidInputException' }, async (t) => {
    await t.iam.send(new Iam.CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
    return observe(t.iam.send(new Iam.TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'aws:x', Value: '1' }] })));
  }),
  iam('IAM CreatePolicy: default version v1', 'API_CreatePolicy.html', { status: 200, version: 'v1' }, (t) =>
    observe(
      t.iam.send(new Iam.CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] }) })),
      (o) => ({ version: o.Policy?.DefaultVersionId }),
    ),
  ),
];

export const AWS_STS: AwsExpectation[] = [
  {
    name: 'STS GetCallerIdentity with root credentials: the root ARN, the account as UserId',
    source: `${STS_API}/API_GetCallerIdentity.html`,
    expected: { status: 200, root: true, userIdIsAccount: true },
    run: (t) => observe(t.sts.send(new Sts.GetCallerIdentityCommand({})), (o) => ({ root: o.Arn === `arn:aws:iam::${o.Account}:root`, userIdIsAccount: o.UserId === o.Account })),
  },
  {
    name: 'STS AssumeRole of a missing role: 403 AccessDenied',
    source: `${STS_API}/API_AssumeRole.html`,
    expected: { status: 403, error: 'AccessDenied' },
    run: (t) => observe(t.sts.send(new Sts.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${t.backend.accountId}:role/none`, RoleSessionName: 'session' }))),
  },
  {
    name: 'STS GetSessionToken: temporary credentials with a session token',
    source: `${STS_API}/API_GetSessionToken.html`,
    expected: { status: 200, asia: true, token: true },
    run: (t) => observe(t.sts.send(new Sts.GetSessionTokenCommand({})), (o) => ({ asia: o.Credentials?.AccessKeyId?.startsWith('ASIA'), token: Boolean(o.Credentials?.SessionToken) })),
  },
  {
    name: 'STS DecodeAuthorizationMessage of garbage: 400 InvalidAuthorizationMessageException',
    source: `${STS_API}/API_DecodeAuthorizationMessage.html`,
    expected: { status: 400, error: 'InvalidAuthorizationMessageException' },
    run: (t) => observe(t.sts.send(new Sts.DecodeAuthorizationMessageCommand({ EncodedMessage: 'not-a-message' }))),
  },
  {
    name: 'STS GetAccessKeyInfo: the account of the key',
    source: `${STS_API}/API_GetAccessKeyInfo.html`,
    expected: { status: 200, mine: true },
    run: async (t) => observe(t.sts.send(new Sts.GetAccessKeyInfoCommand({ AccessKeyId: (await t.backend.credentials).accessKeyId })), (o) => ({ mine: o.Account === t.backend.accountId })),
  },
];

export const AWS_DYNAMODB: AwsExpectation[] = [
  ddb('DynamoDB CreateTable: CREATING, not ACTIVE at once', 'API_CreateTable.html', { status: 200, tableStatus: 'CREATING' }, (t) =>
    observe(
      t.dynamodb.send(
        new Ddb.CreateTableCommand({
          TableName: TABLE,
          KeySchema: [{ AttributeName: 'user', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'user', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      ),
      (o) => ({ tableStatus: o.TableDescription?.TableStatus }),
    ),
  ),
  ddb('DynamoDB DescribeTable of a missing table: 400 ResourceNotFoundException', 'API_DescribeTable.html', { status: 400, error: 'ResourceNotFoundException' }, (t) =>
    observe(t.dynamodb.send(new Ddb.DescribeTableCommand({ TableName: 'aws-table-none' }))),
  ),
  ddb('DynamoDB GetItem on a missing table in a fresh region: 400 ResourceNotFoundException', 'API_GetItem.html', { status: 400, error: 'ResourceNotFoundException' }, (t) =>
    observe(t.dynamodb.send(new Ddb.GetItemCommand({ TableName: 'aws-table-none', Key: { user: { S: 'kim' } } }))),
  ),
  ddb('DynamoDB CreateTable twice: 400 ResourceInUseException', 'API_CreateTable.html', { status: 400, error: 'ResourceInUseException' }, async (t) => {
    await notesTable(t);
    return observe(t.dynamodb.send(new Ddb.CreateTableCommand({ TableName: TABLE, KeySchema: [{ AttributeName: 'user', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'user', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' })));
  }),
  ddb('DynamoDB GetItem of a missing key: no Item', 'API_GetItem.html', { status: 200, item: null }, async (t) => {
    await notesTable(t);
    return observe(t.dynamodb.send(new Ddb.GetItemCommand({ TableName: TABLE, Key: { user: { S: 'kim' }, noteId: { N: '1' } } })), (o) => ({ item: o.Item ?? null }));
  }),
  ddb('DynamoDB PutItem with attribute_not_exists over an item: 400 ConditionalCheckFailedException', 'API_PutItem.html', { status: 400, error: 'ConditionalCheckFailedException' }, async (t) => {
    await notesTable(t);
    await t.dynamodb.send(new Ddb.PutItemCommand({ TableName: TABLE, Item: note('kim', 1) }));
    return observe(t.dynamodb.send(new Ddb.PutItemCommand({ TableName: TABLE, Item: note('kim', 1), ConditionExpression: 'attribute_not_exists(noteId)' })));
  }),
  ddb('DynamoDB PutItem with a key of the wrong type: 400 ValidationException', 'API_PutItem.html', { status: 400, error: 'ValidationException' }, async (t) => {
    await notesTable(t);
    return observe(t.dynamodb.send(new Ddb.PutItemCommand({ TableName: TABLE, Item: { user: { S: 'kim' }, noteId: { S: 'one' } } })));
  }),
  ddb('DynamoDB PutItem with an empty string key: 400 ValidationException', 'API_PutItem.html', { status: 400, error: 'ValidationException' }, async (t) => {
    await notesTable(t);
    return observe(t.dynamodb.send(new Ddb.PutItemCommand({ TableName: TABLE, Item: { user: { S: '' }, noteId: { N: '1' } } })));
  }),
  ddb('DynamoDB Query of one partition: its items in sort-key order', 'API_Query.html', { status: 200, ids: ['1', '2'], count: 2 }, async (t) => {
    await notesTable(t);
    for (const [user, id] of [['kim', 2], ['lee', 1], ['kim', 1]] as const) await t.dynamodb.send(new Ddb.PutItemCommand({ TableName: TABLE, Item: note(user, id) }));
    return observe(
      t.dynamodb.send(new Ddb.QueryCommand({ TableName: TABLE, KeyConditionExpression: '#u = :u', ExpressionAttributeNames: { '#u': 'user' }, ExpressionAttributeValues: { ':u': { S: 'kim' } } })),
      (o) => ({ ids: o.Items?.map((i) => i.noteId?.N), count: o.Count }),
    );
  }),
  ddb('DynamoDB UpdateItem ADD: the new value with ReturnValues UPDATED_NEW', 'API_UpdateItem.html', { status: 200, views: '3' }, async (t) => {
    await notesTable(t);
    await t.dynamodb.send(new Ddb.PutItemCommand({ TableName: TABLE, Item: { ...note('kim', 1), views: { N: '1' } } }));
    return observe(
      t.dynamodb.send(
        new Ddb.UpdateItemCommand({ TableName: TABLE, Key: { user: { S: 'kim' }, noteId: { N: '1' } }, UpdateExpression: 'ADD #v :n', ExpressionAttributeNames: { '#v': 'views' }, ExpressionAttributeValues: { ':n': { N: '2' } }, ReturnValues: 'UPDATED_NEW' }),
      ),
      (o) => ({ views: o.Attributes?.views?.N }),
    );
  }),
  ddb('DynamoDB BatchWriteItem of 26 items: 400 ValidationException', 'API_BatchWriteItem.html', { status: 400, error: 'ValidationException' }, async (t) => {
    await notesTable(t);
    const writes = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: note('kim', i) } }));
    return observe(t.dynamodb.send(new Ddb.BatchWriteItemCommand({ RequestItems: { [TABLE]: writes } })));
  }),
  ddb('DynamoDB Scan with Limit: LastEvaluatedKey to continue', 'API_Scan.html', { status: 200, count: 1, more: true }, async (t) => {
    await notesTable(t);
    for (const id of [1, 2]) await t.dynamodb.send(new Ddb.PutItemCommand({ TableName: TABLE, Item: note('kim', id) }));
    return observe(t.dynamodb.send(new Ddb.ScanCommand({ TableName: TABLE, Limit: 1 })), (o) => ({ count: o.Count, more: o.LastEvaluatedKey !== undefined }));
  }),
  ddb('DynamoDB DeleteTable: DELETING', 'API_DeleteTable.html', { status: 200, tableStatus: 'DELETING' }, async (t) => {
    await notesTable(t);
    return observe(t.dynamodb.send(new Ddb.DeleteTableCommand({ TableName: TABLE })), (o) => ({ tableStatus: o.TableDescription?.TableStatus }));
  }),
  ddb('DynamoDB DeleteItem with ReturnValues ALL_OLD: the old item', 'API_DeleteItem.html', { status: 200, text: 'hello' }, async (t) => {
    await notesTable(t);
    await t.dynamodb.send(new Ddb.PutItemCommand({ TableName: TABLE, Item: note('kim', 1, 'hello') }));
    return observe(t.dynamodb.send(new Ddb.DeleteItemCommand({ TableName: TABLE, Key: { user: { S: 'kim' }, noteId: { N: '1' } }, ReturnValues: 'ALL_OLD' })), (o) => ({ text: o.Attributes?.text?.S }));
  }),
  ...partiqlRows(),
];

/** PartiQL (ExecuteStatement and friends), as the developer guide's PartiQL reference documents it. */
function partiqlRows(): AwsExpectation[] {
  const guide = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide';
  const statement = (t: Target, Statement: string) => t.dynamodb.send(new Ddb.ExecuteStatementCommand({ Statement }));
  return [
    {
      name: 'DynamoDB PartiQL INSERT of a key that exists: 400 DuplicateItemException',
      source: `${guide}/ql-reference.insert.html`,
      expected: { status: 400, error: 'DuplicateItemException' },
      run: async (t) => {
        await notesTable(t);
        await statement(t, `INSERT INTO "${TABLE}" VALUE {'user': 'kim', 'noteId': 1}`);
        return observe(statement(t, `INSERT INTO "${TABLE}" VALUE {'user': 'kim', 'noteId': 1}`));
      },
    },
    {
      name: 'DynamoDB PartiQL SELECT with the partition key: that partition',
      source: `${guide}/ql-reference.select.html`,
      expected: { status: 200, ids: ['1', '2'] },
      run: async (t) => {
        await notesTable(t);
        for (const [user, id] of [['kim', 2], ['lee', 1], ['kim', 1]] as const) await t.dynamodb.send(new Ddb.PutItemCommand({ TableName: TABLE, Item: note(user, id) }));
        return observe(statement(t, `SELECT noteId FROM "${TABLE}" WHERE "user" = 'kim'`), (o) => ({ ids: o.Items?.map((item) => item.noteId?.N) }));
      },
    },
    {
      name: 'DynamoDB PartiQL UPDATE of a missing item: 400 ConditionalCheckFailedException',
      source: `${guide}/ql-reference.update.html`,
      expected: { status: 400, error: 'ConditionalCheckFailedException' },
      run: async (t) => {
        await notesTable(t);
        return observe(statement(t, `UPDATE "${TABLE}" SET text = 'y' WHERE "user" = 'kim' AND noteId = 9`));
      },
    },
    {
      name: 'DynamoDB ExecuteTransaction with a failing statement: 400 TransactionCanceledException',
      source: `${DDB_API}/API_ExecuteTransaction.html`,
      expected: { status: 400, error: 'TransactionCanceledException' },
      run: async (t) => {
        await notesTable(t);
        await t.dynamodb.send(new Ddb.PutItemCommand({ TableName: TABLE, Item: note('kim', 1) }));
        const TransactStatements = [
          { Statement: `INSERT INTO "${TABLE}" VALUE {'user': 'lee', 'noteId': 1}` },
          { Statement: `INSERT INTO "${TABLE}" VALUE {'user': 'kim', 'noteId': 1}` },
        ];
        return observe(t.dynamodb.send(new Ddb.ExecuteTransactionCommand({ TransactStatements })));
      },
    },
  ];
}
