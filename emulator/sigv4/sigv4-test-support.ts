import { createHash, createHmac } from 'node:crypto';
import type { ChunkSigning } from './aws-chunked.ts';
import { EMPTY_SHA256, scopeString, sha256Hex, signatureOf } from './signing.ts';

/**
 * Builds a signed aws-chunked body (with trailers when given) by the algorithm of
 * AWS's documentation, as a client would: each chunk signs the previous signature
 * and the hash of its data; the trailer signs the last chunk signature and the
 * hash of its "name:value\n" lines. Tests only.
 */
export function signedChunkedBody(signing: ChunkSigning, chunks: Buffer[], trailers?: Record<string, string>): Buffer {
  const scope = scopeString(signing.scope);
  let previous = signing.seedSignature;
  const out: Buffer[] = [];
  for (const data of [...chunks, Buffer.alloc(0)]) {
    const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', signing.amzDate, scope, previous, EMPTY_SHA256, sha256Hex(data)].join('\n');
    previous = signatureOf(signing.signingKey, stringToSign);
    out.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${previous}\r\n`), data);
    if (data.length > 0) out.push(Buffer.from('\r\n'));
  }
  if (trailers) {
    const canonical = Object.entries(trailers).map(([name, value]) => `${name}:${value}\n`).join('');
    const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', signing.amzDate, scope, previous, sha256Hex(canonical)].join('\n');
    const wireLines = Object.entries(trailers).map(([name, value]) => `${name}:${value}\r\n`).join('');
    out.push(Buffer.from(`${wireLines}x-amz-trailer-signature:${signatureOf(signing.signingKey, stringToSign)}\r\n`));
  }
  out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): string | Buffer {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/** Node's crypto in the shape @smithy/signature-v4 expects for its sha256 constructor. */
export class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
