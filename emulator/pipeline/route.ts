import { ServiceError } from '../core/service-error.ts';
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
    ctx.operation = service.resolveOperation(ctx);
    return;
  }

  const form = queryProtocolForm(ctx);
  if (form) {
    ctx.form = form;
    const action = form.get('Action') ?? '';
    const scopeService = signingNameFromRequest(ctx);
    const service = (scopeService && services.bySigningName.get(scopeService)) || services.byQueryAction(action);
    if (!service) throw new ServiceError('InvalidAction', `Could not find operation ${action}.`, 400);
    ctx.service = service;
    ctx.operation = service.resolveOperation(ctx);
    return;
  }

  ctx.service = services.s3;
  ctx.operation = services.s3.resolveOperation(ctx);
}

function queryProtocolForm(ctx: RequestContext): URLSearchParams | undefined {
  const contentType = ctx.headers['content-type'] ?? '';
  if (ctx.method === 'POST' && contentType.startsWith(FORM_CONTENT_TYPE)) {
    const form = new URLSearchParams(ctx.body.toString('utf8'));
    if (form.has('Action')) return form;
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
