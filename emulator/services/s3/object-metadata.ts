import { ServiceError } from '../../core/service-error.ts';
import type { S3Object } from './s3-state.ts';

/** What an object carries besides its bytes: set by PutObject, CreateMultipartUpload and CopyObject (REPLACE). */
export type ObjectAttributes = Pick<
  S3Object,
  'contentType' | 'contentEncoding' | 'contentDisposition' | 'contentLanguage' | 'cacheControl' | 'expires' | 'metadata'
>;

/** S3's default when the uploader names no type. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
const META_PREFIX = 'x-amz-meta-';
/** User metadata (names and values, UTF-8) is limited to 2 KB. */
const MAX_METADATA_BYTES = 2048;

/** The object attributes a write request's headers carry (header names arrive lower-cased, as S3 stores them). */
export function attributesFromHeaders(headers: Record<string, string>): ObjectAttributes {
  const metadata: Record<string, string> = {};
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(META_PREFIX)) continue;
    const metaName = name.slice(META_PREFIX.length);
    metadata[metaName] = value;
    metadataBytes += Buffer.byteLength(metaName) + Buffer.byteLength(value);
  }
  if (metadataBytes > MAX_METADATA_BYTES) {
    throw new ServiceError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400, {
      Size: String(metadataBytes),
      MaxSizeAllowed: String(MAX_METADATA_BYTES),
    });
  }
  return {
    contentType: headers['content-type'] || DEFAULT_CONTENT_TYPE,
    contentEncoding: withoutAwsChunked(headers['content-encoding']),
    contentDisposition: headers['content-disposition'],
    contentLanguage: headers['content-language'],
    cacheControl: headers['cache-control'],
    expires: headers.expires,
    metadata,
  };
}

/**
 * `aws-chunked` is the transfer framing of streamed uploads, not a property of the object:
 * S3 strips it and keeps any other coding the client named (e.g. `gzip,aws-chunked` -> gzip).
 */
function withoutAwsChunked(encoding: string | undefined): string | undefined {
  if (!encoding) return undefined;
  const codings = encoding
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding.toLowerCase() !== 'aws-chunked');
  return codings.length > 0 ? codings.join(',') : undefined;
}

export function copyAttributes(object: S3Object): ObjectAttributes {
  return {
    contentType: object.contentType,
    contentEncoding: object.contentEncoding,
    contentDisposition: object.contentDisposition,
    contentLanguage: object.contentLanguage,
    cacheControl: object.cacheControl,
    expires: object.expires,
    metadata: { ...object.metadata },
  };
}
