import { createHash } from 'node:crypto';
import { algorithmFromHeader, checksum, type ChecksumAlgorithm } from '../core/checksums.ts';
import { ServiceError } from '../core/service-error.ts';

export type PayloadChecksums = Partial<Record<ChecksumAlgorithm, string>>;

/** Digest sizes in bytes: a value of another length is malformed, not a mismatch. */
const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, SHA1: 20, SHA256: 32 };

/**
 * Verifies the flexible checksum sent as a header (PutObject with a string or
 * Buffer body sends x-amz-checksum-crc32) and Content-MD5, against the payload.
 */
export function verifyChecksumHeaders(headers: Record<string, string>, payload: Buffer): PayloadChecksums {
  const sent = Object.entries(headers).flatMap(([name, value]) => {
    const algorithm = algorithmFromHeader(name);
    return algorithm ? [{ algorithm, value, name }] : [];
  });
  if (sent.length > 1) {
    throw new ServiceError('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.', 400);
  }
  verifyContentMd5(headers['content-md5'], payload);
  const [one] = sent;
  if (!one) return {};
  verifyChecksum(one.algorithm, one.value, payload, `Value for ${one.name} header is invalid.`);
  return { [one.algorithm]: one.value };
}

/**
 * Verifies the checksum of an aws-chunked upload: x-amz-trailer names the
 * trailing header that carries it, which must then arrive after the last chunk.
 */
export function verifyTrailerChecksum(declared: string | undefined, trailers: Map<string, string>, payload: Buffer): PayloadChecksums {
  if (declared === undefined) return {};
  const name = declared.trim().toLowerCase();
  const algorithm = algorithmFromHeader(name);
  if (!algorithm) throw new ServiceError('InvalidRequest', `The value specified in the x-amz-trailer header is not supported`, 400);
  const value = trailers.get(name);
  if (value === undefined) {
    throw new ServiceError('MalformedTrailerError', 'The request contained trailing data that was not well-formed or did not conform to our published schema.', 400);
  }
  verifyChecksum(algorithm, value, payload, `Value for ${name} trailing header is invalid.`);
  return { [algorithm]: value };
}

function verifyChecksum(algorithm: ChecksumAlgorithm, value: string, payload: Buffer, malformedMessage: string): void {
  if (!isBase64OfLength(value, DIGEST_BYTES[algorithm])) throw new ServiceError('InvalidRequest', malformedMessage, 400);
  if (checksum(algorithm, payload) !== value) {
    throw new ServiceError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400);
  }
}

function verifyContentMd5(value: string | undefined, payload: Buffer): void {
  if (value === undefined) return;
  if (!isBase64OfLength(value, 16)) throw new ServiceError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400);
  if (createHash('md5').update(payload).digest('base64') !== value) {
    throw new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
}

function isBase64OfLength(value: string, bytes: number): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === bytes;
}
