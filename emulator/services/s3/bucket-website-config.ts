import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext, ServiceResponse } from '../../pipeline/context.ts';
import { malformedXml } from '../../protocols/xml.ts';
import { accessibleBucket } from './bucket-access.ts';
import { childElement, childElements, childText, configRoot, onlyChildren, type XmlElement } from './config-xml.ts';
import { invalidArgument, invalidRequest } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import type { RoutingRule, WebsiteConfiguration } from './s3-state.ts';

/** S3 accepts at most this many routing rules in one website configuration. */
const MAX_ROUTING_RULES = 50;

/** PutBucketWebsite / GetBucketWebsite / DeleteBucketWebsite: the static website configuration. */
export const bucketWebsiteHandlers: S3Handlers = {
  PutBucketWebsite: (ctx) => {
    const bucket = accessibleBucket(ctx);
    bucket.website = parseWebsiteConfiguration(ctx.body);
    return {};
  },
  GetBucketWebsite: (ctx) => {
    const bucket = accessibleBucket(ctx);
    if (!bucket.website) throw noSuchWebsiteConfiguration(bucket.name);
    return { xml: { root: 'WebsiteConfiguration', value: { '@_xmlns': S3_XMLNS, ...renderWebsite(bucket.website) } } };
  },
  DeleteBucketWebsite: (ctx): ServiceResponse => {
    accessibleBucket(ctx).website = undefined;
    return { status: 204 };
  },
};

export function noSuchWebsiteConfiguration(bucket: string): ServiceError {
  return new ServiceError('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', 404, {
    BucketName: bucket,
  });
}

export function parseWebsiteConfiguration(body: Buffer): WebsiteConfiguration {
  const root = configRoot(body, 'WebsiteConfiguration');
  onlyChildren(root, ['IndexDocument', 'ErrorDocument', 'RedirectAllRequestsTo', 'RoutingRules']);
  const config: WebsiteConfiguration = {};

  const redirectAll = childElement(root, 'RedirectAllRequestsTo');
  if (redirectAll) {
    if (root.IndexDocument !== undefined || root.ErrorDocument !== undefined || root.RoutingRules !== undefined) {
      throw invalidRequest('RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.');
    }
    onlyChildren(redirectAll, ['HostName', 'Protocol']);
    const hostName = childText(redirectAll, 'HostName');
    if (!hostName) throw malformedXml();
    config.redirectAllRequestsTo = { hostName, protocol: protocolOf(redirectAll) };
    return config;
  }

  const index = childElement(root, 'IndexDocument');
  const suffix = index && childText(index, 'Suffix');
  if (suffix === undefined) {
    throw invalidArgument(
      'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty',
      'IndexDocument',
      '',
    );
  }
  // The suffix is appended to "folder" requests (docs/ -> docs/index.html): it cannot be empty or contain a slash.
  if (suffix === '' || suffix.includes('/')) {
    throw invalidArgument('The IndexDocument Suffix is not well formed', 'IndexDocument', suffix);
  }
  config.indexDocument = suffix;

  const error = childElement(root, 'ErrorDocument');
  if (error) {
    const key = childText(error, 'Key');
    if (!key) throw invalidArgument('The ErrorDocument Key is not well formed', 'ErrorDocument', key ?? '');
    config.errorDocument = key;
  }

  const rules = childElement(root, 'RoutingRules');
  if (rules) {
    onlyChildren(rules, ['RoutingRule']);
    const parsed = childElements(rules, 'RoutingRule').map(parseRoutingRule);
    if (parsed.length === 0) throw malformedXml();
    if (parsed.length > MAX_ROUTING_RULES) {
      throw invalidRequest(`The number of routing rules must not exceed the allowed limit of ${MAX_ROUTING_RULES} rules.`);
    }
    config.routingRules = parsed;
  }
  return config;
}

function parseRoutingRule(element: XmlElement): RoutingRule {
  onlyChildren(element, ['Condition', 'Redirect']);
  const redirectElement = childElement(element, 'Redirect');
  if (!redirectElement) throw malformedXml();
  onlyChildren(redirectElement, ['HostName', 'HttpRedirectCode', 'Protocol', 'ReplaceKeyPrefixWith', 'ReplaceKeyWith']);
  const redirect: RoutingRule['redirect'] = {
    hostName: childText(redirectElement, 'HostName'),
    protocol: protocolOf(redirectElement),
    replaceKeyPrefixWith: childText(redirectElement, 'ReplaceKeyPrefixWith'),
    replaceKeyWith: childText(redirectElement, 'ReplaceKeyWith'),
    httpRedirectCode: childText(redirectElement, 'HttpRedirectCode'),
  };
  if (redirect.replaceKeyPrefixWith !== undefined && redirect.replaceKeyWith !== undefined) {
    throw invalidRequest('You can only define ReplaceKeyPrefix or ReplaceKey but not both.');
  }
  const code = redirect.httpRedirectCode;
  if (code !== undefined && !(/^3\d\d$/.test(code) && code !== '300')) {
    throw invalidArgument(`The provided HTTP redirect code (${code}) is not valid. Valid codes are 3XX except 300.`, 'HttpRedirectCode', code);
  }
  if (Object.values(redirect).every((value) => value === undefined)) {
    throw invalidRequest('Redirect must have at least one element.');
  }

  const conditionElement = childElement(element, 'Condition');
  if (!conditionElement) return { redirect };
  onlyChildren(conditionElement, ['KeyPrefixEquals', 'HttpErrorCodeReturnedEquals']);
  const condition: NonNullable<RoutingRule['condition']> = {
    keyPrefixEquals: childText(conditionElement, 'KeyPrefixEquals'),
    httpErrorCodeReturnedEquals: childText(conditionElement, 'HttpErrorCodeReturnedEquals'),
  };
  const errorCode = condition.httpErrorCodeReturnedEquals;
  if (errorCode !== undefined && !/^[45]\d\d$/.test(errorCode)) {
    throw invalidArgument(
      `The provided HTTP error code (${errorCode}) is not valid. Valid codes are 4XX or 5XX.`,
      'HttpErrorCodeReturnedEquals',
      errorCode,
    );
  }
  if (condition.keyPrefixEquals === undefined && errorCode === undefined) {
    throw invalidRequest('Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn\'t be present.');
  }
  return { condition, redirect };
}

function protocolOf(element: XmlElement): string | undefined {
  const protocol = childText(element, 'Protocol');
  // An enumeration in S3's schema: anything else fails schema validation.
  if (protocol !== undefined && protocol !== 'http' && protocol !== 'https') throw malformedXml();
  return protocol;
}

/** The configuration in GetBucketWebsite's element order; absent parts are left out. */
function renderWebsite(config: WebsiteConfiguration): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (config.redirectAllRequestsTo) {
    out.RedirectAllRequestsTo = definedOnly({
      HostName: config.redirectAllRequestsTo.hostName,
      Protocol: config.redirectAllRequestsTo.protocol,
    });
  }
  if (config.indexDocument !== undefined) out.IndexDocument = { Suffix: config.indexDocument };
  if (config.errorDocument !== undefined) out.ErrorDocument = { Key: config.errorDocument };
  if (config.routingRules) {
    out.RoutingRules = {
      RoutingRule: config.routingRules.map((rule) => ({
        ...(rule.condition
          ? {
              Condition: definedOnly({
                HttpErrorCodeReturnedEquals: rule.condition.httpErrorCodeReturnedEquals,
                KeyPrefixEquals: rule.condition.keyPrefixEquals,
              }),
            }
          : {}),
        Redirect: definedOnly({
          HostName: rule.redirect.hostName,
          HttpRedirectCode: rule.redirect.httpRedirectCode,
          Protocol: rule.redirect.protocol,
          ReplaceKeyPrefixWith: rule.redirect.replaceKeyPrefixWith,
          ReplaceKeyWith: rule.redirect.replaceKeyWith,
        }),
      })),
    };
  }
  return out;
}

function definedOnly(value: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
