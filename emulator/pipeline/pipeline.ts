import type { IncomingMessage, ServerResponse } from 'node:http';
import { ANONYMOUS } from '../core/identity.ts';
import { requestId } from '../core/ids.ts';
import type { Store } from '../core/store.ts';
import { authenticate } from './authenticate.ts';
import { authorize } from './authorize.ts';
import type { RequestContext } from './context.ts';
import { dispatch } from './dispatch.ts';
import { injectFaults } from './faults.ts';
import { readBody } from './read-body.ts';
import { route, type ServiceDirectory } from './route.ts';
import { serializeError, serializeSuccess } from './serialize.ts';

export const SOURCE_IP_HEADER = 'x-emulator-source-ip';

/** One AWS request through the explicit chain of stages; every outcome is logged. */
export async function handleAwsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  store: Store,
  services: ServiceDirectory,
): Promise<void> {
  const ctx = createContext(req, store);
  // The emulator clock, not the wall clock: the SDK corrects its clock skew from this
  // header after a RequestTimeTooSkewed, as it does against AWS.
  res.setHeader('date', store.clock.now().toUTCString());
  let status = 500;
  let errorCode: string | undefined;
  try {
    ctx.rawBody = await readBody(req, store.settings.maxBodyBytes);
    ctx.body = ctx.rawBody;
    route(ctx, services);
    await ctx.service?.readRequestBody?.(ctx);
    authenticate(ctx);
    authorize(ctx);
    await injectFaults(ctx);
    const out = await dispatch(ctx);
    status = out.status ?? 200;
    serializeSuccess(ctx, out, res);
  } catch (error) {
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
