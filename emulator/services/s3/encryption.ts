import { createHash } from 'node:crypto';
import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { malformedXml } from '../../protocols/xml.ts';
import { accessibleBucket } from './bucket-access.ts';
import { childElement, childElements, childText, configRoot, onlyChildren } from './config-xml.ts';
import { invalidArgument, invalidRequest } from './s3-errors.ts';
import { S3_XMLNS, type S3Handlers } from './s3-handler.ts';
import type { Bucket, BucketEncryption, ObjectEncryption, S3Object } from './s3-state.ts';

/**
 * Server-side encryption as S3 reports it. Since January 2023 every new object is
 * encrypted with SSE-S3 unless the request or the bucket's default asks for SSE-KMS
 * (S3 User Guide, "Setting default server-side encryption behavior"), and responses
 * say so in x-amz-server-side-encryption. SSE-C objects can only be read with the
 * key they were written with. Nothing is encrypted here; only what S3 reports and
 * refuses is modelled. SSE-C over plain HTTP, which AWS refuses, is accepted: the
 * emulator listens on loopback only.
 */
const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

const SSE = 'x-amz-server-side-encryption';
const KMS_KEY = 'x-amz-server-side-encryption-aws-kms-key-id';
const BUCKET_KEY = 'x-amz-server-side-encryption-bucket-key-enabled';
const CUSTOMER = 'x-amz-server-side-encryption-customer-';

/** The AWS managed key aws/s3 of an account and region: a stable made-up key id. */
function awsManagedKeyArn(region: string, accountId: string): string {
  const hex = createHash('sha256').update(`aws/s3:${accountId}:${region}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `arn:aws:kms:${region}:${accountId}:key/${uuid}`;
}

/** A key id, alias or ARN as S3 reports it: an ARN. */
function kmsKeyArn(keyId: string, bucket: Bucket): string {
  if (keyId.startsWith('arn:')) return keyId;
  const prefix = `arn:aws:kms:${bucket.region}:${bucket.ownerAccount}:`;
  return keyId.startsWith('alias/') ? prefix + keyId : `${prefix}key/${keyId}`;
}

/**
 * SSE-C parameters of a request (prefix `x-amz-copy-source-` for a copy's source), checked
 * as S3 checks them; undefined when the request names none.
 */
function customerKey(ctx: RequestContext, prefix = ''): { keyMd5: string } | undefined {
  const algorithm = ctx.headers[`${prefix}${CUSTOMER}algorithm`];
  const key = ctx.headers[`${prefix}${CUSTOMER}key`];
  const md5 = ctx.headers[`${prefix}${CUSTOMER}key-md5`];
  if (algorithm === undefined && key === undefined && md5 === undefined) return undefined;
  if (algorithm !== 'AES256') {
    throw new ServiceError('InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported value: AES256.', 400, {
      ArgumentName: `${prefix}${CUSTOMER}algorithm`,
      ArgumentValue: algorithm ?? 'null',
    });
  }
  if (key === undefined) {
    throw invalidArgument('Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.', `${prefix}${CUSTOMER}algorithm`, algorithm);
  }
  const raw = Buffer.from(key, 'base64');
  if (raw.length !== 32) throw invalidArgument('The secret key was invalid for the specified algorithm.', `${prefix}${CUSTOMER}key`, '');
  if (md5 === undefined) {
    throw invalidArgument('Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.', `${prefix}${CUSTOMER}algorithm`, algorithm);
  }
  const actual = createHash('md5').update(raw).digest('base64');
  if (actual !== md5) throw invalidArgument('The calculated MD5 hash of the key did not match the hash that was provided.', `${prefix}${CUSTOMER}key`, '');
  return { keyMd5: md5 };
}

/** How a write (PutObject, CopyObject, CreateMultipartUpload) encrypts its object: the request's headers, else the bucket default. */
export function encryptionForWrite(ctx: RequestContext, bucket: Bucket): ObjectEncryption {
  const requested = ctx.headers[SSE];
  const kmsKeyId = ctx.headers[KMS_KEY];
  const bucketKey = ctx.headers[BUCKET_KEY];
  const customer = customerKey(ctx);
  if (customer) {
    if (requested !== undefined) {
      throw invalidArgument('Server Side Encryption with Customer provided key is incompatible with the encryption method specified', SSE, requested);
    }
    return { algorithm: 'AES256', customerKeyMd5: customer.keyMd5 };
  }
  if (requested !== undefined && !ALGORITHMS.includes(requested as Algorithm)) {
    throw invalidArgument('The encryption method specified is not supported', SSE, requested);
  }
  if (kmsKeyId !== undefined && requested !== 'aws:kms' && requested !== 'aws:kms:dsse') {
    throw invalidArgument(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      SSE,
      requested ?? 'null',
    );
  }
  const fallback = bucket.encryption ?? { algorithm: 'AES256' as const, bucketKeyEnabled: false };
  const algorithm = (requested as Algorithm | undefined) ?? fallback.algorithm;
  if (algorithm === 'AES256') return { algorithm };
  const keyId = kmsKeyId ?? (requested === undefined || requested === fallback.algorithm ? fallback.kmsKeyId : undefined);
  return {
    algorithm,
    kmsKeyId: keyId ? kmsKeyArn(keyId, bucket) : awsManagedKeyArn(bucket.region, bucket.ownerAccount),
    bucketKeyEnabled: bucketKey !== undefined ? bucketKey.toLowerCase() === 'true' : requested === undefined && fallback.bucketKeyEnabled,
  };
}

/** The response headers that describe an object's encryption. */
export function encryptionHeaders(encryption: ObjectEncryption | undefined): Record<string, string> {
  const e = encryption ?? { algorithm: 'AES256' };
  if (e.customerKeyMd5) return { [`${CUSTOMER}algorithm`]: 'AES256', [`${CUSTOMER}key-md5`]: e.customerKeyMd5 };
  return {
    [SSE]: e.algorithm,
    ...(e.kmsKeyId ? { [KMS_KEY]: e.kmsKeyId } : {}),
    ...(e.bucketKeyEnabled ? { [BUCKET_KEY]: 'true' } : {}),
  };
}

/**
 * A read (GetObject, HeadObject, a copy's source) of an SSE-C object needs the same key;
 * SSE-C parameters for any other object are refused (S3 User Guide, "Using server-side
 * encryption with customer-provided keys (SSE-C)").
 */
export function checkReadKey(ctx: RequestContext, object: S3Object, prefix = ''): void {
  const given = customerKey(ctx, prefix);
  const stored = object.encryption?.customerKeyMd5;
  if (stored === undefined) {
    if (given) throw invalidRequest('The encryption parameters are not applicable to this object.');
    return;
  }
  if (!given) {
    throw invalidRequest('The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
  }
  if (given.keyMd5 !== stored) throw invalidRequest('The provided encryption parameters did not match the ones used originally.');
}

/** PutBucketEncryption / GetBucketEncryption / DeleteBucketEncryption. */
export const bucketEncryptionHandlers: S3Handlers = {
  PutBucketEncryption: (ctx) => {
    const bucket = accessibleBucket(ctx);
    bucket.encryption = parseEncryption(ctx.body);
    return {};
  },
  GetBucketEncryption: (ctx) => {
    const bucket = accessibleBucket(ctx);
    // Every bucket has default encryption since January 2023: SSE-S3 unless configured otherwise.
    const e = bucket.encryption ?? { algorithm: 'AES256', bucketKeyEnabled: false };
    return {
      xml: {
        root: 'ServerSideEncryptionConfiguration',
        value: {
          '@_xmlns': S3_XMLNS,
          Rule: {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: e.algorithm, ...(e.kmsKeyId ? { KMSMasterKeyID: e.kmsKeyId } : {}) },
            BucketKeyEnabled: e.bucketKeyEnabled,
          },
        },
      },
    };
  },
  DeleteBucketEncryption: (ctx) => {
    // Back to the default, SSE-S3: a bucket cannot be without default encryption any more.
    accessibleBucket(ctx).encryption = undefined;
    return { status: 204 };
  },
};

function parseEncryption(body: Buffer): BucketEncryption {
  const root = configRoot(body, 'ServerSideEncryptionConfiguration');
  onlyChildren(root, ['Rule']);
  const rules = childElements(root, 'Rule');
  if (rules.length !== 1) throw malformedXml();
  const rule = rules[0]!;
  onlyChildren(rule, ['ApplyServerSideEncryptionByDefault', 'BucketKeyEnabled', 'BlockedEncryptionTypes']);
  const defaults = childElement(rule, 'ApplyServerSideEncryptionByDefault');
  if (!defaults) throw malformedXml();
  onlyChildren(defaults, ['SSEAlgorithm', 'KMSMasterKeyID']);
  const algorithm = childText(defaults, 'SSEAlgorithm');
  if (!ALGORITHMS.includes(algorithm as Algorithm)) throw malformedXml();
  const kmsKeyId = childText(defaults, 'KMSMasterKeyID');
  if (kmsKeyId !== undefined && algorithm === 'AES256') {
    throw invalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 'ApplyServerSideEncryptionByDefault', '');
  }
  const bucketKey = childText(rule, 'BucketKeyEnabled')?.toLowerCase();
  if (bucketKey !== undefined && bucketKey !== 'true' && bucketKey !== 'false') throw malformedXml();
  return { algorithm: algorithm as Algorithm, kmsKeyId, bucketKeyEnabled: bucketKey === 'true' };
}
