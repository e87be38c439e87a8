import { ServiceError } from '../core/service-error.ts';
import type { Protocol } from '../pipeline/context.ts';
import type { AuthFailure } from './auth-failure.ts';
import { formatAmzDate } from './signature-claim.ts';

const S3_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const SERVICE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';
const MISSING_TOKEN = 'Request is missing Authentication Token';

/**
 * The AWS error for an authentication failure, in the words of the service that
 * was asked: S3 (rest-xml), the query services (IAM, STS: 403 with Sender
 * codes) and the JSON services (DynamoDB: 400 with *Exception codes).
 */
export function authServiceError(failure: AuthFailure, protocol: Protocol): ServiceError {
  return protocol === 'rest-xml' ? s3Error(failure) : serviceError(failure, protocol === 'json');
}

function s3Error(failure: AuthFailure): ServiceError {
  switch (failure.kind) {
    case 'missing-authentication':
      return new ServiceError('AccessDenied', 'Access Denied', 403);
    case 'incomplete-authorization':
      return new ServiceError(
        'AuthorizationHeaderMalformed',
        'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.',
        400,
      );
    case 'malformed':
      return failure.form === 'query'
        ? new ServiceError('AuthorizationQueryParametersError', failure.reason, 400)
        : new ServiceError('AuthorizationHeaderMalformed', `The authorization header is malformed; ${lowerFirst(failure.reason)}`, 400);
    case 'unsupported-mechanism':
      return new ServiceError('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.', 400);
    case 'conflicting-mechanisms':
      return new ServiceError(
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
        400,
        { ArgumentName: 'Authorization' },
      );
    case 'missing-date':
      return new ServiceError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 403);
    case 'presign-expires-invalid':
      return new ServiceError('AuthorizationQueryParametersError', failure.reason, 400);
    case 'wrong-service':
      return new ServiceError(
        'AuthorizationHeaderMalformed',
        `The authorization header is malformed; incorrect service "${failure.service}". This endpoint belongs to "${failure.expected}".`,
        400,
      );
    case 'scope-date-mismatch':
      return new ServiceError(
        'AuthorizationHeaderMalformed',
        'The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.',
        400,
      );
    case 'unknown-access-key':
      return new ServiceError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, {
        AWSAccessKeyId: failure.accessKeyId,
      });
    case 'invalid-token':
      return new ServiceError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
    case 'expired-token':
      return new ServiceError('ExpiredToken', 'The provided token has expired.', 400);
    case 'time-skewed':
      return new ServiceError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403, {
        RequestTime: failure.amzDate,
        ServerTime: failure.serverTime.toISOString(),
        MaxAllowedSkewMilliseconds: String(failure.maxSkewSeconds * 1000),
      });
    case 'presign-expired':
      return new ServiceError('AccessDenied', 'Request has expired', 403, {
        'X-Amz-Expires': String(failure.expiresSeconds),
        Expires: failure.expiresAt.toISOString(),
        ServerTime: failure.serverTime.toISOString(),
      });
    case 'presign-not-yet-valid':
      return new ServiceError('AccessDenied', 'Request is not valid yet', 403, {
        'X-Amz-Date': failure.amzDate,
        ServerTime: failure.serverTime.toISOString(),
      });
    case 'headers-not-signed':
      // S3 refuses x-amz-* headers the signature leaves out (x-amz-content-sha256 aside), naming them.
      return new ServiceError('AccessDenied', 'There were headers present in the request which were not signed', 403, {
        HeadersNotSigned: failure.headers.join(', '),
      });
    case 'signature-mismatch':
      // S3 hands back what it signed, so a hand-made signature can be debugged.
      return new ServiceError('SignatureDoesNotMatch', S3_MISMATCH, 403, {
        AWSAccessKeyId: failure.accessKeyId,
        StringToSign: failure.stringToSign,
        SignatureProvided: failure.signatureProvided,
        StringToSignBytes: hexBytes(failure.stringToSign),
        CanonicalRequest: failure.canonicalRequest,
        CanonicalRequestBytes: hexBytes(failure.canonicalRequest),
      });
  }
}

/** IAM and STS (query) share codes with DynamoDB (json), which suffixes them with Exception and answers 400. */
function serviceError(failure: AuthFailure, json: boolean): ServiceError {
  const make = (code: string, message: string) => new ServiceError(json ? `${code}Exception` : code, message, json ? 400 : 403);
  const incomplete = (message: string) => new ServiceError(json ? 'IncompleteSignatureException' : 'IncompleteSignature', message, 400);
  const mismatch = (message: string) => (json ? make('InvalidSignature', message) : make('SignatureDoesNotMatch', message));
  switch (failure.kind) {
    case 'missing-authentication':
      return make('MissingAuthenticationToken', MISSING_TOKEN);
    case 'incomplete-authorization':
      return incomplete(
        `${failure.missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ')} Authorization=${failure.authorization}`,
      );
    case 'malformed':
      return incomplete(failure.reason);
    case 'unsupported-mechanism':
    case 'conflicting-mechanisms':
      return incomplete('Unsupported authorization type; use AWS4-HMAC-SHA256 in the Authorization header or in X-Amz-Algorithm, not both.');
    case 'missing-date':
      return incomplete(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${failure.authorization}`);
    case 'presign-expires-invalid':
      return incomplete(failure.reason);
    case 'wrong-service':
      return mismatch(`Credential should be scoped to correct service: '${failure.expected}'. `);
    case 'scope-date-mismatch':
      return mismatch(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${failure.scopeDate}' != '${failure.amzDate.slice(0, 8)}', from '${failure.amzDate}'.`,
      );
    case 'unknown-access-key':
      return json ? make('UnrecognizedClient', INVALID_TOKEN) : make('InvalidClientTokenId', INVALID_TOKEN);
    case 'invalid-token':
      return json ? make('UnrecognizedClient', INVALID_TOKEN) : make('InvalidClientTokenId', INVALID_TOKEN);
    case 'expired-token':
      return make('ExpiredToken', EXPIRED_TOKEN);
    case 'time-skewed':
      return mismatch(skewMessage(failure.amzDate, failure.requestTime, failure.serverTime, failure.maxSkewSeconds));
    case 'presign-expired':
      return mismatch(`Signature expired: ${formatAmzDate(failure.expiresAt)} is now earlier than ${formatAmzDate(failure.serverTime)}.`);
    case 'presign-not-yet-valid':
      return mismatch(`Signature not yet current: ${failure.amzDate} is still later than ${formatAmzDate(failure.serverTime)}.`);
    case 'headers-not-signed':
      return incomplete(failure.headers.map(signedHeaderRequirement).join(' '));
    case 'signature-mismatch':
      return mismatch(
        `${SERVICE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${failure.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${failure.stringToSign}'\n`,
      );
  }
}

/**
 * AWS's sentence for an unsigned Host ("'Host' or ':authority' must be a 'SignedHeader' in
 * the AWS Authorization."), and the same sentence for X-Amz-Date, which the SigV4 guide
 * requires to be signed whenever it carries the request time ("Create a signed AWS API
 * request": "If you include a date or x-amz-date header, you must also include that header
 * in the list of signed headers").
 */
function signedHeaderRequirement(name: string): string {
  return name === 'host' ? "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." : `'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.`;
}

/** AWS's wording, e.g. "Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)". */
function skewMessage(amzDate: string, requestTime: Date, serverTime: Date, maxSkewSeconds: number): string {
  const minutes = `${Math.round(maxSkewSeconds / 60)} min.`;
  const server = formatAmzDate(serverTime);
  if (requestTime.getTime() < serverTime.getTime()) {
    const limit = formatAmzDate(new Date(serverTime.getTime() - maxSkewSeconds * 1000));
    return `Signature expired: ${amzDate} is now earlier than ${limit} (${server} - ${minutes})`;
  }
  const limit = formatAmzDate(new Date(serverTime.getTime() + maxSkewSeconds * 1000));
  return `Signature not yet current: ${amzDate} is still later than ${limit} (${server} + ${minutes})`;
}

function hexBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
