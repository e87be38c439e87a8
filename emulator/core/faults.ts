import { seededRandom } from '../../sandbox/seeded-random.ts';

/**
 * Faults the control API injects, for the labs on waiters and retries.
 *
 * A rule matches by service and (optionally) operation; it fires `count` times
 * (or forever when absent), each time with `probability` (default 1). Which matching
 * request a probability lets through is drawn from a stream seeded by the settings'
 * `seed`: the same faults, seed and requests fail the same requests on every run.
 */
export type FaultKind =
  /** The service's throttling error: S3 SlowDown 503, DynamoDB ThrottlingException, IAM/STS Throttling. */
  | 'throttle'
  /** DynamoDB ProvisionedThroughputExceededException (and UnprocessedItems in batch calls). */
  | 'throughput'
  /** A 500 InternalError / InternalFailure. */
  | 'internal'
  /** Only a delay before the request is handled. */
  | 'delay';

export interface FaultRule {
  kind: FaultKind;
  service?: string;
  operation?: string;
  count?: number;
  probability?: number;
  delayMs?: number;
}

export interface FaultSettings {
  rules: FaultRule[];
  /** Eventual consistency: a new bucket answers HeadBucket 404 for its first K reads. */
  newBucketInvisibleReads: number;
  /** Seeds the draws of the rules' `probability` (0 unless the control API gives one). */
  seed: number;
}

export function emptyFaults(): FaultSettings {
  return { rules: [], newBucketInvisibleReads: 0, seed: 0 };
}

/** Each settings object's own draw stream: new settings (PUT faults, reset) start it again from their seed. */
const draws = new WeakMap<FaultSettings, () => number>();

/**
 * Does `rule` fire on this request, as far as its probability says? Each rule with a
 * probability takes the next number of the settings' seeded stream, so which request
 * fails is fixed by the seed and the order of the requests, never by Math.random.
 */
export function probabilityFires(settings: FaultSettings, rule: FaultRule): boolean {
  if (rule.probability === undefined) return true;
  let draw = draws.get(settings);
  if (!draw) draws.set(settings, (draw = seededRandom(settings.seed)));
  return draw() < rule.probability;
}

const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'throughput', 'internal', 'delay'];

/** The longest injected delay: a waiter lab needs seconds, and a longer one would only hang every request. */
export const MAX_FAULT_DELAY_MS = 60_000;
const RULE_FIELDS = new Set(['kind', 'service', 'operation', 'count', 'probability', 'delayMs']);

/**
 * Validates a control-API payload completely before anything is applied; throws a
 * message a user can act on. A rule that passes cannot break the requests it does not
 * match, nor hang the ones it does.
 */
export function parseFaultSettings(input: unknown): FaultSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('faults must be a JSON object');
  const raw = input as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((key) => key !== 'rules' && key !== 'newBucketInvisibleReads' && key !== 'seed');
  if (unknown.length > 0) throw new Error(`faults: unknown field(s) ${unknown.join(', ')}; known: rules, newBucketInvisibleReads, seed`);
  const settings = emptyFaults();
  if (raw.newBucketInvisibleReads !== undefined) {
    const reads = raw.newBucketInvisibleReads;
    if (typeof reads !== 'number' || !Number.isSafeInteger(reads) || reads < 0) throw new Error('newBucketInvisibleReads must be an integer >= 0');
    settings.newBucketInvisibleReads = reads;
  }
  if (raw.seed !== undefined) {
    const seed = raw.seed;
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error('seed must be an integer from 0 to 4294967295');
    settings.seed = seed;
  }
  const rules = raw.rules ?? [];
  if (!Array.isArray(rules)) throw new Error('rules must be an array');
  rules.forEach((rule: unknown, index) => settings.rules.push(parseRule(rule, `rules[${index}]`)));
  return settings;
}

function parseRule(input: unknown, where: string): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error(`${where} must be an object like {"kind": "throttle", "service": "s3"}`);
  const rule = input as Record<string, unknown>;
  const unknown = Object.keys(rule).filter((key) => !RULE_FIELDS.has(key));
  if (unknown.length > 0) throw new Error(`${where}: unknown field(s) ${unknown.join(', ')}; known: ${[...RULE_FIELDS].join(', ')}`);
  if (!FAULT_KINDS.includes(rule.kind as FaultKind)) {
    throw new Error(`${where}: kind must be one of ${FAULT_KINDS.join(', ')}; got ${JSON.stringify(rule.kind)}`);
  }
  for (const field of ['service', 'operation'] as const) {
    if (rule[field] !== undefined && (typeof rule[field] !== 'string' || rule[field] === '')) throw new Error(`${where}: ${field} must be a non-empty string`);
  }
  const count = optionalNumber(rule.count, `${where}: count`, (n) => Number.isSafeInteger(n) && n >= 0, 'an integer >= 0');
  const probability = optionalNumber(rule.probability, `${where}: probability`, (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
  const delayMs = optionalNumber(rule.delayMs, `${where}: delayMs`, (n) => Number.isSafeInteger(n) && n >= 0 && n <= MAX_FAULT_DELAY_MS, `an integer from 0 to ${MAX_FAULT_DELAY_MS}`);
  return {
    kind: rule.kind as FaultKind,
    service: rule.service as string | undefined,
    operation: rule.operation as string | undefined,
    count,
    probability,
    delayMs,
  };
}

function optionalNumber(value: unknown, what: string, valid: (n: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) throw new Error(`${what} must be ${expected}; got ${JSON.stringify(value)}`);
  return value;
}
