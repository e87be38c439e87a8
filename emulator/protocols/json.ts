import { send, type ProtocolSerializer } from './serializer.ts';

/** Error-type namespaces the SDK strips before naming the exception. */
const ERROR_NAMESPACE: Record<string, string> = {
  dynamodb: 'com.amazonaws.dynamodb.v20120810',
};
const COMMON_NAMESPACE = 'com.amazon.coral.service';
/** Errors that the service front end (coral), not the service itself, raises. */
const COMMON_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'ExpiredTokenException',
  'AccessDeniedException',
  'SerializationException',
  'UnknownOperationException',
  'ValidationException',
  'ThrottlingException',
  'RequestTimeTooSkewedException',
]);

const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** AWS JSON 1.0 (DynamoDB). */
export const json: ProtocolSerializer = {
  success(ctx, out, res) {
    send(res, out.status ?? 200, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': ctx.requestId, ...out.headers }, JSON.stringify(out.result ?? {}));
  },

  error(ctx, error, res) {
    const namespace = COMMON_ERRORS.has(error.code) ? COMMON_NAMESPACE : ERROR_NAMESPACE[ctx.service?.name ?? ''] ?? COMMON_NAMESPACE;
    const body = JSON.stringify({ __type: `${namespace}#${error.code}`, message: error.message, ...error.extra });
    send(res, error.status, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': ctx.requestId, 'x-amzn-errortype': error.code, ...error.headers }, body);
  },
};
