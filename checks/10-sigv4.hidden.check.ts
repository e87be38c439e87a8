/**
 * Lab 10's hidden checks: more of the official SigV4 test-suite vectors
 * (fixtures/sigv4/hidden, from the same suite as the visible ones), left out of the student
 * edition, so code tuned to the visible vectors alone does not get full marks: relative and
 * pointless-dot paths, `//`, every unreserved character, an encoded and repeated-looking
 * query, header names to sort, upper-case values, a session token, an empty query value.
 */
import { askAll, textDifference } from '../fixtures/sigv4/lab-10-grading.ts';
import { queryRecord, referenceAmzDate } from '../fixtures/sigv4/lab-10-reference.ts';
import { readVectors, type Vector } from '../fixtures/sigv4/lab-10-vectors.ts';
import { check, CheckFailure } from './support/index.ts';

type CanonicalModule = typeof import('../labs/10-sigv4/canonical-request.ts');
type StringToSignModule = typeof import('../labs/10-sigv4/string-to-sign.ts');
type SigningKeyModule = typeof import('../labs/10-sigv4/signing-key.ts');
type SignRequestModule = typeof import('../labs/10-sigv4/sign-request.ts');
type PresignModule = typeof import('../labs/10-sigv4/presign.ts');

const vectors = readVectors(new URL('../fixtures/sigv4/hidden/', import.meta.url));
const SOURCE = 'a hidden official test vector (not in your copy of the course)';
const sortedRecord = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const named = (v: Vector) => `${SOURCE}: ${v.name} (region ${v.context.region}, service ${v.context.service})`;

check(
  { todo: 1, name: 'hidden: canonical requests of more official vectors (relative paths, unreserved characters, encoded query, header order)', points: 1, hidden: true, hint: 'Normalise `.`, `..` and `//` outside S3, leave A-Z a-z 0-9 - . _ ~ unencoded, decode nothing twice, sort header names and query names after encoding.' },
  async (ctx) => {
    const { canonicalRequest } = await ctx.load<CanonicalModule>('canonical-request.ts');
    const cases = vectors.flatMap((v) => [
      { v, form: 'header', request: v.header.toCanonicalise, payloadHash: v.header.payloadHash, expected: v.header.canonicalRequest },
      { v, form: 'presigned', request: v.query.toCanonicalise, payloadHash: v.query.payloadHash, expected: v.query.canonicalRequest },
    ]);
    await askAll(
      cases,
      (c) => `${c.v.name} (${c.form})`,
      (c) => canonicalRequest(c.request, c.v.context.service, c.payloadHash),
      (c, actual) => {
        if (actual !== c.expected) throw new CheckFailure(`${named(c.v)}, ${c.form} form, request ${JSON.stringify(c.request)}:\n${textDifference('canonical request', 'AWS', c.expected, actual)}`);
      },
    );
  },
);

check(
  { todo: 2, name: 'hidden: strings to sign of more official vectors', points: 1, hidden: true, hint: 'AWS4-HMAC-SHA256, X-Amz-Date, the scope, the hex SHA-256 of the canonical request: four lines, no newline at the end.' },
  async (ctx) => {
    const { amzDate, credentialScope, stringToSign } = await ctx.load<StringToSignModule>('string-to-sign.ts');
    await askAll(
      vectors,
      (v) => v.name,
      async (v) => {
        const date = await amzDate(v.context.time);
        return stringToSign(date, await credentialScope(date, v.context.region, v.context.service), v.header.canonicalRequest);
      },
      (v, actual) => {
        if (actual !== v.header.stringToSign) throw new CheckFailure(`${named(v)}:\n${textDifference('string to sign', 'AWS', v.header.stringToSign, actual)}`);
      },
    );
  },
);

check(
  { todo: 3, name: 'hidden: signatures of more official vectors', points: 1, hidden: true, hint: 'Chain the four HMACs on raw bytes, then HMAC the string to sign with the signing key and write it in lower-case hex.' },
  async (ctx) => {
    const { signingKey, signature } = await ctx.load<SigningKeyModule>('signing-key.ts');
    await askAll(
      vectors,
      (v) => v.name,
      async (v) => signature(await signingKey(v.context.credentials.secretAccessKey, referenceAmzDate(v.context.time).slice(0, 8), v.context.region, v.context.service), v.header.stringToSign),
      (v, actual) => {
        if (actual !== v.header.signature) throw CheckFailure.mismatch(`The signature of ${named(v)}`, v.header.signature, actual);
      },
    );
  },
);

check(
  { todo: 4, name: 'hidden: Authorization headers of more official vectors (one with a session token)', points: 1, hidden: true, hint: 'Sign X-Amz-Date and, with temporary credentials, X-Amz-Security-Token: both join the headers before the canonical request is built.' },
  async (ctx) => {
    const { signRequest } = await ctx.load<SignRequestModule>('sign-request.ts');
    await askAll(
      vectors,
      (v) => v.name,
      (v) => signRequest(v.header.unsigned, { credentials: v.context.credentials, region: v.context.region, service: v.context.service, time: v.context.time }),
      (v, actual) => {
        const authorization = actual.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1];
        if (authorization !== v.header.authorization) throw CheckFailure.mismatch(`The Authorization header for ${named(v)}`, v.header.authorization, authorization);
      },
    );
  },
);

check(
  { todo: 5, name: 'hidden: presigned forms of more official vectors', points: 1, hidden: true, hint: 'Every X-Amz-* parameter but the signature is part of the canonical query, sorted with the request\'s own parameters.' },
  async (ctx) => {
    const { presignRequest } = await ctx.load<PresignModule>('presign.ts');
    await askAll(
      vectors,
      (v) => v.name,
      (v) => presignRequest(v.query.unsigned, { credentials: v.context.credentials, region: v.context.region, service: v.context.service, time: v.context.time, expiresSeconds: v.context.expiresSeconds }),
      (v, actual) => {
        const expected = sortedRecord(queryRecord(v.query.query));
        const got = sortedRecord(queryRecord(actual.query));
        if (JSON.stringify(got) !== JSON.stringify(expected)) throw CheckFailure.mismatch(`The query parameters of the presigned ${named(v)}`, expected, got);
      },
    );
  },
);
