import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksum } from '../core/checksums.ts';
import { startEmulator, type RunningEmulator } from '../server.ts';
import { Sha256, signedChunkedBody } from '../sigv4/sigv4-test-support.ts';
import { signingKey } from '../sigv4/signing.ts';

const BUCKET = 'payload-modes';
const SECRET = 'test';

let emulator: RunningEmulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startEmulator();
  s3 = new S3Client({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: SECRET },
    maxAttempts: 1,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => emulator.stop());

async function download(key: string): Promise<{ bytes: Buffer; crc32?: string }> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
  return { bytes: Buffer.from(await out.Body!.transformToByteArray()), crc32: out.ChecksumCRC32 };
}

function send(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${emulator.endpoint}${path}`, { method: 'PUT', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A PutObject the way the Java SDK or boto3 over plain http may send it: signed
 * chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]), each chaining from the
 * seed signature of the Authorization header.
 */
async function signedChunkUpload(key: string, chunks: Buffer[], options: { trailer?: boolean; tamper?: boolean } = {}) {
  const payload = Buffer.concat(chunks);
  const mode = options.trailer ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
  const trailers = options.trailer ? { 'x-amz-checksum-crc32': checksum('CRC32', payload) } : undefined;
  const host = new URL(emulator.endpoint).host;
  const scope = { date: '', region: 'us-east-1', service: 's3' };
  // Chunk signatures are fixed-length, so the body length is known before signing.
  const placeholder = { signingKey: Buffer.alloc(32), amzDate: '', scope, seedSignature: '' };
  const headers: Record<string, string> = {
    host,
    'content-encoding': 'aws-chunked',
    'content-length': String(signedChunkedBody(placeholder, chunks, trailers).length),
    'x-amz-content-sha256': mode,
    'x-amz-decoded-content-length': String(payload.length),
    ...(options.trailer ? { 'x-amz-trailer': 'x-amz-checksum-crc32' } : {}),
  };
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: SECRET }, sha256: Sha256, uriEscapePath: false });
  const path = `/${BUCKET}/${key}`;
  const signed = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', path, query: {}, headers });
  const authorization = signed.headers.authorization!;
  const amzDate = signed.headers['x-amz-date']!;
  scope.date = amzDate.slice(0, 8);
  const body = signedChunkedBody(
    { signingKey: signingKey(SECRET, scope), amzDate, scope, seedSignature: /Signature=([0-9a-f]{64})/.exec(authorization)![1]! },
    chunks,
    trailers,
  );
  if (options.tamper) body[body.indexOf('\r\n') + 3] ^= 1;
  return send(path, signed.headers, body);
}

describe('S3 payloads end to end: what goes up comes back byte for byte', () => {
  it('a stream body (aws-chunked, STREAMING-UNSIGNED-PAYLOAD-TRAILER) through the SDK', async () => {
    const parts = [Buffer.alloc(70_000, 0x61), Buffer.from([0, 1, 2, 255, 13, 10]), Buffer.from('tail\r\n0\r\n')];
    const expected = Buffer.concat(parts);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed.bin', Body: Readable.from(parts), ContentLength: expected.length }));
    const { bytes, crc32 } = await download('streamed.bin');
    expect(bytes.equals(expected)).toBe(true);
    expect(crc32).toBe(checksum('CRC32', expected));
  });

  it('a Buffer body (x-amz-checksum-crc32 header) through the SDK', async () => {
    const expected = Buffer.from('plain body with a checksum header');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain.txt', Body: expected }));
    const { bytes, crc32 } = await download('plain.txt');
    expect(bytes.equals(expected)).toBe(true);
    expect(crc32).toBe(checksum('CRC32', expected));
  });

  it('signed chunks, with and without a signed trailer', async () => {
    const chunks = [Buffer.alloc(8192, 0x62), Buffer.from('last chunk')];
    expect((await signedChunkUpload('signed-chunks.bin', chunks)).status).toBe(200);
    expect((await download('signed-chunks.bin')).bytes.equals(Buffer.concat(chunks))).toBe(true);
    expect((await signedChunkUpload('signed-trailer.bin', chunks, { trailer: true })).status).toBe(200);
    expect((await download('signed-trailer.bin')).bytes.equals(Buffer.concat(chunks))).toBe(true);
  });

  it('refuses a signed chunk whose data was changed in transit', async () => {
    const response = await signedChunkUpload('tampered.bin', [Buffer.alloc(8192, 0x63), Buffer.from('end')], { tamper: true });
    expect(response.status).toBe(403);
    expect(response.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a checksum header that does not match the body with BadDigest', async () => {
    const error = await s3
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'bad-digest.txt', Body: 'actual body', ChecksumCRC32: checksum('CRC32', Buffer.from('other body')) }))
      .then(
        () => undefined,
        (e: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => e,
      );
    expect(error?.name).toBe('BadDigest');
    expect(error?.message).toBe('The CRC32 you specified did not match the calculated checksum.');
    expect(error?.$metadata.httpStatusCode).toBe(400);
  });
});
