/**
 * The error codes AWS services use for "slow down": each service has its own name for
 * it (the SDK's own list is in @smithy/service-error-classification, THROTTLING_ERROR_CODES).
 */
export const THROTTLING_ERRORS = [
  'ThrottlingException', // DynamoDB, most JSON services
  'Throttling', // IAM, STS and other query services
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException', // DynamoDB: a table or index over its capacity
  'TransactionInProgressException',
  'RequestLimitExceeded', // EC2
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown', // S3, with HTTP 503
  'PriorRequestNotComplete',
  'EC2ThrottledException',
];

/** Errors of the connection itself, before any answer came (Node's `error.code`). */
export const CONNECTION_ERRORS = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'];

/**
 * TODO 1: Should this error be retried?
 *
 * An error is worth another attempt when trying again later can succeed:
 * - the service asked you to slow down: the error's `name` is one of THROTTLING_ERRORS;
 * - the service failed on its side: HTTP status 500, 502, 503 or 504
 *   (`error.$metadata.httpStatusCode`);
 * - the request never got an answer: a `TimeoutError`, or a connection error whose
 *   `code` is one of CONNECTION_ERRORS.
 *
 * Anything else is the caller's mistake (a 4xx: ValidationException, AccessDenied,
 * NoSuchBucket, ConditionalCheckFailedException, ...): the same request will fail the
 * same way every time, so retrying it only wastes time and money. Return false then,
 * and for anything that is not an Error at all.
 */
export function isRetryable(error: unknown): boolean {
  // BEGIN SOLUTION TODO 1
  if (!(error instanceof Error)) return false;
  const { $metadata, code } = error as Error & { $metadata?: { httpStatusCode?: number }; code?: string };
  if (THROTTLING_ERRORS.includes(error.name)) return true;
  if (error.name === 'TimeoutError' || (code !== undefined && CONNECTION_ERRORS.includes(code))) return true;
  const status = $metadata?.httpStatusCode;
  return status === 500 || status === 502 || status === 503 || status === 504;
  // END SOLUTION
}
