import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { wildcardMatch } from '../../policy/wildcard.ts';
import type { S3Handlers } from './s3-handler.ts';
import { s3State, type CorsRule } from './s3-state.ts';

/**
 * CORS on the S3 REST endpoint: the browser's OPTIONS preflight, answered from the
 * bucket's CORS rules (no credentials: browsers never sign preflights), and the
 * Access-Control-* headers on ordinary responses to a request with a matching Origin.
 */
export const corsPreflightHandlers: S3Handlers = {
  PreflightRequest: preflight,
};

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

function preflight(ctx: RequestContext): ServiceResponse {
  const origin = ctx.headers.origin;
  if (!origin) throw new ServiceError('BadRequest', 'Insufficient information. Origin request header needed.', 400);
  const method = ctx.headers['access-control-request-method'];
  // S3 prints the missing header the way Java prints a null.
  if (!method) throw new ServiceError('BadRequest', 'Invalid Access-Control-Request-Method: null', 400);

  const forbidden = (message: string) =>
    new ServiceError('AccessForbidden', message, 403, { Method: method, ResourceType: ctx.key === undefined ? 'BUCKET' : 'OBJECT' });
  const bucket = ctx.bucket ? s3State(ctx.store).buckets.get(ctx.bucket) : undefined;
  if (!bucket) throw forbidden('CORSResponse: Bucket not found');
  if (!bucket.cors) throw forbidden('CORSResponse: CORS is not enabled for this bucket.');

  const requestedHeaders = (ctx.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((header) => header.trim())
    .filter((header) => header !== '');
  const rule = matchingRule(bucket.cors, origin, method, requestedHeaders);
  if (!rule) throw forbidden(NOT_ALLOWED);

  const headers = allowHeaders(rule, origin);
  if (requestedHeaders.length > 0) headers['access-control-allow-headers'] = requestedHeaders.join(', ');
  headers.vary = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
  return { headers };
}

/**
 * Access-Control-* headers for an ordinary (non-preflight) S3 response: set when the
 * request carries an Origin that one of the bucket's CORS rules allows for this method.
 * Empty otherwise, and for requests without a bucket.
 */
export function corsResponseHeaders(ctx: RequestContext): Record<string, string> {
  const origin = ctx.headers.origin;
  if (!origin || !ctx.bucket) return {};
  const rules = s3State(ctx.store).buckets.get(ctx.bucket)?.cors;
  const rule = rules && matchingRule(rules, origin, ctx.method, []);
  if (!rule) return {};
  return { ...allowHeaders(rule, origin), vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method' };
}

/** A handler's response with the CORS headers that apply to it (the preflight sets its own). */
export function withCorsHeaders(ctx: RequestContext, out: ServiceResponse): ServiceResponse {
  if (ctx.operation === 'PreflightRequest') return out;
  const headers = corsResponseHeaders(ctx);
  return Object.keys(headers).length === 0 ? out : { ...out, headers: { ...headers, ...out.headers } };
}

/** The first rule that allows the origin, the method and every requested header (rules are tried in order). */
export function matchingRule(rules: CorsRule[], origin: string, method: string, requestedHeaders: string[]): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((allowed) => wildcardMatch(allowed, origin)) &&
      rule.allowedMethods.includes(method) &&
      requestedHeaders.every((header) => rule.allowedHeaders.some((allowed) => wildcardMatch(allowed, header, true))),
  );
}

function allowHeaders(rule: CorsRule, origin: string): Record<string, string> {
  // A rule open to every origin answers `*`; a rule naming origins echoes the caller's and allows credentials.
  const anyOrigin = rule.allowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
  };
  if (!anyOrigin) headers['access-control-allow-credentials'] = 'true';
  if (rule.exposeHeaders.length > 0) headers['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.maxAgeSeconds);
  return headers;
}
