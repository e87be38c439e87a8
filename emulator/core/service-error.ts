/**
 * The one error type of the emulator. `code` is the AWS error code exactly as the
 * service returns it (the SDK builds its exception class name from it), `status` the
 * HTTP status. Only the protocol serializers turn it into bytes.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    /** Extra fields some errors carry (S3: BucketName, Key; STS: EncodedMessage ...). */
    readonly extra: Record<string, string> = {},
    /** Response headers some errors carry (S3 HeadBucket 301: x-amz-bucket-region). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** Query-protocol `<Type>`: Sender for the caller's fault, Receiver for ours. */
  get faultType(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError;
}

/** What a handler that does not exist answers: the operation name, so the user knows what is missing. */
export function notImplemented(service: string, operation: string): ServiceError {
  return new ServiceError(
    'NotImplemented',
    `The ${service} operation ${operation} is not implemented by the embedded emulator.`,
    501,
  );
}
