import { ServiceError } from '../core/service-error.ts';
import { decodeAwsChunked, type ChunkSigning } from './aws-chunked.ts';
import { verifyChecksumHeaders, verifyTrailerChecksum, type PayloadChecksums } from './payload-checksums.ts';
import type { SignatureClaim } from './signature-claim.ts';
import { sha256Hex } from './signing.ts';

/** The values of x-amz-content-sha256 that are not a body hash. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const STREAMING_MODES = {
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': { signed: false },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': { signed: true },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': { signed: true },
} as const;

/**
 * What S3 signs as the payload hash: on S3 the canonical request ends with the
 * x-amz-content-sha256 value itself (a hex hash or one of the literals), and a
 * presigned URL signs UNSIGNED-PAYLOAD unless it says otherwise.
 */
export function s3PayloadHash(claim: SignatureClaim, headers: Record<string, string>, query: URLSearchParams): string {
  const declared = claim.form === 'query'
    ? (query.get('X-Amz-Content-Sha256') ?? headers['x-amz-content-sha256'] ?? UNSIGNED_PAYLOAD)
    : headers['x-amz-content-sha256'];
  if (declared === undefined) {
    throw new ServiceError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
  }
  if (declared !== UNSIGNED_PAYLOAD && !(declared in STREAMING_MODES) && !/^[0-9a-f]{64}$/.test(declared)) {
    throw new ServiceError(
      'InvalidArgument',
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
      400,
      { ArgumentName: 'x-amz-content-sha256', ArgumentValue: declared },
    );
  }
  return declared;
}

export interface S3Payload {
  body: Buffer;
  checksums: PayloadChecksums;
}

/**
 * The S3 payload after authentication: a hashed body checked against its hash,
 * an aws-chunked body decoded (chunk signatures verified when signed) and its
 * length checked, and any flexible checksum verified.
 * `payloadHash` is what the signature covered; undefined for anonymous requests.
 */
export function readS3Payload(
  payloadHash: string | undefined,
  headers: Record<string, string>,
  rawBody: Buffer,
  chunkSigning: ChunkSigning | undefined,
): S3Payload {
  if (payloadHash !== undefined && payloadHash in STREAMING_MODES) {
    const signed = STREAMING_MODES[payloadHash as keyof typeof STREAMING_MODES].signed;
    const { payload, trailers } = decodeAwsChunked(rawBody, signed ? chunkSigning : undefined);
    checkDecodedLength(headers['x-amz-decoded-content-length'], payload.length);
    const checksums = { ...verifyTrailerChecksum(headers['x-amz-trailer'], trailers, payload), ...verifyChecksumHeaders(headers, payload) };
    return { body: payload, checksums };
  }
  if (payloadHash !== undefined && payloadHash !== UNSIGNED_PAYLOAD) {
    const computed = sha256Hex(rawBody);
    if (computed !== payloadHash) {
      throw new ServiceError(
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        400,
        { ClientComputedContentSHA256: payloadHash, S3ComputedContentSHA256: computed },
      );
    }
  }
  return { body: rawBody, checksums: verifyChecksumHeaders(headers, rawBody) };
}

function checkDecodedLength(declared: string | undefined, actual: number): void {
  if (declared === undefined) {
    throw new ServiceError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
  }
  if (!/^\d+$/.test(declared) || Number(declared) !== actual) {
    throw new ServiceError(
      'IncompleteBody',
      `You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header (${declared}); the decoded body has ${actual}.`,
      400,
    );
  }
}
