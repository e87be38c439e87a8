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

/**
 * What a handler that does not exist answers: 501 NotImplemented naming the operation, so
 * the user knows what is missing. `ofKnownOperation`: the name is an operation of the AWS
 * service (in its API model), which the emulator lacks; false for a name the service does
 * not have at all, which the router answers with the service's own 4xx instead.
 */
export class NotImplementedError extends ServiceError {
  constructor(
    service: string,
    operation: string,
    readonly ofKnownOperation: boolean,
  ) {
    super('NotImplemented', `The ${service} operation ${operation} is not implemented by the embedded emulator.`, 501);
  }
}

export function notImplemented(service: string, operation: string, ofKnownOperation = true): NotImplementedError {
  return new NotImplementedError(service, operation, ofKnownOperation);
}
