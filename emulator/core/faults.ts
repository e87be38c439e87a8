/**
 * Faults the control API injects, for the labs on waiters and retries.
 *
 * A rule matches by service and (optionally) operation; it fires `count` times
 * (or forever when absent), each time with `probability` (default 1).
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
}

export function emptyFaults(): FaultSettings {
  return { rules: [], newBucketInvisibleReads: 0 };
}

const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'throughput', 'internal', 'delay'];

/** Validates a control-API payload; throws a message a user can act on. */
export function parseFaultSettings(input: unknown): FaultSettings {
  if (typeof input !== 'object' || input === null) throw new Error('faults must be a JSON object');
  const raw = input as Record<string, unknown>;
  const settings = emptyFaults();
  if (raw.newBucketInvisibleReads !== undefined) {
    const reads = Number(raw.newBucketInvisibleReads);
    if (!Number.isInteger(reads) || reads < 0) throw new Error('newBucketInvisibleReads must be an integer >= 0');
    settings.newBucketInvisibleReads = reads;
  }
  const rules = raw.rules ?? [];
  if (!Array.isArray(rules)) throw new Error('rules must be an array');
  for (const rule of rules as Record<string, unknown>[]) {
    if (!FAULT_KINDS.includes(rule.kind as FaultKind)) {
      throw new Error(`rule kind must be one of ${FAULT_KINDS.join(', ')}; got ${JSON.stringify(rule.kind)}`);
    }
    const probability = rule.probability === undefined ? undefined : Number(rule.probability);
    if (probability !== undefined && !(probability >= 0 && probability <= 1)) throw new Error('probability must be in [0, 1]');
    settings.rules.push({
      kind: rule.kind as FaultKind,
      service: rule.service as string | undefined,
      operation: rule.operation as string | undefined,
      count: rule.count === undefined ? undefined : Number(rule.count),
      probability,
      delayMs: rule.delayMs === undefined ? undefined : Number(rule.delayMs),
    });
  }
  return settings;
}
