import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { Backend } from '../../backends/backend.ts';

/**
 * Conformance compares what the labs observe, not bytes: each behaviour runs the
 * same SDK calls against our emulator and against moto and returns an
 * Observation (status codes, error codes, the fields a lab reads). Two equal
 * observations mean the labs cannot tell the two apart.
 */
export type Observation = { [field: string]: unknown };

/** One side of the comparison: a running backend and clients for it. */
export interface Target {
  readonly name: string;
  readonly backend: Backend;
  s3(region?: string): S3Client;
  readonly sts: STSClient;
  readonly iam: IAMClient;
  readonly dynamodb: DynamoDBClient;
}

export interface Behaviour {
  /** Unique, and the key of KNOWN_DIFFERENCES: "S3 CreateBucket twice: BucketAlreadyOwnedByYou". */
  readonly name: string;
  /** Runs on a freshly reset target; the same names on both sides, so outputs compare. */
  run(target: Target): Promise<Observation>;
}

export function targetFor(name: string, backend: Backend): Target {
  const base = { endpoint: backend.endpoint, credentials: backend.credentials, region: 'us-east-1', maxAttempts: 1 };
  const s3ByRegion = new Map<string, S3Client>();
  return {
    name,
    backend,
    s3(region = 'us-east-1') {
      let client = s3ByRegion.get(region);
      if (!client) s3ByRegion.set(region, (client = new S3Client({ ...base, region, forcePathStyle: true })));
      return client;
    },
    sts: new STSClient(base),
    iam: new IAMClient(base),
    dynamodb: new DynamoDBClient(base),
  };
}

interface SdkError {
  name: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

function isSdkError(error: unknown): error is SdkError {
  return error instanceof Error && '$metadata' in error;
}

/**
 * The HTTP status and picked fields of a call, or its status and error code when
 * it fails the AWS way. Anything else (a dropped connection, a parse error) is a
 * crash and propagates: it is never "the same" as anything.
 */
export async function observe<T extends { $metadata: { httpStatusCode?: number } }>(
  call: Promise<T>,
  pick: (output: T) => Observation = () => ({}),
): Promise<Observation> {
  try {
    const output = await call;
    // The status last, so a picked field cannot hide it.
    return { ...pick(output), status: output.$metadata.httpStatusCode };
  } catch (error) {
    if (isSdkError(error) && error.$metadata?.httpStatusCode) {
      return { status: error.$metadata.httpStatusCode, error: error.name };
    }
    throw error;
  }
}

/** Replaces the backend's account id with a placeholder, so shapes compare across accounts. */
export function withoutAccount(value: unknown, accountId: string): unknown {
  return JSON.parse(JSON.stringify(value ?? null).replaceAll(accountId, '<account>'));
}
