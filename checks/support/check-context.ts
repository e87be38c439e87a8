import { chmodSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { BucketLocationConstraint, S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials, BackendDescriptor, Capability } from '../../backends/backend.ts';
import { controlClientFor, type ControlClient } from '../../backends/control-client.ts';
import type { FaultSettings } from '../../emulator/core/faults.ts';
import type { RequestLogEntry } from '../../emulator/core/request-log.ts';
import { CheckFailure } from './failures.ts';
import type { LabRun } from './lab-environment.ts';
import { Random, REGIONS } from './random.ts';
import { describeClient, type CheckBoundary, type Remote } from './student-code.ts';

/** Something a check creates and must close afterwards (SDK clients hold sockets). */
interface Disposable {
  destroy(): void;
}

/**
 * What a check's body receives: randomised inputs, clients for the backend, the
 * emulator's control API (each part gated on the capability the check declared in
 * `needs`), the student's modules, and assertions that fail in a student's words.
 */
export class CheckContext {
  /** This check's own random stream (seeded by the run seed and the check name). */
  readonly random: Random;
  /** A region drawn for this check; use it unless the check is about a specific one. */
  readonly region: string;
  readonly backend: BackendDescriptor;
  private readonly disposables: Disposable[] = [];
  /** Environment variables this check sets for the student's code (null: unset). */
  private readonly env: Record<string, string | null> = {};
  private readonly boundary: CheckBoundary;
  /** Capabilities the check asked for with can() and the backend has. */
  private readonly optional = new Set<Capability>();

  constructor(
    run: LabRun,
    private readonly checkName: string,
    private readonly needs: readonly Capability[],
    boundary: (env: () => Record<string, string | null>) => CheckBoundary,
    private readonly exchangeDir: () => Promise<string>,
  ) {
    this.boundary = boundary(() => ({ ...this.env }));
    this.backend = run.backend;
    this.random = Random.forCheck(run.seed, checkName);
    this.region = this.random.pick(REGIONS);
  }

  /** A valid bucket name nobody has used in this run: `<prefix>-<random>`. */
  bucketName(prefix = 'notes-bucket'): string {
    return `${prefix}-${this.random.suffix(10)}`;
  }

  /**
   * A harness S3 client for the backend (throwaway keys, path-style, one attempt so
   * the request log shows exactly what the check did). Closed after the check.
   */
  s3(options: { region?: string; credentials?: AwsCredentials; headers?: Record<string, string> } = {}): S3Client {
    const config = { endpoint: this.backend.endpoint, region: options.region ?? this.region, credentials: options.credentials ?? this.backend.credentials, forcePathStyle: true, maxAttempts: 1 };
    const client = withHeaders(new (sdk.s3().S3Client)(config), options.headers);
    return this.track(describeClient(client, { service: 's3', config: { ...config, headers: options.headers } }));
  }

  /**
   * Creates a bucket in the check's region with a harness client (set-up, not the
   * student's code) and returns its name. us-east-1 takes no LocationConstraint: S3
   * refuses one that names it.
   */
  async createBucket(name = this.bucketName()): Promise<string> {
    const configuration = this.region === 'us-east-1' ? undefined : { LocationConstraint: this.region as BucketLocationConstraint };
    await this.s3().send(new (sdk.s3().CreateBucketCommand)({ Bucket: name, CreateBucketConfiguration: configuration }));
    return name;
  }

  /** A harness IAM client (root of the default account unless `credentials` names another caller). */
  iam(options: { credentials?: AwsCredentials } = {}): IAMClient {
    const config = { endpoint: this.backend.endpoint, region: this.region, credentials: options.credentials ?? this.backend.credentials, maxAttempts: 1 };
    return this.track(describeClient(new (sdk.iam().IAMClient)(config), { service: 'iam', config }));
  }

  /** A harness STS client (root of the default account unless `credentials` names another caller). */
  sts(options: { credentials?: AwsCredentials; systemClockOffset?: number } = {}): STSClient {
    const config = { endpoint: this.backend.endpoint, region: this.region, credentials: options.credentials ?? this.backend.credentials, maxAttempts: 1, systemClockOffset: options.systemClockOffset };
    return this.track(describeClient(new (sdk.sts().STSClient)(config), { service: 'sts', config }));
  }

  /** A harness DynamoDB client in the check's region (one attempt, so the request log shows exactly what happened). */
  dynamodb(): DynamoDBClient {
    const config = { endpoint: this.backend.endpoint, region: this.region, credentials: this.backend.credentials, maxAttempts: 1 };
    return this.track(describeClient(new (sdk.dynamodb().DynamoDBClient)(config), { service: 'dynamodb', config }));
  }

  /** Registers something to close after the check (a harness client, a temp folder). */
  track<T extends Disposable>(client: T): T {
    this.disposables.push(client);
    return client;
  }

  /** Sets environment variables of the student's code for the rest of this check, e.g. AWS_REGION (undefined unsets). */
  setEnv(vars: Record<string, string | undefined>): void {
    for (const [name, value] of Object.entries(vars)) this.env[name] = value ?? null;
  }

  /**
   * Loads a module of the student's lab folder in the student's process, e.g.
   * `await ctx.load<typeof import('../labs/02-buckets/create-bucket.ts')>('create-bucket.ts')`.
   * Its functions are called there and answer with plain data (student-code.ts says what
   * comes back for clients and other objects); every call returns a promise. Loaded
   * inside the check, so a syntax error fails only the checks that need the file.
   */
  async load<T>(file: string): Promise<Remote<T>> {
    try {
      return await this.boundary.load<T>(file);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CheckFailure(`Could not load ${file}: ${reason}`);
    }
  }

  /** A fresh folder for files the check hands to the student's code (which may read, not write, there). */
  async tempDir(prefix = 'files'): Promise<string> {
    const dir = mkdtempSync(join(await this.exchangeDir(), `${prefix}-`));
    chmodSync(dir, 0o755);
    return dir;
  }

  /**
   * A random source for the student's code (pass it where their function takes `random`):
   * there a synchronous `() => number` in [0, 1), seeded from this check's stream, so a run
   * replays with its seed. The check may draw from the returned function too (its own copy).
   */
  seededRandom(): () => number {
    return this.boundary.random(this.random.int(1, 2 ** 31 - 1));
  }

  // --- the emulator's control API, each part gated on a declared capability ---

  /** The request log (oldest first), optionally only one operation. Needs 'request-log'. */
  async requests(filter: { operation?: string; bucket?: string } = {}): Promise<RequestLogEntry[]> {
    const all = await this.control('request-log').requests();
    return all.filter((e) => (!filter.operation || e.operation === filter.operation) && (!filter.bucket || e.bucket === filter.bucket));
  }

  /** Turns faults on (throttling, errors, eventual consistency). Needs 'fault-injection' or 'eventual-consistency'. */
  async setFaults(faults: Partial<FaultSettings>): Promise<void> {
    const capability: Capability = faults.rules?.length ? 'fault-injection' : 'eventual-consistency';
    await this.control(capability).setFaults(faults);
  }

  /** The emulator's state dump, keyed by service. Needs 'state-dump'. */
  state(): Promise<Record<string, unknown>> {
    return this.control('state-dump').state();
  }

  /**
   * Moves the emulator's clock forward (sessions expire, TOTP codes change), and the
   * student's clock with it when the check runs on virtual time. Needs 'clock-control'.
   */
  async advanceClock(seconds: number): Promise<void> {
    await this.control('clock-control').advanceClock(seconds);
    await this.boundary.movedEmulatorClock(seconds * 1000);
  }

  /**
   * How long, on the emulator's clock, a new table stays CREATING and a deleted one
   * DELETING during this check (the backend's reset restores the defaults). Needs 'table-creating-state'.
   */
  tableTransitionSeconds(times: { creating: number; deleting: number }): Promise<void> {
    return this.control('table-creating-state').updateSettings({ tableCreateDelayMs: times.creating * 1000, tableDeleteDelayMs: times.deleting * 1000 });
  }

  /** Seeds state through the control API, e.g. `{ s3: { buckets: [...] } }`. Needs 'seed'. */
  seed(seed: Record<string, unknown>): Promise<void> {
    return this.control('seed').seed(seed);
  }

  // --- assertions in a student's words ---

  /** Fails with expected-vs-actual unless `actual` equals `expected` (deep, JSON-wise). */
  expectEqual(actual: unknown, expected: unknown, what: string): void {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) throw CheckFailure.mismatch(what, expected, actual);
  }

  /** Fails with `message` unless `condition` holds. */
  expectTrue(condition: boolean, message: string): void {
    if (!condition) throw new CheckFailure(message);
  }

  fail(message: string): never {
    throw new CheckFailure(message);
  }

  /** Closes clients and lets go of what the student's process holds for this check; the harness calls it after every check. */
  dispose(): void {
    for (const client of this.disposables.splice(0)) client.destroy();
    this.boundary.dispose();
  }

  /**
   * Whether the backend has `capability`; when it does, its control-API helper may be used
   * although the check does not need it. For a trusted cross-check that makes a check
   * stronger where it can be made (the request log on our emulator) without making the
   * check ungradable elsewhere.
   */
  can(capability: Capability): boolean {
    const available = this.backend.missing[capability] === undefined;
    if (available) this.optional.add(capability);
    return available;
  }

  private control(capability: Capability): ControlClient {
    if (!this.needs.includes(capability) && !this.optional.has(capability)) {
      throw new Error(`harness: check "${this.checkName}" uses the control API (${capability}) without declaring needs: ['${capability}']`);
    }
    return controlClientFor(this.backend);
  }
}

/** Adds fixed headers to every request of a harness client (e.g. the emulator's simulated source IP). */
/**
 * The SDK's client packages, each loaded when a check first asks for its client: a lab's
 * checks load only the services they use (each package takes 0.1-0.2 s of a lab run's start
 * to load; this module is in every lab's checks). They ship CommonJS, so require() loads them
 * in place, the same module instance a check file's own import gets.
 */
const requireSdk = createRequire(import.meta.url);
const sdk = {
  s3: () => requireSdk('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3'),
  iam: () => requireSdk('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam'),
  sts: () => requireSdk('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts'),
  dynamodb: () => requireSdk('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb'),
};

function withHeaders<T extends S3Client>(client: T, headers: Record<string, string> | undefined): T {
  if (!headers) return client;
  client.middlewareStack.add(
    (next) => (args) => {
      Object.assign((args.request as { headers: Record<string, string> }).headers, headers);
      return next(args);
    },
    { step: 'build', name: 'harnessHeaders' },
  );
  return client;
}
