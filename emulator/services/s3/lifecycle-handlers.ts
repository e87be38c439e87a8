import { ServiceError } from '../../core/service-error.ts';
import { malformedXml } from '../../protocols/xml.ts';
import { accessibleBucket } from './bucket-access.ts';
import { childElement, childElements, childText, configRoot, onlyChildren, type XmlElement } from './config-xml.ts';
import { invalidArgument } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';

/**
 * PutBucketLifecycleConfiguration / GetBucketLifecycleConfiguration / DeleteBucketLifecycle:
 * the rules are validated as S3 validates them (S3 API Reference, LifecycleRule) and given
 * back as stored. Nothing expires or transitions here: no clock-driven background work
 * exists in the emulator, so the configuration is what the labs can observe.
 */
const RULE_CHILDREN = [
  'ID',
  'Prefix',
  'Filter',
  'Status',
  'Expiration',
  'Transition',
  'NoncurrentVersionTransition',
  'NoncurrentVersionExpiration',
  'AbortIncompleteMultipartUpload',
];
const ACTIONS = ['Expiration', 'Transition', 'NoncurrentVersionTransition', 'NoncurrentVersionExpiration', 'AbortIncompleteMultipartUpload'];
const MAX_RULES = 1000;

export const lifecycleHandlers: S3Handlers = {
  PutBucketLifecycleConfiguration: (ctx) => {
    const bucket = accessibleBucket(ctx);
    bucket.lifecycle = parseLifecycle(ctx.body);
    return { headers: { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' } };
  },
  GetBucketLifecycleConfiguration: (ctx) => {
    const bucket = accessibleBucket(ctx);
    if (!bucket.lifecycle) {
      throw new ServiceError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404, { BucketName: bucket.name });
    }
    return {
      headers: { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' },
      xml: { root: 'LifecycleConfiguration', value: { '@_xmlns': S3_XMLNS, Rule: bucket.lifecycle } },
    };
  },
  DeleteBucketLifecycle: (ctx) => {
    accessibleBucket(ctx).lifecycle = undefined;
    return { status: 204 };
  },
};

function positiveInteger(parent: XmlElement | undefined, name: string, action: string): void {
  const text = parent ? childText(parent, name) : undefined;
  if (text !== undefined && !/^[1-9]\d*$/.test(text)) {
    throw invalidArgument(`'${name}' for ${action} action must be a positive integer`, name, text);
  }
}

function parseLifecycle(body: Buffer): XmlElement[] {
  const root = configRoot(body, 'LifecycleConfiguration');
  onlyChildren(root, ['Rule']);
  const rules = childElements(root, 'Rule');
  if (rules.length === 0 || rules.length > MAX_RULES) throw malformedXml();
  const ids = new Set<string>();
  for (const rule of rules) {
    onlyChildren(rule, RULE_CHILDREN);
    const status = childText(rule, 'Status');
    if (status !== 'Enabled' && status !== 'Disabled') throw malformedXml();
    const id = childText(rule, 'ID');
    if (id !== undefined) {
      if (id.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', id);
      if (ids.has(id)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id);
      ids.add(id);
    }
    // A rule scopes itself by Filter (current API) or Prefix (the deprecated form), never both.
    const hasFilter = rule.Filter !== undefined;
    const hasPrefix = rule.Prefix !== undefined;
    if (hasFilter === hasPrefix) throw malformedXml();
    if (!ACTIONS.some((action) => rule[action] !== undefined)) {
      throw invalidArgument('At least one action needs to be specified in a rule', 'Action', 'null');
    }
    positiveInteger(childElement(rule, 'Expiration'), 'Days', 'Expiration');
    positiveInteger(childElement(rule, 'NoncurrentVersionExpiration'), 'NoncurrentDays', 'NoncurrentVersionExpiration');
    positiveInteger(childElement(rule, 'AbortIncompleteMultipartUpload'), 'DaysAfterInitiation', 'AbortIncompleteMultipartUpload');
  }
  return rules;
}
