import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../sandbox/seeded-random.ts';
import { Sha256 } from '../sigv4/sigv4-test-support.ts';
import { startChildEmulator, type ChildEmulator } from './child-emulator.ts';
import {
  authCases,
  chunkedCases,
  FIXTURE,
  framingCases,
  Fuzz,
  jsonCases,
  keyCases,
  presignedCases,
  queryCases,
  rangeCases,
  xmlCases,
  type FuzzCase,
  type Protocol,
} from './malformed-requests.ts';
import { parseRawResponse, send, sendRaw, signed, TEST_CREDENTIALS, type WireRequest } from './wire.ts';

/**
 * The fuzz suite: 2,250 malformed requests in nine categories, from a fixed seed (set
 * FUZZ_SEED to explore others), against the emulator in a process of its own, on
 * loopback. For every answer: the process is alive, it came within a deadline (no
 * hang), it is a 4xx unless AWS itself answers 5xx for that fault (JUSTIFIED_5XX), and
 * an error is in the protocol's shape (S3 <Error><Code>, JSON __type, query
 * <ErrorResponse>). After each category a valid request of each protocol still works.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const PER_CATEGORY = 250;
/** Framing cases wait on the server's timeouts more often: fewer, all at once. */
const FRAMING_CASES = 250;
const CONCURRENCY = 16;
const ANSWER_DEADLINE_MS = 15_000;

/**
 * 5xx answers AWS gives too. S3 answers a Transfer-Encoding it does not implement with
 * 501 NotImplemented (S3 API Reference, "Error responses": "A header you provided
 * implies functionality that is not implemented").
 */
const JUSTIFIED_5XX = new Set(['501 NotImplemented Transfer-Encoding']);

interface Outcome {
  status: number;
  body: string;
  method: string;
}

describe(`fuzz: malformed requests (seed ${SEED})`, () => {
  let emulator: ChildEmulator;
  const failures: string[] = [];
  const tally = { requests: 0, byStatus: new Map<number, number>() };

  const cpuAtStart = process.cpuUsage();
  beforeAll(async () => {
    emulator = await startChildEmulator();
    const s3 = async (request: WireRequest) => send(emulator.port, await signed('s3', request, emulator.port));
    expect((await s3({ method: 'PUT', path: `/${FIXTURE.bucket}` })).status).toBe(200);
    expect((await s3({ method: 'PUT', path: `/${FIXTURE.bucket}/${FIXTURE.key}`, body: 'fixture body' })).status).toBe(200);
    const table = JSON.stringify({
      TableName: FIXTURE.table,
      KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect((await dynamo('CreateTable', table)).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}:${n}`).join(' ');
    const testCpu = process.cpuUsage(cpuAtStart);
    const cpu = `CPU ${emulator.cpuSeconds().toFixed(1)} s in the emulator, ${((testCpu.user + testCpu.system) / 1e6).toFixed(1)} s in this test process`;
    console.log(`[fuzz] seed ${SEED}: ${tally.requests} malformed requests; statuses ${statuses}; ${failures.length} failures; ${cpu}`);
    await emulator?.stop();
  });

  async function dynamo(operation: string, body: string) {
    const request = { method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` }, body };
    return send(emulator.port, await signed('dynamodb', request, emulator.port));
  }

  /** The presigned URL made for a path (the cases are built synchronously; the URL is signed just before). */
  const presign = (path: string): string => presigned.get(path)!;
  const presigned = new Map<string, string>();

  async function answer(testCase: FuzzCase): Promise<Outcome> {
    if (testCase.raw) {
      const raw = await sendRaw(emulator.port, testCase.raw.bytes, { waitMs: ANSWER_DEADLINE_MS, halfClose: testCase.raw.halfClose });
      return { ...parseRawResponse(raw), method: 'RAW' };
    }
    let request = testCase.request;
    if (testCase.signAs) request = await signed(testCase.signAs, request, emulator.port);
    if (testCase.mutate) request = testCase.mutate(request);
    const response = await send(emulator.port, request, ANSWER_DEADLINE_MS);
    return { status: response.status, body: response.body, method: request.method };
  }

  /** Why this answer breaks the rules, or undefined. */
  function problem(testCase: FuzzCase, outcome: Outcome): string | undefined {
    if (!emulator.alive()) return `the emulator died: ${emulator.stderr().slice(-2000)}`;
    if (outcome.status === 0) {
      // A raw request the server closes without a word is acceptable only where nothing was a request yet.
      if (testCase.raw && outcome.body === '') return undefined;
      return `no answer: ${outcome.body}`;
    }
    if (outcome.status < 400) return undefined;
    const code = errorCode(testCase.protocol, outcome);
    if (outcome.status >= 500) {
      const header = /<Header>([^<]*)<\/Header>/.exec(outcome.body)?.[1] ?? '';
      if (!JUSTIFIED_5XX.has(`${outcome.status} ${code} ${header}`)) return `status ${outcome.status} (${code}): ${outcome.body.slice(0, 300)}`;
    }
    if (outcome.method === 'HEAD') return undefined; // HEAD errors have no body, as on AWS.
    if (code === undefined) return `status ${outcome.status} without the ${testCase.protocol} error shape: ${outcome.body.slice(0, 300)}`;
    return undefined;
  }

  async function runCategory(cases: FuzzCase[], concurrency = CONCURRENCY): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const testCase = cases[next++]!;
        const outcome = await answer(testCase);
        tally.requests += 1;
        tally.byStatus.set(outcome.status, (tally.byStatus.get(outcome.status) ?? 0) + 1);
        const why = problem(testCase, outcome);
        if (why) failures.push(`[${testCase.category}] ${testCase.label}: ${why}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** A valid request of each protocol, after each category. */
  async function stillServes(): Promise<void> {
    expect(emulator.alive()).toBe(true);
    const object = await send(emulator.port, await signed('s3', { method: 'GET', path: `/${FIXTURE.bucket}/${FIXTURE.key}` }, emulator.port));
    expect(object.status).toBe(200);
    expect(object.body).toBe('fixture body');
    expect((await dynamo('DescribeTable', JSON.stringify({ TableName: FIXTURE.table }))).status).toBe(200);
    const identity = await send(
      emulator.port,
      await signed('sts', { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' }, emulator.port),
    );
    expect(identity.status).toBe(200);
  }

  const categories: Array<[string, (fuzz: Fuzz) => Promise<FuzzCase[]>, number?]> = [
    ['auth', async (fuzz) => authCases(fuzz, PER_CATEGORY)],
    ['xml', async (fuzz) => xmlCases(fuzz, PER_CATEGORY)],
    ['json', async (fuzz) => jsonCases(fuzz, PER_CATEGORY)],
    ['query', async (fuzz) => queryCases(fuzz, PER_CATEGORY)],
    ['keys', async (fuzz) => keyCases(fuzz, PER_CATEGORY)],
    ['framing', async (fuzz) => framingCases(fuzz, FRAMING_CASES), 50],
    ['aws-chunked', async (fuzz) => chunkedCases(fuzz, PER_CATEGORY)],
    ['range/conditional', async (fuzz) => rangeCases(fuzz, PER_CATEGORY)],
    [
      'presigned',
      async (fuzz) => {
        const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: TEST_CREDENTIALS, sha256: Sha256, uriEscapePath: false });
        const path = `/${FIXTURE.bucket}/${FIXTURE.key}`;
        const url = await signer.presign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: emulator.port, path, query: {}, headers: { host: `127.0.0.1:${emulator.port}` } }, { expiresIn: 900 });
        const query = Object.entries(url.query ?? {}).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`).join('&');
        presigned.set(path, `${path}?${query}`);
        return presignedCases(fuzz, PER_CATEGORY, presign);
      },
    ],
  ];

  categories.forEach(([name, build, concurrency], index) => {
    it(`${name}: every malformed request gets an AWS-shaped 4xx, and the emulator keeps serving`, async () => {
      const before = failures.length;
      // A generator per category, so its cases are the same whether or not the others run (vitest -t).
      await runCategory(await build(new Fuzz(seededRandom(SEED + 7919 * index))), concurrency);
      await stillServes();
      expect(failures.slice(before)).toEqual([]);
    }, 120_000);
  });

  it('sent at least 2,000 malformed requests in all', () => {
    expect(tally.requests).toBeGreaterThanOrEqual(2_000);
  });
});

/** The error code in the protocol's shape, or undefined when the body is not that shape. */
function errorCode(protocol: Protocol, outcome: Outcome): string | undefined {
  if (protocol === 'json') {
    try {
      const parsed = JSON.parse(outcome.body) as { __type?: unknown };
      return typeof parsed.__type === 'string' ? parsed.__type.split('#').pop() : undefined;
    } catch {
      return undefined;
    }
  }
  if (protocol === 'query') return /<ErrorResponse[\s>][\s\S]*<Code>([^<]+)<\/Code>/.exec(outcome.body)?.[1];
  return /<Error>\s*<Code>([^<]+)<\/Code>/.exec(outcome.body)?.[1];
}
