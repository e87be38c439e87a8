import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { checksum } from '../core/checksums.ts';
import { ServiceError } from '../core/service-error.ts';
import { decodeAwsChunked, type ChunkSigning } from './aws-chunked.ts';
import { S3_PATH_RULES } from './canonical-request.ts';
import { readS3Payload } from './s3-payload.ts';
import { readSignatureClaim } from './signature-claim.ts';
import { signedChunkedBody } from './sigv4-test-support.ts';
import { signingKey } from './signing.ts';
import { verifySignature } from './verify-signature.ts';

/** The example of AWS's "Transferring Payload in Multiple Chunks" page (S3 API reference). */
const DOC_SCOPE = { date: '20130524', region: 'us-east-1', service: 's3' };
const DOC_SIGNING: ChunkSigning = {
  signingKey: signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', DOC_SCOPE),
  amzDate: '20130524T000000Z',
  scope: DOC_SCOPE,
  seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
};
/** The chunk signatures AWS publishes for 64 KiB + 1 KiB of 'a' and the final empty chunk. */
const DOC_CHUNKS: [number, string][] = [
  [65536, 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648'],
  [1024, '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'],
  [0, 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'],
];

function docBody(): Buffer {
  return Buffer.concat(
    DOC_CHUNKS.map(([size, signature]) =>
      Buffer.concat([Buffer.from(`${size.toString(16)};chunk-signature=${signature}\r\n`), Buffer.alloc(size, 'a'), Buffer.from('\r\n')]),
    ),
  );
}

function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ServiceError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
  it("decodes AWS's documented example, verifying every chunk signature", () => {
    const body = docBody();
    expect(body.length).toBe(66824); // the Content-Length of the documented request
    const { payload, trailers } = decodeAwsChunked(body, DOC_SIGNING);
    expect(payload.equals(Buffer.alloc(66560, 'a'))).toBe(true);
    expect(trailers.size).toBe(0);
  });

  it('refuses a changed data byte, a wrong seed or a replaced chunk signature', () => {
    const body = docBody();
    body[200] = 'b'.charCodeAt(0);
    expect(errorCode(() => decodeAwsChunked(body, DOC_SIGNING))).toBe('SignatureDoesNotMatch');
    expect(errorCode(() => decodeAwsChunked(docBody(), { ...DOC_SIGNING, seedSignature: DOC_CHUNKS[0]![1] }))).toBe('SignatureDoesNotMatch');
    const swapped = Buffer.from(docBody().toString('latin1').replace(DOC_CHUNKS[2]![1], DOC_CHUNKS[1]![1]), 'latin1');
    expect(errorCode(() => decodeAwsChunked(swapped, DOC_SIGNING))).toBe('SignatureDoesNotMatch');
  });

  it('verifies the trailer signature of STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', () => {
    const data = [Buffer.from('hello '), Buffer.from('chunked world')];
    const crc = checksum('CRC32', Buffer.concat(data));
    const body = signedChunkedBody(DOC_SIGNING, data, { 'x-amz-checksum-crc32': crc });
    const { payload, trailers } = decodeAwsChunked(body, DOC_SIGNING);
    expect(payload.toString()).toBe('hello chunked world');
    expect(Object.fromEntries(trailers)).toEqual({ 'x-amz-checksum-crc32': crc });

    const forged = Buffer.from(body.toString('latin1').replace(crc, checksum('CRC32', Buffer.from('other'))), 'latin1');
    expect(errorCode(() => decodeAwsChunked(forged, DOC_SIGNING))).toBe('SignatureDoesNotMatch');
  });

  it('refuses chunks without signatures when the upload is signed', () => {
    expect(errorCode(() => decodeAwsChunked(Buffer.from('5\r\nhello\r\n0\r\n\r\n'), DOC_SIGNING))).toBe('InvalidRequest');
  });
});

describe('malformed framing is an AWS error, never a crash', () => {
  it('answers every truncation of a valid body with a ServiceError or a complete decode', () => {
    const body = signedChunkedBody(DOC_SIGNING, [Buffer.from('abc'), Buffer.from('defgh')], { 'x-amz-checksum-crc32': 'AAAAAA==' });
    const codes = new Set<string>();
    for (let length = 0; length < body.length; length++) {
      codes.add(errorCode(() => decodeAwsChunked(body.subarray(0, length), DOC_SIGNING)));
    }
    // A body cut right after a complete trailer line merely lacks the closing blank line; a cut
    // inside the trailer signature leaves a shorter signature, which does not match.
    const allowed = ['IncompleteBody', 'InvalidRequest', 'MalformedTrailerError', 'SignatureDoesNotMatch', 'no error'];
    expect([...codes].filter((code) => !allowed.includes(code))).toEqual([]);
    expect(codes.has('IncompleteBody')).toBe(true);
  });

  it.each([
    ['a size that is not hex', 'zz\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['data longer than its size', '3\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['data cut short', '9\r\nhello', 'IncompleteBody'],
    ['a size that swallows the next chunk header', '9\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
    ['no final chunk', '5\r\nhello\r\n', 'IncompleteBody'],
    ['bytes after the end', '5\r\nhello\r\n0\r\n\r\nextra', 'InvalidRequest'],
    ['a trailer line without a colon', '5\r\nhello\r\n0\r\nbroken\r\n\r\n', 'MalformedTrailerError'],
    ['an absurd size', 'ffffffffffffffffffff\r\nhello\r\n0\r\n\r\n', 'InvalidRequest'],
  ])('%s', (_name, body, code) => {
    expect(errorCode(() => decodeAwsChunked(Buffer.from(body)))).toBe(code);
  });
});

/** What SDK v3 sends for PutObject with a stream body, captured by a tiny HTTP server. */
async function captureStreamingPut(parts: string[]): Promise<{ headers: IncomingHttpHeaders; rawHeaders: string[]; url: string; body: Buffer }> {
  let captured: { headers: IncomingHttpHeaders; rawHeaders: string[]; url: string; body: Buffer } | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      captured = { headers: req.headers, rawHeaders: req.rawHeaders, url: req.url ?? '/', body: Buffer.concat(chunks) };
      res.writeHead(200, { etag: '"captured"' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const s3 = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const length = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
    await s3.send(new PutObjectCommand({ Bucket: 'capture', Key: 'streamed.txt', Body: Readable.from(parts.map((p) => Buffer.from(p))), ContentLength: length }));
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return captured!;
}

describe('bytes captured from SDK v3 (STREAMING-UNSIGNED-PAYLOAD-TRAILER)', () => {
  it('decodes the stream upload, verifies its signature and trailer checksum', async () => {
    const { headers, rawHeaders, url, body } = await captureStreamingPut(['first part, ', 'second part, ', 'end']);
    expect(headers['content-encoding']).toBe('aws-chunked');
    expect(headers['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');

    const flat = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
    const claim = readSignatureClaim(flat, new URLSearchParams(url.split('?')[1]))!;
    const [rawPath = '/', rawQuery = ''] = url.split('?');
    const verified = verifySignature({
      claim,
      secretAccessKey: 'test',
      request: { method: 'PUT', rawPath, rawQuery, rawHeaders },
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      pathRules: S3_PATH_RULES,
    });
    expect(verified.canonicalRequest.endsWith('\nSTREAMING-UNSIGNED-PAYLOAD-TRAILER')).toBe(true);

    const payload = readS3Payload('STREAMING-UNSIGNED-PAYLOAD-TRAILER', flat, body, undefined);
    expect(payload.body.toString()).toBe('first part, second part, end');
    expect(payload.checksums).toEqual({ CRC32: checksum('CRC32', Buffer.from('first part, second part, end')) });
  });

  it('refuses the captured upload when a data byte or the trailer checksum is changed', async () => {
    const { headers, body } = await captureStreamingPut(['abcdef']);
    const flat = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
    const changed = Buffer.from(body.toString('latin1').replace('abcdef', 'abcdeF'), 'latin1');
    expect(errorCode(() => readS3Payload('STREAMING-UNSIGNED-PAYLOAD-TRAILER', flat, changed, undefined))).toBe('BadDigest');
    expect(errorCode(() => readS3Payload('STREAMING-UNSIGNED-PAYLOAD-TRAILER', { ...flat, 'x-amz-decoded-content-length': '7' }, body, undefined))).toBe(
      'IncompleteBody',
    );
    const noTrailer = Buffer.from(body.toString('latin1').replace(/x-amz-checksum-crc32:[^\r]*\r\n/, ''), 'latin1');
    expect(errorCode(() => readS3Payload('STREAMING-UNSIGNED-PAYLOAD-TRAILER', flat, noTrailer, undefined))).toBe('MalformedTrailerError');
  });
});
