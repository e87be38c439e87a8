import type { ChecksumAlgorithm } from '../../core/checksums.ts';
import type { Store } from '../../core/store.ts';

/** S3 state. Bucket names are one global namespace across all accounts and regions, as on AWS. */
export interface S3State {
  buckets: Map<string, Bucket>;
}

export interface Bucket {
  name: string;
  ownerAccount: string;
  region: string;
  createdAt: Date;
  objects: Map<string, S3Object>;
  /** Eventual consistency fault: HeadBucket answers 404 while this is above 0 (one read each). */
  invisibleReadsLeft: number;
  uploads: Map<string, MultipartUpload>;
  website?: WebsiteConfiguration;
  /** The bucket policy as the user sent it (JSON text). */
  policy?: string;
  publicAccessBlock?: PublicAccessBlock;
  tags?: Array<{ Key: string; Value: string }>;
  cors?: CorsRule[];
  /** Unset until PutBucketVersioning; a versioned bucket can be suspended, never unversioned again. */
  versioning?: 'Enabled' | 'Suspended';
  /**
   * Every version of every key, newest first, once versioning was ever configured (versioning.ts):
   * `objects` then holds each key's current version when it is not a delete marker.
   */
  versions?: Map<string, ObjectVersion[]>;
  /** Default encryption (PutBucketEncryption); absent means S3's default, SSE-S3 (AES256). */
  encryption?: BucketEncryption;
  /** The lifecycle rules as validated from PutBucketLifecycleConfiguration, re-rendered for Get. */
  lifecycle?: Array<Record<string, unknown>>;
  /**
   * PutBucketOwnershipControls; absent means BucketOwnerEnforced, S3's default since April 2023;
   * 'none' after DeleteBucketOwnershipControls (ACLs then work as for ObjectWriter).
   */
  ownershipControls?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | 'none';
  /**
   * S3 Object Lock (object-lock.ts): present once enabled, which is for good (and keeps
   * versioning Enabled); with the default retention new versions get when they name none.
   */
  objectLock?: { defaultRetention?: DefaultRetention };
}

export type RetentionMode = 'GOVERNANCE' | 'COMPLIANCE';

/** A bucket's default retention: a mode and a period in days or in years, never both. */
export interface DefaultRetention {
  mode: RetentionMode;
  days?: number;
  years?: number;
}

/** An object version's retention period: it cannot be deleted before `retainUntil` (on the emulator clock). */
export interface ObjectRetention {
  mode: RetentionMode;
  retainUntil: Date;
}

/** One version of a key: an object, or a delete marker (no object). */
export interface ObjectVersion {
  versionId: string;
  lastModified: Date;
  object?: S3Object;
}

export interface BucketEncryption {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsKeyId?: string;
  bucketKeyEnabled: boolean;
}

/** How an object is encrypted at rest, as its response headers describe it. */
export interface ObjectEncryption {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** SSE-C: the base64 MD5 of the customer's key (S3 keeps only a salted HMAC of it; we keep the MD5). */
  customerKeyMd5?: string;
}

export interface S3Object {
  key: string;
  /** The bytes: in memory for small objects, a file path for large ones (see object-store). */
  body: ObjectBody;
  size: number;
  /** Quoted, as S3 sends it: "d41d8cd98f00b204e9800998ecf8427e" (or "...-N" for multipart). */
  etag: string;
  lastModified: Date;
  contentType: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  /** x-amz-meta-* without the prefix, names lower-cased as S3 stores them. */
  metadata: Record<string, string>;
  /** Checksums stored with the object, by algorithm (CRC32, CRC32C, SHA1, SHA256), base64. */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
  tags?: Array<{ Key: string; Value: string }>;
  /** Set in a bucket whose versioning was ever configured; 'null' for versions written while unversioned or suspended. */
  versionId?: string;
  /** Absent on objects written before encryption was recorded: read as SSE-S3. */
  encryption?: ObjectEncryption;
  /** Object Lock: this version's retention period, if it was ever given one. */
  retention?: ObjectRetention;
  /** Object Lock: this version's legal hold, once one was placed (OFF after it is removed). */
  legalHold?: 'ON' | 'OFF';
}


export type ObjectBody = { kind: 'memory'; data: Buffer } | { kind: 'file'; path: string };

export interface MultipartUpload {
  uploadId: string;
  key: string;
  initiatedAt: Date;
  initiatorArn: string;
  /** What the final object will carry (content type, metadata ...). */
  template: Omit<S3Object, 'key' | 'body' | 'size' | 'etag' | 'lastModified' | 'checksums'>;
  checksumAlgorithm?: ChecksumAlgorithm;
  parts: Map<number, UploadedPart>;
}

export interface UploadedPart {
  partNumber: number;
  body: ObjectBody;
  size: number;
  etag: string;
  lastModified: Date;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

export interface WebsiteConfiguration {
  indexDocument?: string;
  errorDocument?: string;
  redirectAllRequestsTo?: { hostName: string; protocol?: string };
  routingRules?: RoutingRule[];
}

export interface RoutingRule {
  condition?: { keyPrefixEquals?: string; httpErrorCodeReturnedEquals?: string };
  redirect: {
    hostName?: string;
    protocol?: string;
    replaceKeyPrefixWith?: string;
    replaceKeyWith?: string;
    httpRedirectCode?: string;
  };
}

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export function s3State(store: Store): S3State {
  return store.serviceState('s3', () => ({ buckets: new Map<string, Bucket>() }));
}
