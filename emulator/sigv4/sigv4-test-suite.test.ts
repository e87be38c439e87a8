import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from './auth-failure.ts';
import { canonicalRequest, type WireRequest } from './canonical-request.ts';
import { readSignatureClaim } from './signature-claim.ts';
import { sha256Hex } from './signing.ts';
import { verifySignature } from './verify-signature.ts';

const SUITE = join(import.meta.dirname, '../../fixtures/sigv4/aws-sig-v4-test-suite');

interface SuiteContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  normalize: boolean;
}

interface ParsedRequest {
  wire: WireRequest;
  headers: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
}

/** The suite writes requests as HTTP text with unencoded paths; on the wire they are percent-encoded. */
function parseHttpText(text: string): ParsedRequest {
  const [head = '', body = ''] = text.split(/\r?\n\r?\n/);
  const [requestLine = '', ...headerLines] = head.split(/\r?\n/);
  const target = requestLine.slice(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' ')).replace(/[^\x21-\x7e]/gu, encodeURIComponent);
  const queryStart = target.indexOf('?');
  const rawHeaders = headerLines.flatMap((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]);
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    headers[name] = headers[name] === undefined ? rawHeaders[i + 1]!.trim() : `${headers[name]},${rawHeaders[i + 1]!.trim()}`;
  }
  const rawQuery = queryStart === -1 ? '' : target.slice(queryStart + 1);
  return {
    wire: {
      method: requestLine.slice(0, requestLine.indexOf(' ')),
      rawPath: queryStart === -1 ? target : target.slice(0, queryStart),
      rawQuery,
      rawHeaders,
    },
    headers,
    query: new URLSearchParams(rawQuery),
    body: Buffer.from(body, 'utf8'),
  };
}

const cases = readdirSync(SUITE).sort();

describe('AWS SigV4 test suite', () => {
  it('has vectors to run', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of cases) {
    const read = (file: string) => readFileSync(join(SUITE, name, file), 'utf8');
    const context = JSON.parse(read('context.json')) as SuiteContext;
    const pathRules = { normalize: context.normalize, doubleEncode: false };

    for (const form of ['header', 'query'] as const) {
      const request = parseHttpText(read(`${form}-signed-request.txt`));
      const claim = readSignatureClaim(request.headers, request.query)!;
      const check = {
        claim,
        secretAccessKey: context.credentials.secret_access_key,
        request: request.wire,
        payloadHash: sha256Hex(request.body),
        pathRules,
      };

      it(`${name} (${form}): canonical request as AWS builds it, signature accepted`, () => {
        expect(claim.form).toBe(form);
        expect(claim.accessKeyId).toBe(context.credentials.access_key_id);
        const expected = read(`${form}-canonical-request.txt`);
        expect(
          canonicalRequest({
            request: request.wire,
            signedHeaders: claim.signedHeaders,
            payloadHash: check.payloadHash,
            pathRules,
            excludeQuery: form === 'query' ? new Set(['X-Amz-Signature']) : undefined,
          }),
        ).toBe(expected);
        expect(verifySignature(check).canonicalRequest).toBe(expected);
      });

      it(`${name} (${form}): refused with another secret`, () => {
        expect(() => verifySignature({ ...check, secretAccessKey: `${check.secretAccessKey}x` })).toThrow(AuthenticationError);
      });
    }
  }
});
