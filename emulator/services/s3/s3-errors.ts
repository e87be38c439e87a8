import { ServiceError } from '../../core/service-error.ts';

/** S3 errors that several handlers raise, with AWS's codes, statuses, messages and extra elements. */

export function noSuchBucket(bucket: string): ServiceError {
  return new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
}

export function noSuchKey(key: string): ServiceError {
  return new ServiceError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
}

export function accessDenied(): ServiceError {
  return new ServiceError('AccessDenied', 'Access Denied', 403);
}

export function invalidArgument(message: string, name: string, value: string): ServiceError {
  return new ServiceError('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value });
}

export function invalidRequest(message: string): ServiceError {
  return new ServiceError('InvalidRequest', message, 400);
}

export function noSuchUpload(uploadId: string): ServiceError {
  return new ServiceError(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { UploadId: uploadId },
  );
}
