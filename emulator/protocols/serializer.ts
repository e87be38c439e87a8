import type { ServerResponse } from 'node:http';
import type { RequestContext, ServiceResponse } from '../pipeline/context.ts';
import type { ServiceError } from '../core/service-error.ts';

/** One per wire protocol: the only place bytes for a response are produced. */
export interface ProtocolSerializer {
  success(ctx: RequestContext, out: ServiceResponse, res: ServerResponse): void;
  error(ctx: RequestContext, error: ServiceError, res: ServerResponse): void;
}

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: Buffer | string): void {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(payload?.length ?? 0) });
  res.end(payload);
}
