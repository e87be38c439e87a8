import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../server.ts';
import { Sha256 } from './sigv4-test-support.ts';

/**
 * Headers a signature must cover (verify-signature.ts): a request whose signature is right
 * for what it signed, but which leaves out a header the service insists on, is refused with
 * the service's own error, not accepted and not called a signature mismatch.
 */
let emulator: RunningEmulator;
let host: string;

beforeAll(async () => {
  emulator = await startEmulator();
  host = new URL(emulator.endpoint).host;
});
afterAll(() => emulator.stop());

const ROOT = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * Signs with the SDK's signer (its date fixed to now), leaving `unsigned` out of the
 * signature, then sends the request with every header, the unsigned ones included.
 */
async function send(service: string, method: string, path: string, headers: Record<string, string>, body: string, unsigned: string[]): Promise<{ status: number; text: string }> {
  const signer = new SignatureV4({ credentials: ROOT, region: 'us-east-1', service, sha256: Sha256, uriEscapePath: service !== 's3', applyChecksum: service === 's3' });
  const signed = await signer.sign({ method, protocol: 'http:', hostname: '127.0.0.1', path, headers: { host, ...headers }, body }, { unsignableHeaders: new Set(unsigned) });
  const response = await fetch(`${emulator.endpoint}${path}`, { method, headers: signed.headers, body: method === 'GET' ? undefined : body });
  // Apostrophes come escaped in XML answers.
  return { status: response.status, text: (await response.text()).replace(/&apos;/g, "'") };
}

const STS_FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

describe('headers a SigV4 signature must cover', () => {
  it('S3: an x-amz-* header left out of the signature gets AccessDenied naming it', async () => {
    const { status, text } = await send('s3', 'GET', '/', { 'x-amz-meta-note': 'kept out' }, '', ['x-amz-date', 'x-amz-meta-note']);
    expect(status).toBe(403);
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('<Message>There were headers present in the request which were not signed</Message>');
    expect(text).toContain('<HeadersNotSigned>x-amz-date, x-amz-meta-note</HeadersNotSigned>');
  });

  it('S3: x-amz-content-sha256 may stay unsigned, and a fully signed request is accepted', async () => {
    expect((await send('s3', 'GET', '/', {}, '', ['x-amz-content-sha256'])).status).toBe(200);
    expect((await send('s3', 'GET', '/', {}, '', [])).status).toBe(200);
  });

  it('STS (query protocol): X-Amz-Date must be signed', async () => {
    const { status, text } = await send('sts', 'POST', '/', STS_FORM, STS_BODY, ['x-amz-date']);
    expect(status).toBe(400);
    expect(text).toContain('<Code>IncompleteSignature</Code>');
    expect(text).toContain("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it('STS: Host must be signed', async () => {
    const { status, text } = await send('sts', 'POST', '/', STS_FORM, STS_BODY, ['host']);
    expect(status).toBe(400);
    expect(text).toContain("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it('DynamoDB (JSON 1.0): an unsigned X-Amz-Date is IncompleteSignatureException', async () => {
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' };
    const { status, text } = await send('dynamodb', 'POST', '/', headers, '{}', ['x-amz-date']);
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ __type: expect.stringMatching(/#IncompleteSignatureException$/), message: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization." });
    expect((await send('dynamodb', 'POST', '/', headers, '{}', [])).status).toBe(200);
  });
});
