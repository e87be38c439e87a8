import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { startEmulator, type RunningEmulator } from '../../server.ts';

/** Test helper (not collected by vitest): S3 clients against a running embedded emulator. */
export interface S3ClientOptions {
  region?: string;
  /** The root of this account (LocalStack convention: the access key is the account id); default `test`. */
  accessKeyId?: string;
  /** false: virtual-host addressing, `<bucket>.localhost:<port>`, resolved to the emulator. */
  forcePathStyle?: boolean;
}

export function s3Client(emulator: RunningEmulator, options: S3ClientOptions = {}): S3Client {
  const pathStyle = options.forcePathStyle ?? true;
  return new S3Client({
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: 'test' },
    endpoint: pathStyle ? emulator.endpoint : `http://localhost:${emulator.port}`,
    forcePathStyle: pathStyle,
    maxAttempts: 1,
    // Virtual-host requests go to <bucket>.localhost, which the system resolver may not know: pin it to loopback.
    requestHandler: pathStyle ? undefined : { httpAgent: new Agent({ lookup: loopbackLookup }) },
  });
}

type LookupCallback = (error: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

function loopbackLookup(_host: string, options: { all?: boolean }, callback: LookupCallback): void {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}

export { startEmulator };

/** The status of a failed SDK call, and its error name (HEAD errors have no body: the SDK names them NotFound/Unknown). */
export async function failure(promise: Promise<unknown>): Promise<{ status?: number; name: string; message: string; error: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { status: e.$metadata?.httpStatusCode, name: e.name, message: e.message, error };
  }
  throw new Error('expected the call to fail, and it succeeded');
}

let counter = 0;
/** A bucket name no other test uses. */
export function uniqueBucketName(prefix = 'bucket'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
