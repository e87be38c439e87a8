import { ServiceError } from '../core/service-error.ts';
import { EMPTY_SHA256, scopeString, sha256Hex, signatureOf, signaturesEqual, type CredentialScope } from './signing.ts';

/** For STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER): what each chunk signature chains from. */
export interface ChunkSigning {
  signingKey: Buffer;
  amzDate: string;
  scope: CredentialScope;
  /** The request's own signature: the "previous signature" of the first chunk. */
  seedSignature: string;
}

export interface DecodedChunks {
  payload: Buffer;
  /** Trailing headers (lower-case names), e.g. x-amz-checksum-crc32; the trailer signature excluded. */
  trailers: Map<string, string>;
}

const CRLF = '\r\n';
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';
/** A chunk header is "<hex size>[;chunk-signature=<64 hex>]"; anything far longer is not aws-chunked. */
const MAX_CHUNK_HEADER = 1024;

/**
 * Decodes an aws-chunked body (S3 streaming uploads):
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
 *   [<trailer name>:<value>\r\n ... [x-amz-trailer-signature:<sig>\r\n]]\r\n
 *
 * With `signing`, every chunk signature is checked in the chain (each signs the
 * previous one and the hash of its data), and so is the trailer signature.
 * Bad framing is an AWS error, never an exception that escapes or a hang: the
 * body is already fully in memory and every step moves forward.
 */
export function decodeAwsChunked(body: Buffer, signing?: ChunkSigning): DecodedChunks {
  const parts: Buffer[] = [];
  let previousSignature = signing?.seedSignature ?? '';
  let position = 0;
  for (;;) {
    const headerEnd = body.indexOf(CRLF, position, 'latin1');
    if (headerEnd === -1 || headerEnd - position > MAX_CHUNK_HEADER) {
      throw headerEnd === -1 && body.length - position <= MAX_CHUNK_HEADER ? truncated() : invalidFraming('a chunk header is too long');
    }
    const { size, signature } = parseChunkHeader(body.toString('latin1', position, headerEnd));
    const dataStart = headerEnd + CRLF.length;
    const dataEnd = dataStart + size;
    if (dataEnd > body.length) throw truncated();
    const data = body.subarray(dataStart, dataEnd);

    if (signing) {
      if (signature === undefined) throw invalidFraming('a chunk has no chunk-signature');
      const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', signing.amzDate, scopeString(signing.scope), previousSignature, EMPTY_SHA256, sha256Hex(data)].join('\n');
      if (!signaturesEqual(signatureOf(signing.signingKey, stringToSign), signature)) throw chunkSignatureMismatch();
      previousSignature = signature;
    }

    if (size === 0) {
      const trailers = readTrailers(body, dataStart);
      verifyTrailerSignature(trailers, signing, previousSignature);
      trailers.delete(TRAILER_SIGNATURE);
      return { payload: Buffer.concat(parts), trailers };
    }
    if (body.length < dataEnd + CRLF.length) throw truncated();
    if (body.toString('latin1', dataEnd, dataEnd + CRLF.length) !== CRLF) throw invalidFraming('chunk data is not followed by CRLF');
    parts.push(data);
    position = dataEnd + CRLF.length;
  }
}

function parseChunkHeader(header: string): { size: number; signature?: string } {
  const [sizeText = '', ...extensions] = header.split(';');
  if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText)) throw invalidFraming(`"${header.slice(0, 40)}" is not a chunk size`);
  const signature = extensions.find((ext) => ext.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
  return { size: parseInt(sizeText, 16), signature };
}

/** The lines after the final chunk, up to the blank line that ends the body. */
function readTrailers(body: Buffer, start: number): Map<string, string> {
  const trailers = new Map<string, string>();
  let position = start;
  for (;;) {
    if (position === body.length) return trailers; // some clients omit the closing blank line
    const lineEnd = body.indexOf(CRLF, position, 'latin1');
    if (lineEnd === -1) throw truncated();
    const line = body.toString('latin1', position, lineEnd);
    position = lineEnd + CRLF.length;
    if (line === '') {
      if (position !== body.length) throw invalidFraming('data follows the final chunk');
      return trailers;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformedTrailer();
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
}

/**
 * The trailer signature signs the previous (final chunk's) signature and the
 * hash of the trailing headers in canonical form: "name:value\n", sorted.
 */
function verifyTrailerSignature(trailers: Map<string, string>, signing: ChunkSigning | undefined, previousSignature: string): void {
  const provided = trailers.get(TRAILER_SIGNATURE);
  if (!signing) return;
  const signed = [...trailers].filter(([name]) => name !== TRAILER_SIGNATURE).sort(([a], [b]) => (a < b ? -1 : 1));
  if (signed.length === 0 && provided === undefined) return;
  if (provided === undefined) throw malformedTrailer();
  const canonical = signed.map(([name, value]) => `${name}:${value}\n`).join('');
  const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', signing.amzDate, scopeString(signing.scope), previousSignature, sha256Hex(canonical)].join('\n');
  if (!signaturesEqual(signatureOf(signing.signingKey, stringToSign), provided)) throw chunkSignatureMismatch();
}

function truncated(): ServiceError {
  return new ServiceError('IncompleteBody', 'The request body terminated unexpectedly', 400);
}

function invalidFraming(detail: string): ServiceError {
  return new ServiceError('InvalidRequest', `Invalid aws-chunked encoding of the request body: ${detail}.`, 400);
}

function malformedTrailer(): ServiceError {
  return new ServiceError(
    'MalformedTrailerError',
    'The request contained trailing data that was not well-formed or did not conform to our published schema.',
    400,
  );
}

function chunkSignatureMismatch(): ServiceError {
  return new ServiceError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    403,
  );
}
