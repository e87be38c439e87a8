import { ANONYMOUS } from '../../core/identity.ts';
import { isServiceError, ServiceError } from '../../core/service-error.ts';
import type { AuthorizationRequest, RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { ALGORITHM, signatureOf, signaturesEqual, signingKey } from '../../sigv4/signing.ts';
import { accessibleBucket } from './bucket-access.ts';
import { bodyStorage } from './body-storage.ts';
import { corsResponseHeaders } from './cors-preflight.ts';
import { attributesFromHeaders } from './object-metadata.ts';
import { assertKeyLength, md5Etag, storeObject } from './object-store.ts';
import { isMultipartForm, parsePostForm, type PostForm } from './post-object-form.ts';
import { checkPostPolicy, parsePostPolicy } from './post-policy.ts';
import { objectArn } from './s3-authorization.ts';
import { invalidArgument } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import { s3State } from './s3-state.ts';

/**
 * S3 POST Object: a browser's HTML form uploads a file straight to the bucket
 * (S3 API Reference, "POST Object"; "Browser-Based Uploads Using POST (AWS Signature
 * Version 4)"). The form carries its own authentication: a base64 POST policy and its
 * SigV4 signature (x-amz-algorithm, x-amz-credential, x-amz-date, x-amz-signature),
 * instead of an Authorization header. Three steps of the pipeline:
 *   readPostForm       parse the multipart body (before authentication, which needs it);
 *   authenticatePostForm  verify the policy's signature and conditions, resolve the signer;
 *   PostObject         store the file, answer as success_action_status/redirect says.
 * The authorize stage then judges s3:PutObject on the form's key for the signer, as for PutObject.
 */
export const postObjectHandlers: S3Handlers = { PostObject: postObject };

/** A POST to a bucket with a multipart form is POST Object (any other POST on a bucket is not). */
export function isPostObject(ctx: RequestContext): boolean {
  return ctx.method === 'POST' && ctx.bucket !== undefined && ctx.key === undefined && isMultipartForm(ctx.headers['content-type']);
}

const forms = new WeakMap<RequestContext, PostForm>();

function formOf(ctx: RequestContext): PostForm {
  const form = forms.get(ctx);
  if (!form) throw new Error('POST Object: the form was not read before authentication');
  return form;
}

/** Reads the form and names the object it uploads (the request log and the authorize stage see the key). */
export async function readPostForm(ctx: RequestContext): Promise<void> {
  if (ctx.operation !== 'PostObject') return;
  await withCors(ctx, async () => {
    const form = await parsePostForm(ctx.headers['content-type']!, ctx.rawBody);
    forms.set(ctx, form);
    const key = form.fields.get('key');
    if (key === undefined) {
      throw new ServiceError('InvalidArgument', "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", 400, {
        ArgumentName: 'key',
        ArgumentValue: '',
      });
    }
    if (!form.file) throw invalidArgument('POST requires exactly one file upload per request.', 'file', '0');
    // `${filename}` in the key stands for the name of the uploaded file.
    ctx.key = key.replaceAll('${filename}', form.file.filename);
    assertKeyLength(ctx.key);
    ctx.logParams.origin = ctx.headers.origin ?? '';
    ctx.logParams['user-agent'] = ctx.headers['user-agent'] ?? '';
  });
}

/**
 * Authenticates a POST Object from its form fields: true when the request was one (the
 * caller is then the signer, or anonymous for a form without a policy). The signature is
 * HMAC-SHA256 of the base64 policy with the SigV4 signing key of x-amz-credential's scope.
 */
export function authenticatePostForm(ctx: RequestContext): boolean {
  if (ctx.operation !== 'PostObject') return false;
  const form = formOf(ctx);
  const fields = new Map(form.fields);
  fields.set('bucket', fields.get('bucket') ?? ctx.bucket ?? '');
  try {
    const encodedPolicy = fields.get('policy');
    if (encodedPolicy === undefined) {
      // No policy: an anonymous upload, allowed only where the bucket policy lets everyone write.
      ctx.caller = ANONYMOUS;
      return true;
    }
    const signature = required(fields, 'x-amz-signature');
    const algorithm = required(fields, 'x-amz-algorithm');
    if (algorithm !== ALGORITHM) throw invalidArgument('Only AWS4-HMAC-SHA256 is supported for x-amz-algorithm.', 'x-amz-algorithm', algorithm);
    const credential = required(fields, 'x-amz-credential');
    required(fields, 'x-amz-date');
    const [accessKeyId = '', date = '', region = '', service = '', terminator] = credential.split('/');
    if (!/^\d{8}$/.test(date) || !region || service !== 's3' || terminator !== 'aws4_request') {
      throw invalidArgument(`Invalid credential in x-amz-credential: ${credential}`, 'x-amz-credential', credential);
    }
    const record = ctx.store.credentials.find(accessKeyId);
    if (!record || record.status !== 'Active') {
      throw new ServiceError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, { AWSAccessKeyId: accessKeyId });
    }
    const expected = signatureOf(signingKey(record.secretAccessKey, { date, region, service }), encodedPolicy);
    if (!signaturesEqual(expected, signature)) {
      throw new ServiceError(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        403,
        { AWSAccessKeyId: accessKeyId, StringToSign: encodedPolicy, SignatureProvided: signature },
      );
    }
    if (record.sessionToken !== undefined) {
      if (fields.get('x-amz-security-token') !== record.sessionToken) throw new ServiceError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
      if (record.expiresAt !== undefined && record.expiresAt < ctx.store.clock.nowMs()) throw new ServiceError('ExpiredToken', 'The provided token has expired.', 400);
    }
    checkPostPolicy(parsePostPolicy(encodedPolicy), fields, form.file!.data.length, ctx.store.clock.now());
    ctx.credential = record;
    ctx.caller = record.caller;
    ctx.region = region;
    return true;
  } catch (error) {
    throw withCorsError(ctx, error);
  }
}

function required(fields: Map<string, string>, name: string): string {
  const value = fields.get(name);
  if (value === undefined) {
    throw invalidArgument(`Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, name, '');
  }
  return value;
}

/** success_action_status: 200 and 204 answer with no body, 201 with a PostResponse document; anything else is 204. */
const SUCCESS_STATUSES = new Set(['200', '201', '204']);

async function postObject(ctx: RequestContext): Promise<ServiceResponse> {
  return withCors(ctx, async () => {
    const { fields, file } = formOf(ctx);
    const bucket = accessibleBucket(ctx);
    const key = ctx.key!;
    // Object attributes come from the form fields named like PutObject's headers (Content-Type, Cache-Control, x-amz-meta-*).
    const attributes = attributesFromHeaders(Object.fromEntries(fields));
    const data = file!.data;
    const etag = md5Etag(data);
    storeObject(ctx, bucket, {
      key,
      body: await bodyStorage(ctx.store).save(data),
      size: data.length,
      etag,
      lastModified: ctx.receivedAt,
      checksums: {},
      ...attributes,
    });
    const location = `${new URL(`/${bucket.name}/${encodeURIComponent(key).replaceAll('%2F', '/')}`, `http://${ctx.headers.host ?? 'localhost'}`)}`;
    const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
    if (redirect) {
      const target = redirectTarget(redirect, bucket.name, key, etag);
      if (target) return { status: 303, headers: { etag, location: target } };
    }
    const status = fields.get('success_action_status');
    if (status === '201') {
      return { status: 201, headers: { etag, location }, xml: { root: 'PostResponse', value: { '@_xmlns': S3_XMLNS, Location: location, Bucket: bucket.name, Key: key, ETag: etag } } };
    }
    return { status: status && SUCCESS_STATUSES.has(status) ? Number(status) : 204, headers: { etag, location } };
  });
}

/** The redirect URL with bucket, key and etag added; S3 ignores a redirect that is not a URL. */
function redirectTarget(redirect: string, bucket: string, key: string, etag: string): string | undefined {
  try {
    const url = new URL(redirect);
    url.searchParams.set('bucket', bucket);
    url.searchParams.set('key', key);
    url.searchParams.set('etag', etag);
    return url.toString();
  } catch {
    return undefined;
  }
}

/**
 * A browser reads S3's answer to a cross-origin form upload (success or refusal) only when
 * it carries the bucket's CORS headers, so a page can show "too large" or "not allowed".
 */
async function withCors<T>(ctx: RequestContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw withCorsError(ctx, error);
  }
}

function withCorsError(ctx: RequestContext, error: unknown): unknown {
  if (!isServiceError(error)) return error;
  const cors = corsResponseHeaders(ctx);
  if (Object.keys(cors).length === 0) return error;
  return new ServiceError(error.code, error.message, error.status, error.extra, { ...cors, ...error.headers });
}

/**
 * What the authorize stage judges: s3:PutObject on the form's key, as for PutObject ("POST
 * Object" requires WRITE on the bucket; the IAM action is s3:PutObject).
 */
export function postObjectAuthorization(ctx: RequestContext): AuthorizationRequest {
  const bucket = s3State(ctx.store).buckets.get(ctx.bucket ?? '');
  return { action: 's3:PutObject', resources: [objectArn(ctx.bucket ?? '', ctx.key ?? '')], resourceAccount: bucket?.ownerAccount, resourcePolicy: bucket?.policy };
}
