/**
 * Lab 10 (SigV4 by hand): the student's canonical request, string to sign, signing key,
 * signature and presigned URLs are graded on the official SigV4 test-suite vectors
 * (fixtures/sigv4/aws-sig-v4-test-suite), on seeded random requests against the emulator's
 * own SigV4 code and the AWS SDK's signer (both here, in the checks' process: see
 * fixtures/sigv4/lab-10-reference.ts), and live: requests the student signed and sent are
 * verified by the emulator, with what it computed shown beside the student's when it refuses.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { askAll, randomCredentials, randomKey, randomRegion, randomRequest, randomText, randomTime, textDifference } from '../fixtures/sigv4/lab-10-grading.ts';
import { describeRefusal, expectAccepted, liveUser, presignedStudentTexts, trustedFetch, type StudentSigner } from '../fixtures/sigv4/lab-10-live.ts';
import {
  queryRecord,
  referenceAmzDate,
  referenceCanonicalRequest,
  referenceScope,
  referenceSigningKey,
  sha256Hex,
  smithyAuthorization,
  smithyPresignedQuery,
  UNSIGNED_PAYLOAD,
} from '../fixtures/sigv4/lab-10-reference.ts';
import { readVectors, VISIBLE_VECTORS, type Vector } from '../fixtures/sigv4/lab-10-vectors.ts';
import { uriEncode } from '../emulator/sigv4/uri-encoding.ts';
import type { SignableRequest } from '../labs/10-sigv4/signable-request.ts';
import { check, CheckFailure, show, type CheckContext } from './support/index.ts';

type CanonicalModule = typeof import('../labs/10-sigv4/canonical-request.ts');
type StringToSignModule = typeof import('../labs/10-sigv4/string-to-sign.ts');
type SigningKeyModule = typeof import('../labs/10-sigv4/signing-key.ts');
type SignRequestModule = typeof import('../labs/10-sigv4/sign-request.ts');
type AwsRequestsModule = typeof import('../labs/10-sigv4/aws-requests.ts');
type PresignModule = typeof import('../labs/10-sigv4/presign.ts');

const VECTORS = 'fixtures/sigv4/aws-sig-v4-test-suite';
const vectors = readVectors(VISIBLE_VECTORS);
const RANDOM_CASES = 100;

/** A record with its keys in code-point order, to compare query parameters whatever their order. */
const sorted = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The vector's inputs, for a failure message. */
const vectorInput = (v: Vector) => `${v.name} (region ${v.context.region}, service ${v.context.service}, ${v.context.time.toISOString()})`;

async function signer(ctx: CheckContext): Promise<StudentSigner> {
  return { canonical: await ctx.load<CanonicalModule>('canonical-request.ts'), strings: await ctx.load<StringToSignModule>('string-to-sign.ts') };
}

// --- TODO 1: the canonical request ----------------------------------------------------------------

check(
  {
    todo: 1,
    name: 'builds the canonical request of every official test vector (Authorization-header form)',
    points: 2,
    hint: 'Six lines: method, canonical URI (normalised and encoded), sorted encoded query, the header lines (lower-case names, trimmed values, repeated names joined with ","), a blank line, the signed headers, the payload hash. Run your function on the case named in the failure.',
  },
  async (ctx) => {
    const { canonicalRequest } = await ctx.load<CanonicalModule>('canonical-request.ts');
    await askAll(
      vectors,
      (v) => `the test vector ${v.name}`,
      (v) => canonicalRequest(v.header.toCanonicalise, v.context.service, v.header.payloadHash),
      (v, actual) => {
        if (actual !== v.header.canonicalRequest) throw new CheckFailure(`Test vector ${vectorInput(v)}, in ${VECTORS}/${v.name}:\n${textDifference('canonical request', 'AWS', v.header.canonicalRequest, actual)}`);
      },
    );
  },
);

check(
  {
    todo: 1,
    name: 'builds the canonical request of every official test vector (presigned form)',
    points: 1,
    hint: 'The X-Amz-* parameters of a presigned request are ordinary query parameters here: encoded (`/` in the credential is %2F, `;` in the signed headers %3B) and sorted with the others.',
  },
  async (ctx) => {
    const { canonicalRequest } = await ctx.load<CanonicalModule>('canonical-request.ts');
    await askAll(
      vectors,
      (v) => `the test vector ${v.name} (presigned)`,
      (v) => canonicalRequest(v.query.toCanonicalise, v.context.service, v.query.payloadHash),
      (v, actual) => {
        if (actual !== v.query.canonicalRequest) throw new CheckFailure(`Test vector ${vectorInput(v)}, presigned, in ${VECTORS}/${v.name}:\n${textDifference('canonical request', 'AWS', v.query.canonicalRequest, actual)}`);
      },
    );
  },
);

check(
  {
    todo: 1,
    name: 'S3 paths are used as given: encoded once, never normalised (random keys)',
    points: 1,
    hint: 'For the service s3 the canonical URI is the path exactly as given (the key was encoded once when the path was built): no second encoding (%20 must not become %2520), no removal of `.`, `..` or `//`.',
  },
  async (ctx) => {
    const { canonicalRequest } = await ctx.load<CanonicalModule>('canonical-request.ts');
    const cases = Array.from({ length: 30 }, () => {
      const request = randomRequest(ctx.random, { service: 's3', noQuery: true });
      return { request, payloadHash: ctx.random.next() < 0.5 ? UNSIGNED_PAYLOAD : sha256Hex(request.body) };
    });
    await gradeCanonical(cases.map((c) => ({ ...c, service: 's3' })), canonicalRequest);
  },
);

check(
  {
    todo: 1,
    name: "agrees with the emulator's canonical request on 100 random requests",
    points: 2,
    hint: 'The failure shows the whole request and the first line that differs. Common causes: sorting before encoding, encodeURIComponent left as is (! \' ( ) * stay unencoded), values not trimmed or inner spaces not collapsed, `.`/`..` segments kept.',
  },
  async (ctx) => {
    const { canonicalRequest } = await ctx.load<CanonicalModule>('canonical-request.ts');
    const cases = Array.from({ length: RANDOM_CASES }, (_, i) => {
      const service = i % 3 === 0 ? 's3' : ctx.random.pick(['sts', 'dynamodb', 'execute-api', 'sqs', 'service']);
      const request = randomRequest(ctx.random, { service, unsortedQuery: i === 1 });
      return { request, service, payloadHash: sha256Hex(request.body) };
    });
    await gradeCanonical(cases, canonicalRequest);
  },
);

async function gradeCanonical(cases: Array<{ request: SignableRequest; service: string; payloadHash: string }>, canonicalRequest: (r: SignableRequest, s: string, p: string) => Promise<string>): Promise<void> {
  await askAll(
    cases,
    (_, i) => `random request ${i + 1}`,
    (c) => canonicalRequest(c.request, c.service, c.payloadHash),
    (c, actual, i) => {
      const expected = referenceCanonicalRequest(c.request, c.service, c.payloadHash);
      if (actual !== expected) {
        throw new CheckFailure(
          `Random request ${i + 1} of ${cases.length}: canonicalRequest(request, ${show(c.service)}, ${show(c.payloadHash)}) with\n  request: ${JSON.stringify(c.request)}\n` +
            `${textDifference('canonical request', 'emulator', expected, actual)}\n(The same cases come back with the same --seed.)`,
        );
      }
    },
  );
}

// --- TODO 2: string to sign and scope ---------------------------------------------------------------

check(
  {
    todo: 2,
    name: 'builds the string to sign of every official test vector (both forms)',
    points: 1,
    hint: 'Four lines: AWS4-HMAC-SHA256, the X-Amz-Date, the scope (yyyymmdd/region/service/aws4_request), the hex SHA-256 of the canonical request. No newline at the end.',
  },
  async (ctx) => {
    const { amzDate, credentialScope, stringToSign } = await ctx.load<StringToSignModule>('string-to-sign.ts');
    const cases = vectors.flatMap((v) => [
      { v, form: 'header' as const, canonical: v.header.canonicalRequest, expected: v.header.stringToSign },
      { v, form: 'query' as const, canonical: v.query.canonicalRequest, expected: v.query.stringToSign },
    ]);
    await askAll(
      cases,
      (c) => `the test vector ${c.v.name} (${c.form})`,
      async (c) => {
        const date = await amzDate(c.v.context.time);
        return stringToSign(date, await credentialScope(date, c.v.context.region, c.v.context.service), c.canonical);
      },
      (c, actual) => {
        if (actual !== c.expected) throw new CheckFailure(`Test vector ${vectorInput(c.v)} (${c.form} form), in ${VECTORS}/${c.v.name}:\n${textDifference('string to sign', 'AWS', c.expected, actual)}`);
      },
    );
  },
);

check(
  {
    todo: 2,
    name: 'X-Amz-Date and the credential scope of 100 random times, regions and services',
    points: 1,
    hint: 'amzDate is the UTC time without dashes, colons or milliseconds (toISOString() is UTC). The scope date is the first 8 characters of that X-Amz-Date, not the date of another clock.',
  },
  async (ctx) => {
    const { amzDate, credentialScope } = await ctx.load<StringToSignModule>('string-to-sign.ts');
    const cases = Array.from({ length: RANDOM_CASES }, () => ({ time: randomTime(ctx.random), region: randomRegion(ctx.random), service: ctx.random.pick(['s3', 'sts', 'dynamodb', 'iam', 'service']) }));
    await askAll(
      cases,
      (c) => `the time ${c.time.toISOString()}`,
      async (c) => {
        const date = referenceAmzDate(c.time);
        return { date: await amzDate(c.time), scope: await credentialScope(date, c.region, c.service) };
      },
      (c, actual) => {
        const date = referenceAmzDate(c.time);
        if (actual.date !== date) throw CheckFailure.mismatch(`amzDate(new Date(${show(c.time.toISOString())}))`, date, actual.date);
        const scope = referenceScope(date, c.region, c.service);
        if (actual.scope !== scope) throw CheckFailure.mismatch(`credentialScope(${show(date)}, ${show(c.region)}, ${show(c.service)})`, scope, actual.scope);
      },
    );
  },
);

// --- TODO 3: signing key and signature --------------------------------------------------------------

/** AWS's own example of a signing key (IAM User Guide, "Signature Version 4 ... Examples of how to derive a signing key"). */
const DOCUMENTED_KEY = { secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', date: '20120215', region: 'us-east-1', service: 'iam', hex: 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d' };

check(
  {
    todo: 3,
    name: "derives signing keys like AWS (AWS's documented example and 100 random ones)",
    points: 1,
    hint: 'Four HMAC-SHA256 steps (date, region, service, "aws4_request"), the first keyed with "AWS4" + the secret, each next one keyed with the previous digest() as raw bytes, never its hex text.',
  },
  async (ctx) => {
    const { signingKey } = await ctx.load<SigningKeyModule>('signing-key.ts');
    if (referenceSigningKey(DOCUMENTED_KEY.secret, DOCUMENTED_KEY.date, DOCUMENTED_KEY.region, DOCUMENTED_KEY.service).toString('hex') !== DOCUMENTED_KEY.hex) throw new Error('harness: the reference disagrees with the documented signing key');
    const cases = [
      { secret: DOCUMENTED_KEY.secret, date: DOCUMENTED_KEY.date, region: DOCUMENTED_KEY.region, service: DOCUMENTED_KEY.service },
      ...Array.from({ length: RANDOM_CASES }, () => ({ secret: randomCredentials(ctx.random, false).secretAccessKey, date: referenceAmzDate(randomTime(ctx.random)).slice(0, 8), region: randomRegion(ctx.random), service: ctx.random.pick(['s3', 'sts', 'dynamodb', 'iam']) })),
    ];
    await askAll(
      cases,
      (c) => `signingKey(${show(c.secret)}, ${show(c.date)}, ${show(c.region)}, ${show(c.service)})`,
      (c) => signingKey(c.secret, c.date, c.region, c.service),
      (c, actual, i) => {
        const expected = referenceSigningKey(c.secret, c.date, c.region, c.service).toString('hex');
        const got = actual instanceof Uint8Array ? Buffer.from(actual).toString('hex') : show(actual);
        if (got !== expected) throw CheckFailure.mismatch(`${i === 0 ? "AWS's documented example: " : ''}signingKey(${show(c.secret)}, ${show(c.date)}, ${show(c.region)}, ${show(c.service)}), as hex`, expected, got);
      },
    );
  },
);

check(
  {
    todo: 3,
    name: 'signs the string to sign of every official test vector',
    points: 1,
    hint: 'signature(key, stringToSign) is one more HMAC-SHA256 with the signing key, written as 64 lower-case hex digits.',
  },
  async (ctx) => {
    const { signingKey, signature } = await ctx.load<SigningKeyModule>('signing-key.ts');
    const cases = vectors.flatMap((v) => [
      { v, form: 'header', stringToSign: v.header.stringToSign, expected: v.header.signature },
      { v, form: 'query', stringToSign: v.query.stringToSign, expected: v.query.signature },
    ]);
    await askAll(
      cases,
      (c) => `the test vector ${c.v.name} (${c.form})`,
      async (c) => signature(await signingKey(c.v.context.credentials.secretAccessKey, referenceAmzDate(c.v.context.time).slice(0, 8), c.v.context.region, c.v.context.service), c.stringToSign),
      (c, actual) => {
        if (actual !== c.expected) throw CheckFailure.mismatch(`The signature of ${vectorInput(c.v)} (${c.form} form), string to sign ${show(c.stringToSign)}`, c.expected, actual);
      },
    );
  },
);

// --- TODO 4: signed requests --------------------------------------------------------------------

function authorizationOf(request: SignableRequest): string | undefined {
  return request.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1];
}

check(
  {
    todo: 4,
    name: 'signRequest gives every official test vector its Authorization header',
    points: 1,
    hint: 'Add X-Amz-Date (and X-Amz-Security-Token with temporary credentials) to the headers BEFORE building the canonical request, so they are signed; then Authorization: AWS4-HMAC-SHA256 Credential=<key id>/<scope>, SignedHeaders=<list>, Signature=<hex>.',
  },
  async (ctx) => {
    const { signRequest } = await ctx.load<SignRequestModule>('sign-request.ts');
    await askAll(
      vectors,
      (v) => `the test vector ${v.name}`,
      (v) => signRequest(v.header.unsigned, { credentials: v.context.credentials, region: v.context.region, service: v.context.service, time: v.context.time }),
      (v, actual) => {
        const authorization = authorizationOf(actual);
        if (authorization !== v.header.authorization) throw CheckFailure.mismatch(`The Authorization header for ${vectorInput(v)}, in ${VECTORS}/${v.name}`, v.header.authorization, authorization);
      },
    );
  },
);

check(
  {
    todo: 4,
    name: "signRequest agrees with the AWS SDK's signer on 100 random requests (S3 and others, session tokens, UNSIGNED-PAYLOAD)",
    points: 2,
    hint: 'For s3 add X-Amz-Content-Sha256 (the payload hash, or UNSIGNED-PAYLOAD) to the signed headers; for other services do not. With a session token, X-Amz-Security-Token is signed too. The scope and the key use the date of X-Amz-Date.',
  },
  async (ctx) => {
    const { signRequest } = await ctx.load<SignRequestModule>('sign-request.ts');
    const cases = Array.from({ length: RANDOM_CASES }, (_, i) => {
      const service = i % 3 === 0 ? 's3' : ctx.random.pick(['sts', 'dynamodb', 'execute-api', 'sqs']);
      const request = randomRequest(ctx.random, { service, safeQueryNames: true, unsortedQuery: i === 1 });
      const params = { credentials: randomCredentials(ctx.random, i === 2 ? true : undefined), region: randomRegion(ctx.random), service, time: randomTime(ctx.random), unsignedPayload: service === 's3' && (i === 3 || ctx.random.next() < 0.4) };
      return { request, params };
    });
    const expected = await Promise.all(cases.map((c) => smithyAuthorization(c.request, c.params)));
    await askAll(
      cases,
      (_, i) => `random request ${i + 1}`,
      (c) => signRequest(c.request, c.params),
      (c, actual, i) => {
        if (authorizationOf(actual) === expected[i]) return;
        throw new CheckFailure(
          `Random request ${i + 1} of ${cases.length}: your Authorization header is not the AWS SDK's.\n  expected: ${show(expected[i])}\n  actual:   ${show(authorizationOf(actual))}\n` +
            `  request: ${JSON.stringify(c.request)}\n  params:  ${JSON.stringify(c.params)}\n(The same cases come back with the same --seed.)`,
        );
      },
    );
  },
);

const LIVE = ['sigv4-verification', 'request-log'] as const;

check(
  {
    todo: 4,
    name: 'STS GetCallerIdentity signed by hand (POST form) and sent with fetch: the emulator verifies the signature',
    points: 1,
    needs: [...LIVE],
    hint: 'POST / with Action=GetCallerIdentity&Version=2011-06-15 as a form body (Content-Type: application/x-www-form-urlencoded; charset=utf-8), Host from the endpoint (with its port), service "sts". When the emulator refuses, the failure shows its canonical request beside yours.',
  },
  async (ctx) => {
    const user = await liveUser(ctx);
    const requests = await ctx.load<AwsRequestsModule>('aws-requests.ts');
    const signed = await requests.getCallerIdentityRequest(ctx.backend.endpoint, user.credentials, ctx.region, new Date());
    await requests.send(ctx.backend.endpoint, signed);
    await expectAccepted(ctx, 'GetCallerIdentity', 'GetCallerIdentity', user, signed, 'sts', await signer(ctx));
  },
);

check(
  {
    todo: 4,
    name: 'DynamoDB ListTables signed by hand (JSON 1.0) and sent with fetch: the emulator verifies the signature',
    points: 1,
    needs: [...LIVE],
    hint: 'POST / with the body {} and the headers Content-Type: application/x-amz-json-1.0 and X-Amz-Target: DynamoDB_20120810.ListTables (signed like every other header), service "dynamodb".',
  },
  async (ctx) => {
    const user = await liveUser(ctx);
    const requests = await ctx.load<AwsRequestsModule>('aws-requests.ts');
    const signed = await requests.listTablesRequest(ctx.backend.endpoint, user.credentials, ctx.region, new Date());
    await requests.send(ctx.backend.endpoint, signed);
    await expectAccepted(ctx, 'ListTables', 'ListTables', user, signed, 'dynamodb', await signer(ctx));
  },
);

for (const unsignedPayload of [false, true]) {
  check(
    {
      todo: 4,
      name: unsignedPayload
        ? 'S3 PutObject with UNSIGNED-PAYLOAD, sent with fetch: accepted, and the object holds the body'
        : 'S3 PutObject with the hashed payload, sent with fetch: accepted, and the object holds the body',
      points: 1,
      needs: [...LIVE],
      hint: unsignedPayload
        ? 'With unsignedPayload the literal UNSIGNED-PAYLOAD is both the X-Amz-Content-Sha256 header and the last line of the canonical request. The key in the path is encoded once (encodeS3Path) and S3 does not encode it again.'
        : 'S3 wants X-Amz-Content-Sha256: the hex SHA-256 of the body, signed, and the same value as the last line of the canonical request. The key in the path is encoded once (encodeS3Path) and S3 does not encode it again.',
    },
    async (ctx) => {
      const user = await liveUser(ctx);
      const bucket = await ctx.createBucket();
      const key = `notes/${randomKey(ctx.random)}`;
      const body = `${randomText(ctx.random, 20)}\n${randomText(ctx.random, 30)}`;
      const requests = await ctx.load<AwsRequestsModule>('aws-requests.ts');
      const signed = await requests.putObjectRequest(ctx.backend.endpoint, user.credentials, ctx.region, { bucket, key, body, unsignedPayload }, new Date());
      const sha = signed.headers.find(([name]) => name.toLowerCase() === 'x-amz-content-sha256')?.[1];
      const payloadHash = unsignedPayload ? UNSIGNED_PAYLOAD : sha256Hex(body);
      ctx.expectEqual(sha, payloadHash, `The X-Amz-Content-Sha256 header of your PutObject (${unsignedPayload ? 'unsigned payload' : 'hashed payload'})`);
      await requests.send(ctx.backend.endpoint, signed);
      await expectAccepted(ctx, `PutObject of ${JSON.stringify(key)}`, 'PutObject', user, signed, 's3', await signer(ctx));
      const stored = await ctx.s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      ctx.expectEqual(await stored.Body!.transformToString(), body, `The body of ${bucket}/${key} after your PutObject`);
    },
  );
}

// --- TODO 5: presigned URLs -------------------------------------------------------------------------

check(
  {
    todo: 5,
    name: 'presignRequest gives every official test vector its X-Amz-Signature',
    points: 1,
    hint: 'The X-Amz-* parameters (Algorithm, Credential, Date, Expires, SignedHeaders, and Security-Token with temporary credentials) go into the query BEFORE the canonical request is built; only X-Amz-Signature is added after. Outside S3 the payload hash is the body\'s SHA-256.',
  },
  async (ctx) => {
    const { presignRequest } = await ctx.load<PresignModule>('presign.ts');
    await askAll(
      vectors,
      (v) => `the test vector ${v.name} (presigned)`,
      (v) => presignRequest(v.query.unsigned, { credentials: v.context.credentials, region: v.context.region, service: v.context.service, time: v.context.time, expiresSeconds: v.context.expiresSeconds }),
      (v, actual) => {
        const expected = queryRecord(v.query.query);
        const got = queryRecord(actual.query);
        if (JSON.stringify(sorted(got)) !== JSON.stringify(sorted(expected))) throw CheckFailure.mismatch(`The query parameters of the presigned ${vectorInput(v)}, in ${VECTORS}/${v.name}`, sorted(expected), sorted(got));
      },
    );
  },
);

/**
 * A URL's path as written. WHATWG's URL parser (`new URL(url).pathname`) drops `.` and
 * `..` segments, but an S3 key may hold them ("./notes" is a key of its own), and S3 signs
 * the path as given, so a correct URL for such a key would read as wrong.
 */
function pathAsWritten(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, start + end);
}

check(
  {
    todo: 5,
    name: "presigned S3 GET URLs agree with the AWS SDK's presigner on 50 random objects",
    points: 1,
    hint: 'For S3 the payload hash of a presigned URL is UNSIGNED-PAYLOAD, the only signed header is host, and X-Amz-Security-Token (temporary credentials) is a signed query parameter.',
  },
  async (ctx) => {
    const { presignGetObject } = await ctx.load<PresignModule>('presign.ts');
    const cases = Array.from({ length: 50 }, (_, i) => ({
      endpoint: `http://127.0.0.1:${ctx.random.int(1024, 65535)}`,
      credentials: randomCredentials(ctx.random, i === 0 ? true : undefined),
      region: randomRegion(ctx.random),
      bucket: `bucket-${ctx.random.suffix(8)}`,
      key: randomKey(ctx.random),
      expiresSeconds: ctx.random.int(1, 7 * 24 * 3600),
      time: randomTime(ctx.random),
    }));
    const expected = await Promise.all(
      cases.map(async (c) => {
        const path = `/${c.bucket}/${uriEncode(c.key).replace(/%2F/g, '/')}`;
        const request: SignableRequest = { method: 'GET', path, query: [], headers: [['Host', new URL(c.endpoint).host]], body: '' };
        return { path, query: sorted(await smithyPresignedQuery(request, { ...c, service: 's3' })) };
      }),
    );
    await askAll(
      cases,
      (_, i) => `random object ${i + 1}`,
      (c) => presignGetObject(c.endpoint, c.credentials, c.region, { bucket: c.bucket, key: c.key }, c.expiresSeconds, c.time),
      (c, url, i) => {
        const got = sorted(Object.fromEntries(new URL(url).searchParams));
        if (pathAsWritten(url) === expected[i]!.path && JSON.stringify(got) === JSON.stringify(expected[i]!.query)) return;
        throw new CheckFailure(
          `Random object ${i + 1} of ${cases.length}: bucket ${show(c.bucket)}, key ${show(c.key)}, expires ${c.expiresSeconds} s, time ${c.time.toISOString()}, region ${c.region}, credentials ${JSON.stringify(c.credentials)}\n` +
            `  expected path ${show(expected[i]!.path)} and query ${show(expected[i]!.query)}\n  your URL: ${url}\n(The same cases come back with the same --seed.)`,
        );
      },
    );
  },
);

check(
  {
    todo: 5,
    name: 'the presigned URL downloads the object until it expires, and is refused once the emulator clock passes the expiry',
    points: 2,
    needs: ['sigv4-verification', 'clock-control'],
    hint: 'A GET of the URL alone (no headers, as curl or a browser sends it) must be accepted: host is the only signed header and the payload hash is UNSIGNED-PAYLOAD. X-Amz-Expires counts from X-Amz-Date.',
  },
  async (ctx) => {
    const user = await liveUser(ctx);
    const bucket = await ctx.createBucket();
    const key = `shared/${randomKey(ctx.random)}`;
    const body = randomText(ctx.random, 40);
    await ctx.s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const expiresSeconds = ctx.random.int(60, 3600);
    const presign = await ctx.load<PresignModule>('presign.ts');
    const url = await presign.presignGetObject(ctx.backend.endpoint, user.credentials, ctx.region, { bucket, key }, expiresSeconds, new Date());
    const before = await trustedFetch(url);
    if (before.status !== 200) {
      throw new CheckFailure(`GET of your presigned URL for ${bucket}/${key}, before it expires:\n${describeRefusal(before, await presignedStudentTexts(url, await signer(ctx)))}\nYour URL: ${url}`);
    }
    ctx.expectEqual(before.body, body, `What your presigned URL downloads from ${bucket}/${key}`);
    await ctx.advanceClock(expiresSeconds + 5);
    const after = await trustedFetch(url);
    ctx.expectTrue(
      after.status === 403 && after.body.includes('<Code>AccessDenied</Code>') && after.body.includes('Request has expired'),
      `Your presigned URL should be refused once ${expiresSeconds} s (your X-Amz-Expires) have passed: the emulator answered HTTP ${after.status}: ${after.body.slice(0, 400)}\nYour URL: ${url}`,
    );
  },
);
