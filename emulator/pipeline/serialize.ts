import type { ServerResponse } from 'node:http';
import { isServiceError, ServiceError } from '../core/service-error.ts';
import { json } from '../protocols/json.ts';
import { query } from '../protocols/query.ts';
import { restXml } from '../protocols/rest-xml.ts';
import type { ProtocolSerializer } from '../protocols/serializer.ts';
import type { Protocol, RequestContext, ServiceResponse } from './context.ts';

const SERIALIZERS: Record<Protocol, ProtocolSerializer> = { 'rest-xml': restXml, query, json };

/** Serialize stage: the response in the protocol of the service that was asked. */
export function serializeSuccess(ctx: RequestContext, out: ServiceResponse, res: ServerResponse): void {
  SERIALIZERS[protocolOf(ctx)].success(ctx, out, res);
}

/** Any failure, ours included, leaves as an AWS-shaped error: never a crash, never a hang. */
export function serializeError(ctx: RequestContext, error: unknown, res: ServerResponse): ServiceError {
  const serviceError = isServiceError(error) ? error : internalError(ctx, error);
  if (res.headersSent) {
    res.destroy();
    return serviceError;
  }
  SERIALIZERS[protocolOf(ctx)].error(ctx, serviceError, res);
  return serviceError;
}

function protocolOf(ctx: RequestContext): Protocol {
  if (ctx.service) return ctx.service.protocol;
  if (ctx.headers['x-amz-target']) return 'json';
  if (ctx.form) return 'query';
  return 'rest-xml';
}

function internalError(ctx: RequestContext, error: unknown): ServiceError {
  const detail = error instanceof Error ? error.message : String(error);
  console.error(`[emulator] internal error on ${ctx.method} ${ctx.rawTarget}: ${error instanceof Error ? error.stack : detail}`);
  const code = ctx.service?.protocol === 'rest-xml' || !ctx.service ? 'InternalError' : 'InternalFailure';
  return new ServiceError(code, `The emulator failed on this request: ${detail}`, 500);
}
