import type { IncomingMessage, ServerResponse } from 'node:http';
import { ANONYMOUS } from '../core/identity.ts';
import { requestId } from '../core/ids.ts';
import { ServiceError } from '../core/service-error.ts';
import type { Store } from '../core/store.ts';
import { SOURCE_IP_HEADER } from '../core/source-ip-header.ts';
import { MAX_XML_BODY_BYTES, xmlTooLarge } from '../protocols/xml.ts';
import { authenticatePayload, authenticateSignature } from './authenticate.ts';
import { authorize } from './authorize.ts';
import { DEFAULT_BODY_PROGRESS, type BodyProgressLimits } from './body-progress.ts';
import type { RequestContext } from './context.ts';
import { dispatch } from './dispatch.ts';
import { injectFaults } from './faults.ts';
import { discardBody, readBody, type ReadBodyOptions } from './read-body.ts';
import { route, routesByBody, type ServiceDirectory } from './route.ts';
import { serializeError, serializeSuccess } from './serialize.ts';

/**
 * Body limits of the protocols whose body says what the request is. DynamoDB's largest
 * requests (BatchWriteItem, TransactWriteItems) are limited to 16 MB; IAM and STS
 * parameters are a few KB at most (a policy document is at most 10,240 characters, a
 * SAML assertion 100,000).
 */
const JSON_BODY_LIMIT = 16 * 1024 * 1024;
const QUERY_BODY_LIMIT = 1024 * 1024;

/** S3 operations whose body is object data (bounded by the maxBodyBytes setting); every other S3 body is an XML or JSON document. */
const S3_PAYLOAD_OPERATIONS = new Set(['PutObject', 'UploadPart', 'PostObject', 'WriteGetObjectResponse']);
/** S3 operations that carry their credentials in the body (POST Object's form): read before authentication. */
const BODY_AUTHENTICATED_OPERATIONS = new Set(['PostObject']);

/** One AWS request through the explicit chain of stages; every outcome is logged. */
export async function handleAwsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  store: Store,
  services: ServiceDirectory,
  bodyProgress: BodyProgressLimits = DEFAULT_BODY_PROGRESS,
): Promise<void> {
  const ctx = createContext(req, store);
  // The emulator clock, not the wall clock: the SDK corrects its clock skew from this
  // header after a RequestTimeTooSkewed, as it does against AWS.
  res.setHeader('date', store.clock.now().toUTCString());
  let status = 500;
  let errorCode: string | undefined;
  try {
    if (routesByBody(ctx)) {
      // JSON and query protocols: the body names the operation and its hash is signed.
      const limit = Math.min(ctx.headers['x-amz-target'] ? JSON_BODY_LIMIT : QUERY_BODY_LIMIT, store.settings.maxBodyBytes);
      await readWholeBody(ctx, req, limit, { progress: bodyProgress });
      route(ctx, services);
      authenticateSignature(ctx);
    } else {
      // S3: the URL names the operation and the signature covers the declared payload
      // hash, so both are checked before the body is buffered, and the body is bounded
      // by what the operation takes. POST Object authenticates from its form, so it reads first.
      route(ctx, services);
      const bodyAuthenticated = BODY_AUTHENTICATED_OPERATIONS.has(ctx.operation ?? '');
      if (!bodyAuthenticated) authenticateSignature(ctx);
      const payload = S3_PAYLOAD_OPERATIONS.has(ctx.operation ?? '');
      const limit = payload ? store.settings.maxBodyBytes : Math.min(MAX_XML_BODY_BYTES, store.settings.maxBodyBytes);
      await readWholeBody(ctx, req, limit, { progress: bodyProgress, tooLarge: payload ? undefined : xmlTooLarge });
      await ctx.service?.readRequestBody?.(ctx);
      if (bodyAuthenticated) authenticateSignature(ctx);
      authenticatePayload(ctx);
    }
    authorize(ctx);
    await injectFaults(ctx);
    const out = await dispatch(ctx);
    status = out.status ?? 200;
    serializeSuccess(ctx, out, res);
  } catch (error) {
    // A request refused before its body was read: let the client finish sending (bounded), then answer.
    // A body that stopped arriving (RequestTimeout) is not waited for again: answer and close.
    const tooSlow = error instanceof ServiceError && error.code === 'RequestTimeout';
    if (tooSlow || !(await discardBody(req, store.settings.maxBodyBytes, bodyProgress))) res.setHeader('connection', 'close');
    const serviceError = serializeError(ctx, error, res);
    status = serviceError.status;
    errorCode = serviceError.code;
  }
  store.log.append({
    time: ctx.receivedAt.toISOString(),
    requestId: ctx.requestId,
    service: ctx.service?.name ?? 'unknown',
    operation: ctx.operation ?? 'unknown',
    method: ctx.method,
    path: ctx.rawPath,
    status,
    errorCode,
    region: ctx.region,
    accessKeyId: ctx.credential?.accessKeyId,
    credentialSource: ctx.credential?.source,
    callerArn: ctx.caller === ANONYMOUS ? undefined : ctx.caller.arn,
    bucket: ctx.bucket,
    key: ctx.key,
    params: Object.keys(ctx.logParams).length > 0 ? ctx.logParams : undefined,
  });
}

async function readWholeBody(ctx: RequestContext, req: IncomingMessage, limit: number, options: ReadBodyOptions): Promise<void> {
  ctx.rawBody = await readBody(req, limit, options);
  ctx.body = ctx.rawBody;
}

function createContext(req: IncomingMessage, store: Store): RequestContext {
  const rawTarget = req.url ?? '/';
  const queryStart = rawTarget.indexOf('?');
  const rawPath = queryStart === -1 ? rawTarget : rawTarget.slice(0, queryStart);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    store,
    requestId: requestId(),
    receivedAt: store.clock.now(),
    method: req.method ?? 'GET',
    rawTarget,
    rawPath,
    query: new URLSearchParams(queryStart === -1 ? '' : rawTarget.slice(queryStart + 1)),
    headers,
    rawHeaders: req.rawHeaders,
    rawBody: Buffer.alloc(0),
    body: Buffer.alloc(0),
    sourceIp: headers[SOURCE_IP_HEADER] ?? normaliseAddress(req.socket.remoteAddress),
    region: 'us-east-1',
    caller: ANONYMOUS,
    logParams: {},
  };
}

/** ::ffff:127.0.0.1 -> 127.0.0.1, so IpAddress conditions see the familiar form. */
function normaliseAddress(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
