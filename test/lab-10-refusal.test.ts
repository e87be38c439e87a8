/**
 * Lab 10's live checks explain a refused request as AWS does (issue 10): the emulator's
 * SignatureDoesNotMatch carries its canonical request and string to sign (S3 as XML fields,
 * STS and DynamoDB in the message), and the failure shows them beside what the student's own
 * canonicalRequest() and stringToSign() made, the first differing line marked. Here a
 * "student" with a known mistake signs real requests to a real emulator, and
 * explainRefusal (fixtures/sigv4/lab-10-live.ts) must point at that mistake's line.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_ACCESS_KEY, ROOT_SECRET_KEY } from '../emulator/core/identity.ts';
import { startEmulator, type RunningEmulator } from '../emulator/server.ts';
import { explainRefusal, type StudentSigner } from '../fixtures/sigv4/lab-10-live.ts';
import { canonicalHeaders, canonicalRequest, encodeS3Path } from '../labs/10-sigv4/canonical-request.ts';
import { sha256Hex } from '../labs/10-sigv4/sign-request.ts';
import type { Credentials, Pair, SignableRequest } from '../labs/10-sigv4/signable-request.ts';
import { signature, signingKey } from '../labs/10-sigv4/signing-key.ts';
import { amzDate, credentialScope, stringToSign } from '../labs/10-sigv4/string-to-sign.ts';

type Canonical = typeof canonicalRequest;

const REGION = 'eu-west-1';
const credentials: Credentials = { accessKeyId: ROOT_ACCESS_KEY, secretAccessKey: ROOT_SECRET_KEY };

/** A student's mistakes, each in the canonical request only. */
const hashesAnEmptyBody: Canonical = (request, service) => canonicalRequest(request, service, sha256Hex(''));
const encodesThePathTwice: Canonical = (request, service, payloadHash) => canonicalRequest({ ...request, path: request.path.replace(/%/g, '%25') }, service, payloadHash);

/** The lab's signRequest, with `canonical` in place of the lab's canonical request (and the secret given). */
function signWith(canonical: Canonical, request: SignableRequest, service: string, secretAccessKey = credentials.secretAccessKey): SignableRequest {
  const date = amzDate(new Date());
  const payloadHash = sha256Hex(request.body);
  const headers: Pair[] = [...request.headers, ['X-Amz-Date', date]];
  if (service === 's3') headers.push(['X-Amz-Content-Sha256', payloadHash]);
  const signed = { ...request, headers };
  const scope = credentialScope(date, REGION, service);
  const toSign = stringToSign(date, scope, canonical(signed, service, payloadHash));
  const authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${canonicalHeaders(headers).signedHeaders}, Signature=${signature(signingKey(secretAccessKey, date.slice(0, 8), REGION, service), toSign)}`;
  return { ...signed, headers: [...headers, ['Authorization', authorization]] };
}

/** The student's TODO 1 and 2 as the checks reach them: async functions. */
function studentSigner(canonical: Canonical): StudentSigner {
  return {
    canonical: { canonicalRequest: async (...args: Parameters<Canonical>) => canonical(...args) },
    strings: { stringToSign: async (...args: Parameters<typeof stringToSign>) => stringToSign(...args) },
  } as unknown as StudentSigner;
}

let emulator: RunningEmulator;
let host: string;

beforeAll(async () => {
  emulator = await startEmulator();
  host = new URL(emulator.endpoint).host;
});
afterAll(() => emulator?.stop());

const stsRequest = (): SignableRequest => ({
  method: 'POST',
  path: '/',
  query: [],
  headers: [
    ['Host', host],
    ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
  ],
  body: 'Action=GetCallerIdentity&Version=2011-06-15',
});

const listTablesRequest = (): SignableRequest => ({
  method: 'POST',
  path: '/',
  query: [],
  headers: [
    ['Host', host],
    ['Content-Type', 'application/x-amz-json-1.0'],
    ['X-Amz-Target', 'DynamoDB_20120810.ListTables'],
  ],
  body: '{}',
});

describe("lab 10: a refused request is explained with the emulator's canonical request beside the student's", () => {
  it.each([
    // DynamoDB names a signature mismatch InvalidSignatureException, with HTTP 400.
    ['STS (query protocol: the texts in the error message)', 'sts', stsRequest, '403 SignatureDoesNotMatch'],
    ['DynamoDB (JSON 1.0: the texts in the error message)', 'dynamodb', listTablesRequest, '400 InvalidSignatureException'],
  ])('%s: a wrong payload hash is shown on the canonical request\'s last line', { timeout: 30_000 }, async (_what, service, request, refusal) => {
    const signed = signWith(hashesAnEmptyBody, request(), service);
    const explanation = await explainRefusal(emulator.endpoint, signed, service, studentSigner(hashesAnEmptyBody));
    expect(explanation).toMatch(new RegExp(`^The emulator answered HTTP ${refusal}: `));
    expect(explanation).toMatch(/The canonical request differs at line \d+ \(the payload hash\):/);
    expect(explanation).toContain(`emulator: "${sha256Hex(request().body)}"`);
    expect(explanation).toContain(`yours:    "${sha256Hex('')}"`);
    expect(explanation).toContain("emulator's canonical request:");
    expect(explanation).toMatch(/The string to sign differs at line 4 \(the hash of the canonical request\)/);
  });

  it('S3 (the texts as XML fields): a path encoded twice is shown on line 2, the canonical URI', { timeout: 30_000 }, async () => {
    const s3 = new S3Client({ endpoint: emulator.endpoint, region: REGION, credentials, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'refusals', CreateBucketConfiguration: { LocationConstraint: REGION } }));
    s3.destroy();
    const path = encodeS3Path('refusals', 'notes/2024 jan.txt');
    const signed = signWith(encodesThePathTwice, { method: 'PUT', path, query: [], headers: [['Host', host], ['Content-Type', 'text/plain']], body: 'a note' }, 's3');
    const explanation = await explainRefusal(emulator.endpoint, signed, 's3', studentSigner(encodesThePathTwice));
    expect(explanation).toMatch(/^The emulator answered HTTP 403 SignatureDoesNotMatch: /);
    expect(explanation).toContain('The canonical request differs at line 2 (the canonical URI):');
    expect(explanation).toContain(`emulator: "/refusals/notes/2024%20jan.txt"`);
    expect(explanation).toContain(`yours:    "/refusals/notes/2024%2520jan.txt"`);
  });

  it('says so when the texts agree and the mistake is in the key or the signature (a wrong secret key)', { timeout: 30_000 }, async () => {
    const signed = signWith(canonicalRequest, stsRequest(), 'sts', 'not-the-secret');
    const explanation = await explainRefusal(emulator.endpoint, signed, 'sts', studentSigner(canonicalRequest));
    expect(explanation).toMatch(/^The emulator answered HTTP 403 SignatureDoesNotMatch: /);
    expect(explanation).toContain('your canonicalRequest() and stringToSign() build the same texts as the emulator');
    expect(explanation).not.toContain('differs at line');
  });
});
