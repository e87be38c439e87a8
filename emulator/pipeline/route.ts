import { NotImplementedError, ServiceError } from '../core/service-error.ts';
import type { RequestContext, ServiceModule } from './context.ts';

/** Which service each protocol's discriminator selects. */
export interface ServiceDirectory {
  /** By X-Amz-Target prefix, e.g. DynamoDB_20120810 -> dynamodb. */
  byTargetPrefix: Map<string, ServiceModule>;
  /** By SigV4 signing name (credential scope), for query-protocol services. */
  bySigningName: Map<string, ServiceModule>;
  /** Query-protocol services by Action, for requests whose scope does not say (presigned, unsigned). */
  byQueryAction: (action: string) => ServiceModule | undefined;
  s3: ServiceModule;
}

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * Route stage: pick the service and operation.
 * JSON services by X-Amz-Target; query services (IAM, STS) by form `Action`;
 * everything else is S3 (path-style, virtual-host-style, or the website endpoint).
 */
export function route(ctx: RequestContext, services: ServiceDirectory): void {
  const target = ctx.headers['x-amz-target'];
  if (target) {
    const [prefix, operation] = target.split('.');
    const service = ctx.service = services.byTargetPrefix.get(prefix ?? '');
    if (!service || !operation) {
      throw new ServiceError('UnknownOperationException', `Unknown target ${target}.`, 400);
    }
    ctx.json = parseJsonBody(ctx.body);
    ctx.operation = asClientError(() => service.resolveOperation(ctx), (error) =>
      // AWS JSON services answer an operation they do not have with UnknownOperationException (400).
      new ServiceError('UnknownOperationException', `Unknown operation ${target}. ${error.message}`, 400),
    );
    return;
  }

  const form = queryProtocolForm(ctx);
  if (form) {
    ctx.form = form;
    const action = form.get('Action') ?? '';
    const scopeService = signingNameFromRequest(ctx);
    const service = (scopeService && services.bySigningName.get(scopeService)) || services.byQueryAction(action);
    if (service) ctx.service = service;
    // Query APIs' common errors: MissingAction and InvalidAction, both 400 (e.g. IAM API Reference, "Common Errors").
    if (action === '') throw new ServiceError('MissingAction', 'The request is missing an action or a required parameter: Action.', 400);
    if (!service) throw new ServiceError('InvalidAction', `Could not find operation ${action}.`, 400);
    ctx.operation = asClientError(() => service.resolveOperation(ctx), (error) =>
      new ServiceError('InvalidAction', `The action ${action} is not valid for this web service. ${error.message}`, 400),
    );
    return;
  }

  ctx.service = services.s3;
  ctx.operation = asClientError(() => services.s3.resolveOperation(ctx), (error) => {
    // S3 answers a method it has no operation for with 405 MethodNotAllowed (S3 API Reference, "Error responses").
    if (S3_METHODS.has(ctx.method)) return error;
    return new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
      Method: ctx.method,
      ResourceType: ctx.key !== undefined ? 'OBJECT' : ctx.bucket !== undefined ? 'BUCKET' : 'SERVICE',
    });
  });
}

/** Methods S3 has operations for; any other is 405 on every resource. */
const S3_METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS']);

/**
 * A service's resolveOperation answers an operation it does not implement with 501
 * NotImplemented (what the emulator lacks); where AWS itself answers a 4xx for an
 * operation it does not know, `toClientError` says which.
 */
function asClientError(resolve: () => string, toClientError: (error: ServiceError) => ServiceError): string {
  try {
    return resolve();
  } catch (error) {
    // An operation AWS has but the emulator lacks stays 501 NotImplemented, naming it.
    if (error instanceof ServiceError && error.code === 'NotImplemented' && !(error instanceof NotImplementedError && error.ofKnownOperation)) {
      throw toClientError(error);
    }
    throw error;
  }
}

/**
 * True when the request body, not the URL, says which service and operation: JSON
 * protocol (X-Amz-Target) and query-protocol forms. Decided from the headers alone, so
 * the pipeline knows whether it must read the body before routing.
 */
export function routesByBody(ctx: RequestContext): boolean {
  if (ctx.headers['x-amz-target']) return true;
  return isQueryForm(ctx);
}

/**
 * A form POST is a query-protocol request (IAM, STS), unless it is signed for S3:
 * one signed for a query service without an Action is that service's MissingAction, not an S3 request.
 */
function isQueryForm(ctx: RequestContext): boolean {
  const contentType = (ctx.headers['content-type'] ?? '').toLowerCase();
  if (ctx.method !== 'POST' || !contentType.startsWith(FORM_CONTENT_TYPE)) return false;
  const scope = signingNameFromRequest(ctx);
  return scope === undefined ? ctx.rawPath === '/' || ctx.query.has('Action') : scope !== 's3';
}

function queryProtocolForm(ctx: RequestContext): URLSearchParams | undefined {
  if (isQueryForm(ctx)) {
    const form = new URLSearchParams(ctx.body.toString('utf8'));
    // The Action may also travel in the query string of a form POST.
    for (const [name, value] of ctx.query) if (!form.has(name)) form.set(name, value);
    return form;
  }
  if ((ctx.method === 'GET' || ctx.method === 'POST') && ctx.query.has('Action') && ctx.rawPath === '/') {
    return new URLSearchParams(ctx.query);
  }
  return undefined;
}

/** The service named in the SigV4 credential scope (header or presigned form), if any. */
export function signingNameFromRequest(ctx: RequestContext): string | undefined {
  const header = ctx.headers.authorization ?? '';
  const fromHeader = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(header);
  if (fromHeader) return fromHeader[1];
  const credential = ctx.query.get('X-Amz-Credential');
  return credential?.split('/')[3];
}

function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not a valid JSON object.', 400);
  }
}
