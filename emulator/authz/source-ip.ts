import type { RequestContext } from '../pipeline/context.ts';
import { SOURCE_IP_HEADER } from '../core/source-ip-header.ts';
import { iamState } from '../services/iam/iam-state.ts';

/**
 * The address aws:SourceIp sees. Every request comes from 127.0.0.1, so labs that
 * teach IpAddress conditions simulate one: per request with the x-emulator-source-ip
 * header, or per access key through the control API seed
 * (POST /_emulator/seed {"iam": {"sourceIps": {"AKIA...": "203.0.113.7"}}}).
 * The header wins over the per-key setting, which wins over the socket address.
 */
export function effectiveSourceIp(ctx: RequestContext): string {
  if (ctx.headers[SOURCE_IP_HEADER] !== undefined) return ctx.sourceIp;
  const key = ctx.credential?.accessKeyId;
  const configured = key !== undefined ? iamState(ctx.store).sourceIps.get(key) : undefined;
  return configured ?? ctx.sourceIp;
}
