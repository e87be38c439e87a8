import { fail } from './auth-failure.ts';
import { ALGORITHM, type CredentialScope } from './signing.ts';

/** AWS refuses presigned URLs that live longer than seven days. */
export const MAX_PRESIGNED_SECONDS = 7 * 24 * 60 * 60;

/** What a request claims about its signature, from the Authorization header or a presigned URL. */
export interface SignatureClaim {
  form: 'header' | 'query';
  accessKeyId: string;
  scope: CredentialScope;
  /** Lower-case header names, in the order given (which SigV4 requires to be sorted). */
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date as given: yyyymmddThhmmssZ. */
  amzDate: string;
  requestTime: Date;
  /** Presigned only: X-Amz-Expires. */
  expiresSeconds?: number;
  /** X-Amz-Security-Token from the header or the query. */
  securityToken?: string;
}

const PRESIGN_PARAMETERS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
] as const;

/**
 * The signature claim of a request, or undefined when it carries no credentials
 * at all (an anonymous request). Throws an AuthenticationError when it tries to
 * authenticate and gets the form wrong.
 */
export function readSignatureClaim(headers: Record<string, string>, query: URLSearchParams): SignatureClaim | undefined {
  const authorization = headers.authorization;
  const presigned = query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential') || query.has('X-Amz-Signature');
  // A Signature Version 2 query string (what boto3 presigns without a signature_version): S3 refuses
  // SigV2 for buckets created after June 24, 2020 (S3 User Guide, "AWS Signature Version 2 turned off
  // (deprecated) for Amazon S3"); it is never an anonymous request.
  const sigV2 = query.has('AWSAccessKeyId') && query.has('Signature');
  if (authorization !== undefined && (presigned || sigV2)) fail({ kind: 'conflicting-mechanisms' });
  if (sigV2 && !presigned) fail({ kind: 'unsupported-mechanism' });
  if (authorization !== undefined) return fromAuthorizationHeader(authorization, headers);
  if (presigned) return fromPresignedQuery(query, headers);
  return undefined;
}

function fromAuthorizationHeader(authorization: string, headers: Record<string, string>): SignatureClaim {
  const space = authorization.indexOf(' ');
  const scheme = space === -1 ? authorization : authorization.slice(0, space);
  if (scheme !== ALGORITHM) fail({ kind: 'unsupported-mechanism' });

  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq !== -1) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !fields.get(name));
  if (missing.length > 0) fail({ kind: 'incomplete-authorization', authorization, missing });

  const amzDate = headers['x-amz-date'];
  const requestTime = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || !requestTime) fail({ kind: 'missing-date', authorization });

  return {
    form: 'header',
    ...parseCredential(fields.get('Credential')!, 'header'),
    signedHeaders: parseSignedHeaders(fields.get('SignedHeaders')!, 'header'),
    signature: fields.get('Signature')!,
    amzDate,
    requestTime,
    securityToken: headers['x-amz-security-token'],
  };
}

function fromPresignedQuery(query: URLSearchParams, headers: Record<string, string>): SignatureClaim {
  const missing = PRESIGN_PARAMETERS.filter((name) => !query.get(name));
  if (missing.length > 0) {
    fail({
      kind: 'malformed',
      form: 'query',
      reason: 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    });
  }
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) {
    fail({ kind: 'malformed', form: 'query', reason: `X-Amz-Algorithm only supports "${ALGORITHM}"` });
  }
  const amzDate = query.get('X-Amz-Date')!;
  const requestTime = parseAmzDate(amzDate);
  if (!requestTime) {
    fail({ kind: 'malformed', form: 'query', reason: `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"` });
  }
  const expiresText = query.get('X-Amz-Expires')!;
  if (!/^\d+$/.test(expiresText)) fail({ kind: 'presign-expires-invalid', reason: 'X-Amz-Expires should be a number' });
  const expiresSeconds = Number(expiresText);
  if (expiresSeconds > MAX_PRESIGNED_SECONDS) {
    fail({
      kind: 'presign-expires-invalid',
      reason: `X-Amz-Expires must be less than a week (in seconds) that is, the given X-Amz-Expires must be less than ${MAX_PRESIGNED_SECONDS} seconds`,
    });
  }
  return {
    form: 'query',
    ...parseCredential(query.get('X-Amz-Credential')!, 'query'),
    signedHeaders: parseSignedHeaders(query.get('X-Amz-SignedHeaders')!, 'query'),
    signature: query.get('X-Amz-Signature')!,
    amzDate,
    requestTime,
    expiresSeconds,
    securityToken: query.get('X-Amz-Security-Token') ?? headers['x-amz-security-token'],
  };
}

/** <access key>/<yyyymmdd>/<region>/<service>/aws4_request */
function parseCredential(credential: string, form: 'header' | 'query'): Pick<SignatureClaim, 'accessKeyId' | 'scope'> {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !/^\d{8}$/.test(date) || !region || !service || terminator !== 'aws4_request') {
    fail({
      kind: 'malformed',
      form,
      reason: `The Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    });
  }
  return { accessKeyId, scope: { date, region, service } };
}

function parseSignedHeaders(list: string, form: 'header' | 'query'): string[] {
  const names = list.split(';');
  if (names.some((name) => name === '' || name !== name.toLowerCase())) {
    fail({ kind: 'malformed', form, reason: `The SignedHeaders list must name lower-case headers separated by ';', got '${list}'.` });
  }
  return names;
}

/** yyyymmddThhmmssZ -> Date, or undefined when it is not a real instant in that form. */
export function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const time = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return time.getUTCMonth() === mo - 1 && time.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? time : undefined;
}

/** Date -> yyyymmddThhmmssZ, the form AWS uses in its skew messages. */
export function formatAmzDate(time: Date): string {
  return time.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
