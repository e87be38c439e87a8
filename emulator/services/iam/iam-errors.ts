import { ServiceError } from '../../core/service-error.ts';

/** IAM's error codes with their HTTP statuses and AWS's message wording. */
export function noSuchEntity(message: string): ServiceError {
  return new ServiceError('NoSuchEntity', message, 404);
}

export function entityAlreadyExists(message: string): ServiceError {
  return new ServiceError('EntityAlreadyExists', message, 409);
}

export function deleteConflict(message: string): ServiceError {
  return new ServiceError('DeleteConflict', message, 409);
}

export function limitExceeded(message: string): ServiceError {
  return new ServiceError('LimitExceeded', message, 409);
}

export function malformedPolicyDocument(message: string): ServiceError {
  return new ServiceError('MalformedPolicyDocument', message, 400);
}

export function invalidInput(message: string): ServiceError {
  return new ServiceError('InvalidInput', message, 400);
}

/** The Coral validation wording AWS uses for constraint failures ("1 validation error detected: ..."). */
export function validationError(detail: string): ServiceError {
  return new ServiceError('ValidationError', `1 validation error detected: ${detail}`, 400);
}
