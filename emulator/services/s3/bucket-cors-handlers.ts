import { ServiceError } from '../../core/service-error.ts';
import { malformedXml } from '../../protocols/xml.ts';
import { accessibleBucket } from './bucket-access.ts';
import { childElements, childText, childTexts, configRoot, onlyChildren, type XmlElement } from './config-xml.ts';
import { invalidRequest } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import type { CorsRule } from './s3-state.ts';

const MAX_CORS_RULES = 100;
const CORS_METHODS = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'];

/** PutBucketCors / GetBucketCors / DeleteBucketCors. */
export const bucketCorsHandlers: S3Handlers = {
  PutBucketCors: (ctx) => {
    const bucket = accessibleBucket(ctx);
    bucket.cors = parseCorsConfiguration(ctx.body);
    return {};
  },
  GetBucketCors: (ctx) => {
    const bucket = accessibleBucket(ctx);
    if (!bucket.cors) {
      throw new ServiceError('NoSuchCORSConfiguration', 'The CORS configuration does not exist', 404, { BucketName: bucket.name });
    }
    return { xml: { root: 'CORSConfiguration', value: { '@_xmlns': S3_XMLNS, CORSRule: bucket.cors.map(renderRule) } } };
  },
  DeleteBucketCors: (ctx) => {
    accessibleBucket(ctx).cors = undefined;
    return { status: 204 };
  },
};

function parseCorsConfiguration(body: Buffer): CorsRule[] {
  const root = configRoot(body, 'CORSConfiguration');
  onlyChildren(root, ['CORSRule']);
  const rules = childElements(root, 'CORSRule').map(parseRule);
  if (rules.length === 0) throw malformedXml();
  if (rules.length > MAX_CORS_RULES) {
    throw invalidRequest(`The number of CORS rules should not exceed allowed limit of ${MAX_CORS_RULES} rules.`);
  }
  return rules;
}

function parseRule(element: XmlElement): CorsRule {
  onlyChildren(element, ['ID', 'AllowedHeader', 'AllowedMethod', 'AllowedOrigin', 'ExposeHeader', 'MaxAgeSeconds']);
  const rule: CorsRule = {
    id: childText(element, 'ID'),
    allowedOrigins: childTexts(element, 'AllowedOrigin'),
    allowedMethods: childTexts(element, 'AllowedMethod'),
    allowedHeaders: childTexts(element, 'AllowedHeader'),
    exposeHeaders: childTexts(element, 'ExposeHeader'),
  };
  if (rule.allowedOrigins.length === 0 || rule.allowedMethods.length === 0) throw malformedXml();
  for (const method of rule.allowedMethods) {
    if (!CORS_METHODS.includes(method)) {
      throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);
    }
  }
  // One wildcard at most: S3 matches origins and headers with a single `*`.
  for (const origin of rule.allowedOrigins) {
    if (origin.split('*').length > 2) throw invalidRequest(`AllowedOrigin "${origin}" can not have more than one wildcard.`);
  }
  for (const header of rule.allowedHeaders) {
    if (header.split('*').length > 2) throw invalidRequest(`AllowedHeader "${header}" can not have more than one wildcard.`);
  }
  const maxAge = childText(element, 'MaxAgeSeconds');
  if (maxAge !== undefined) {
    if (!/^-?\d+$/.test(maxAge)) throw malformedXml();
    rule.maxAgeSeconds = Number(maxAge);
  }
  return rule;
}

function renderRule(rule: CorsRule): Record<string, unknown> {
  return {
    ...(rule.id !== undefined ? { ID: rule.id } : {}),
    ...(rule.allowedHeaders.length > 0 ? { AllowedHeader: rule.allowedHeaders } : {}),
    AllowedMethod: rule.allowedMethods,
    AllowedOrigin: rule.allowedOrigins,
    ...(rule.exposeHeaders.length > 0 ? { ExposeHeader: rule.exposeHeaders } : {}),
    ...(rule.maxAgeSeconds !== undefined ? { MaxAgeSeconds: rule.maxAgeSeconds } : {}),
  };
}
