/**
 * Every operation of the DynamoDB API, as botocore's service model names them (data/dynamodb/<api-version>/service-2.json).
 * A request for one of these that has no handler answers 501 NotImplemented naming it; any
 * other name is not an operation of the service at all, and gets the service's own 400.
 * test/botocore-routing.test.ts checks this list against the installed botocore.
 */
export const DYNAMODB_MODEL_OPERATIONS: ReadonlySet<string> = new Set([
  'BatchExecuteStatement', 'BatchGetItem', 'BatchWriteItem', 'CreateBackup', 'CreateGlobalTable', 'CreateTable',
  'DeleteBackup', 'DeleteItem', 'DeleteResourcePolicy', 'DeleteTable', 'DescribeBackup', 'DescribeContinuousBackups',
  'DescribeContributorInsights', 'DescribeEndpoints', 'DescribeExport', 'DescribeGlobalTable',
  'DescribeGlobalTableSettings', 'DescribeImport', 'DescribeKinesisStreamingDestination', 'DescribeLimits',
  'DescribeTable', 'DescribeTableReplicaAutoScaling', 'DescribeTimeToLive', 'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination', 'ExecuteStatement', 'ExecuteTransaction', 'ExportTableToPointInTime',
  'GetItem', 'GetResourcePolicy', 'ImportTable', 'ListBackups', 'ListContributorInsights', 'ListExports',
  'ListGlobalTables', 'ListImports', 'ListTables', 'ListTagsOfResource', 'PutItem', 'PutResourcePolicy', 'Query',
  'RestoreTableFromBackup', 'RestoreTableToPointInTime', 'Scan', 'TagResource', 'TransactGetItems',
  'TransactWriteItems', 'UntagResource', 'UpdateContinuousBackups', 'UpdateContributorInsights', 'UpdateGlobalTable',
  'UpdateGlobalTableSettings', 'UpdateItem', 'UpdateKinesisStreamingDestination', 'UpdateTable',
  'UpdateTableReplicaAutoScaling', 'UpdateTimeToLive',
]);
