import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../../core/store.ts';
import { addressedByIp, fromLoopback, isSigned, logEndpointRequest, pathOf, sendHtmlError, sendText } from '../credential-endpoints/http-replies.ts';
import { findRole, isoSeconds, rotate } from '../credential-endpoints/role-sessions.ts';
import { instanceProfile, issueToken, tokenIsValid } from './instance-profile.ts';

/**
 * The EC2 instance metadata service (IMDS), the part the SDKs' credential chains use,
 * on the emulator's own port: point AWS_EC2_METADATA_SERVICE_ENDPOINT at the emulator
 * (the JS SDK, boto3 and the CLI then ask http://<emulator>/latest/...).
 *
 * IMDSv2 as AWS documents it (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html;
 * status codes: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html, "Responses and
 * error messages": 400 a PUT that is not valid, 401 a GET with a missing or invalid token, 403 not allowed, 404 no such path):
 * - `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds: 1..21600` answers a
 *   session token valid that long (on the emulator clock); no or a bad TTL is a 400; a PUT
 *   carrying X-Forwarded-For is refused (403), which is how IMDS stops proxied token requests.
 * - every GET needs the token in `X-aws-ec2-metadata-token`: without one (IMDSv2 required,
 *   the default here) or with an invalid or expired one, 401 Unauthorized.
 * - `GET /latest/meta-data/iam/security-credentials/` names the instance profile's role;
 *   `.../<role>` answers Code, LastUpdated, Type, AccessKeyId, SecretAccessKey, Token,
 *   Expiration: a real STS session of that role, rotated five minutes before it expires.
 *
 * Its paths are those of S3 objects in a bucket named "latest"; what tells them apart is
 * that an IMDS request is never signed and is addressed to an IP or localhost (a bucket's
 * virtual host is not). An anonymous read of a public object in a bucket named "latest"
 * is therefore not possible on this emulator.
 */

export const IMDS_PATH_PREFIX = '/latest';
const TOKEN_PATH = '/latest/api/token';
const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
const MAX_TOKEN_TTL_SECONDS = 21600;
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials';

/** Is this request for the metadata service (rather than S3)? */
export function isInstanceMetadataRequest(req: IncomingMessage): boolean {
  const path = pathOf(req);
  return (path === IMDS_PATH_PREFIX || path.startsWith(`${IMDS_PATH_PREFIX}/`)) && !isSigned(req) && addressedByIp(req);
}

export async function handleInstanceMetadataRequest(req: IncomingMessage, res: ServerResponse, store: Store): Promise<void> {
  const path = pathOf(req);
  const operation = path === TOKEN_PATH ? 'token' : path.startsWith(CREDENTIALS_PATH) ? 'security-credentials' : 'metadata';
  const log = (status: number, errorCode?: string, accessKeyId?: string, callerArn?: string) =>
    logEndpointRequest(store, req, { service: 'instance-metadata', operation, status, errorCode, accessKeyId, callerArn, ...(accessKeyId ? { credentialSource: 'instance-role' } : {}) });
  const fail = (status: number, errorCode: string) => {
    sendHtmlError(res, status);
    log(status, errorCode);
  };

  // EC2 answers only its own instance (link-local, hop limit 1 for IMDSv2 responses): here, this machine.
  if (!fromLoopback(req)) return fail(403, 'Forbidden');

  if (path === TOKEN_PATH) {
    if (req.method !== 'PUT') return fail(405, 'MethodNotAllowed');
    if (req.headers['x-forwarded-for'] !== undefined) return fail(403, 'Forbidden');
    const ttlText = req.headers[TTL_HEADER];
    const ttl = typeof ttlText === 'string' && /^\d{1,6}$/.test(ttlText) ? Number(ttlText) : NaN;
    if (!(ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS)) return fail(400, 'BadRequest');
    const token = issueToken(store, ttl);
    sendText(res, 200, token, 'text/plain', { [TTL_HEADER]: String(ttl) });
    return log(200);
  }

  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'MethodNotAllowed');
  const state = instanceProfile(store);
  const token = req.headers[TOKEN_HEADER];
  if (typeof token === 'string' ? !tokenIsValid(store, token) : !state.allowImdsV1) return fail(401, 'Unauthorized');

  const answer = metadata(store, path.replace(/\/+$/, ''));
  if (answer === undefined) return fail(404, 'NotFound');
  sendText(res, 200, answer.body);
  log(200, undefined, answer.accessKeyId, answer.callerArn);
}

interface Answer {
  body: string;
  accessKeyId?: string;
  callerArn?: string;
}

/** The metadata tree, as far as SDKs and the course use it; undefined is a 404. */
function metadata(store: Store, path: string): Answer | undefined {
  const state = instanceProfile(store);
  const role = state.roleArn === undefined ? undefined : findRole(store, state.roleArn);
  const text = (body: string): Answer => ({ body });
  switch (path) {
    case '/latest':
      return text('api\ndynamic\nmeta-data');
    case '/latest/meta-data':
      return text(['instance-id', 'placement/', ...(role ? ['iam/'] : [])].join('\n'));
    case '/latest/meta-data/instance-id':
      return text(state.instanceId);
    case '/latest/meta-data/placement':
      return text('availability-zone\nregion');
    case '/latest/meta-data/placement/region':
      return text(state.region);
    case '/latest/meta-data/placement/availability-zone':
      return text(`${state.region}a`);
  }
  // An instance without an instance profile has no iam/ tree at all.
  if (!role) return undefined;
  if (path === '/latest/meta-data/iam') return text('info\nsecurity-credentials/');
  if (path === '/latest/meta-data/iam/info') {
    const profileArn = role.arn.replace(':role/', ':instance-profile/');
    return text(JSON.stringify({ Code: 'Success', LastUpdated: isoSeconds(store.clock.nowMs()), InstanceProfileArn: profileArn, InstanceProfileId: role.id.replace(/^AROA/, 'AIPA') }, null, 2));
  }
  if (path === CREDENTIALS_PATH) return text(role.name);
  if (path !== `${CREDENTIALS_PATH}/${role.name}`) return undefined;
  state.session = rotate(store, state.session, role, state.instanceId, state.sessionSeconds, 'instance-role');
  const record = state.session.record;
  const body = {
    Code: 'Success',
    LastUpdated: isoSeconds(state.session.issuedAtMs),
    Type: 'AWS-HMAC',
    AccessKeyId: record.accessKeyId,
    SecretAccessKey: record.secretAccessKey,
    Token: record.sessionToken,
    Expiration: isoSeconds(record.expiresAt!),
  };
  return { body: JSON.stringify(body, null, 2), accessKeyId: record.accessKeyId, callerArn: record.caller.arn };
}
