import { hostId } from '../../core/ids.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { bodyStorage } from './body-storage.ts';
import { objectHeaders } from './object-headers.ts';
import { WEBSITE_PATH_PREFIX } from './addressing.ts';
import type { S3Handlers } from './s3-handler.ts';
import { s3State, type Bucket, type RoutingRule, type S3Object } from './s3-state.ts';
import { anonymousMay } from './website-access.ts';
import { websiteErrorPage, type WebsiteErrorPage } from './website-pages.ts';

/**
 * The static website endpoint (<bucket>.s3-website.<region>.localhost, or the path form
 * /_website/<bucket>/<key>): anonymous GET and HEAD only, index and error documents,
 * redirects, and HTML error pages. Every read is an anonymous s3:GetObject that the
 * bucket policy must allow.
 */
export const websiteHandlers: S3Handlers = {
  WebsiteGet: websiteGet,
  WebsitePUT: methodNotAllowed,
  WebsitePOST: methodNotAllowed,
  WebsiteDELETE: methodNotAllowed,
};

const HTML = 'text/html; charset=utf-8';

async function websiteGet(ctx: RequestContext): Promise<ServiceResponse> {
  const name = ctx.bucket ?? '';
  const bucket = s3State(ctx.store).buckets.get(name);
  if (!bucket) return errorPage(ctx, notFound('NoSuchBucket', 'The specified bucket does not exist', [['BucketName', name]]));
  const config = bucket.website;
  if (!config) {
    return errorPage(
      ctx,
      notFound('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', [['BucketName', name]]),
    );
  }

  const key = ctx.key ?? '';
  if (config.redirectAllRequestsTo) {
    const { hostName, protocol } = config.redirectAllRequestsTo;
    return redirect(301, `${protocol ?? 'http'}://${hostName}/${encodeKey(key)}`);
  }

  // Rules without an error-code condition redirect before anything is read.
  const early = config.routingRules?.find((rule) => !rule.condition?.httpErrorCodeReturnedEquals && prefixMatches(rule, key));
  if (early) return routingRedirect(ctx, early, key);

  const index = config.indexDocument ?? '';
  const isFolder = key === '' || key.endsWith('/');
  const objectKey = isFolder ? key + index : key;
  const found = readable(ctx, bucket, objectKey);
  if (found.object) return serveObject(ctx, bucket, found.object, 200);

  // "docs" is not an object but "docs/index.html" is: S3 sends the browser to the folder URL.
  if (!isFolder && !bucket.objects.has(key) && readable(ctx, bucket, `${key}/${index}`).object) {
    return redirect(302, `${siteRoot(ctx, bucket)}${encodeKey(key)}/`);
  }

  const status = String(found.error.status);
  const onError = config.routingRules?.find((rule) => rule.condition?.httpErrorCodeReturnedEquals === status && prefixMatches(rule, key));
  if (onError) return routingRedirect(ctx, onError, key);

  if (config.errorDocument !== undefined) {
    const errorDocument = readable(ctx, bucket, config.errorDocument);
    if (errorDocument.object) return serveObject(ctx, bucket, errorDocument.object, found.error.status);
    return errorPage(ctx, found.error, errorDocument.error);
  }
  return errorPage(ctx, found.error);
}

/**
 * An object the anonymous visitor may read, or the error S3 gives instead. A missing key is
 * 404 only when the visitor may also list the bucket; otherwise S3 answers 403, so that
 * outsiders cannot probe which keys exist (the usual surprise with a GetObject-only policy).
 */
function readable(ctx: RequestContext, bucket: Bucket, key: string): { object: S3Object; error?: never } | { object?: never; error: WebsiteErrorPage } {
  const object = bucket.objects.get(key);
  if (object && anonymousMay(ctx, bucket, 's3:GetObject', `arn:aws:s3:::${bucket.name}/${key}`)) return { object };
  if (!object && anonymousMay(ctx, bucket, 's3:ListBucket', `arn:aws:s3:::${bucket.name}`)) {
    return { error: notFound('NoSuchKey', 'The specified key does not exist.', [['Key', key]]) };
  }
  return { error: { status: 403, code: 'AccessDenied', message: 'Access Denied' } };
}

function serveObject(ctx: RequestContext, bucket: Bucket, object: S3Object, status: number): ServiceResponse {
  ctx.logParams.websiteKey = object.key;
  return {
    status,
    headers: { ...objectHeaders(object, new URLSearchParams()), 'content-length': String(object.size) },
    body: bodyStorage(ctx.store).stream(object.body),
  };
}

function errorPage(ctx: RequestContext, error: WebsiteErrorPage, errorDocumentFailure?: WebsiteErrorPage): ServiceResponse {
  // The page shows the same HostId as the x-amz-id-2 header, as S3's does.
  const host = hostId();
  const page = websiteErrorPage(error, { requestId: ctx.requestId, hostId: host }, errorDocumentFailure);
  ctx.logParams.websiteError = error.code;
  return {
    status: error.status,
    headers: { 'content-type': HTML, 'content-length': String(Buffer.byteLength(page)), 'x-amz-id-2': host },
    body: page,
  };
}

function methodNotAllowed(ctx: RequestContext): ServiceResponse {
  return errorPage(ctx, {
    status: 405,
    code: 'MethodNotAllowed',
    message: 'The specified method is not allowed against this resource.',
    details: [
      ['Method', ctx.method],
      ['ResourceType', 'OBJECT'],
    ],
  });
}

function notFound(code: string, message: string, details: Array<[string, string]>): WebsiteErrorPage {
  return { status: 404, code, message, details };
}

function prefixMatches(rule: RoutingRule, key: string): boolean {
  const prefix = rule.condition?.keyPrefixEquals;
  return prefix === undefined || key.startsWith(prefix);
}

/** A routing rule's redirect: the key rewritten, on the rule's host (or this one), 301 unless the rule says. */
function routingRedirect(ctx: RequestContext, rule: RoutingRule, key: string): ServiceResponse {
  const target = rule.redirect;
  const prefix = rule.condition?.keyPrefixEquals ?? '';
  const newKey =
    target.replaceKeyWith ?? (target.replaceKeyPrefixWith !== undefined ? target.replaceKeyPrefixWith + key.slice(prefix.length) : key);
  const protocol = target.protocol ?? 'http';
  const location = target.hostName
    ? `${protocol}://${target.hostName}/${encodeKey(newKey)}`
    : `${protocol}://${ctx.headers.host ?? 'localhost'}${siteRoot(ctx)}${encodeKey(newKey)}`;
  return redirect(Number(target.httpRedirectCode ?? '301'), location);
}

function redirect(status: number, location: string): ServiceResponse {
  return { status, headers: { location, 'content-length': '0' } };
}

/** Where the site's root is on this endpoint: `/` on the website host, `/_website/<bucket>/` in the path form. */
function siteRoot(ctx: RequestContext, bucket?: Bucket): string {
  if (!ctx.rawPath.startsWith(WEBSITE_PATH_PREFIX)) return '/';
  return `${WEBSITE_PATH_PREFIX}${encodeURIComponent(bucket?.name ?? ctx.bucket ?? '')}/`;
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
