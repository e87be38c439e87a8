import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_ACCOUNT } from '../../core/identity.ts';
import type { Store } from '../../core/store.ts';
import { LAB_ROLE_NAME } from '../iam/iam-seed.ts';
import { fromLoopback, logEndpointRequest, pathOf, sendText } from '../credential-endpoints/http-replies.ts';
import { findRole, isoSeconds, rotate, type ServedSession } from '../credential-endpoints/role-sessions.ts';

/**
 * The container credential endpoint (ECS task roles, EKS Pod Identity), on the emulator's
 * own port at CONTAINER_CREDENTIALS_PATH. The SDKs find it through
 * AWS_CONTAINER_CREDENTIALS_FULL_URI (a loopback http URL is allowed) and send
 * AWS_CONTAINER_AUTHORIZATION_TOKEN, or the content of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
 * as the Authorization header (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html).
 * When a token is configured, a request without it or with another one is refused (401).
 * The answer is the ECS task-role shape: AccessKeyId, Expiration, RoleArn, SecretAccessKey,
 * Token (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html),
 * plus AccountId as the EKS Pod Identity Agent sends it.
 */

/** A path no S3 request can have: `_` is not allowed in bucket names. */
export const CONTAINER_CREDENTIALS_PATH = '/_container-credentials';
/** The token the endpoint expects out of the box (the standalone emulator prints it in its banner). */
export const DEFAULT_CONTAINER_TOKEN = 'emulator-container-token';
const DEFAULT_SESSION_SECONDS = 6 * 3600;

export interface ContainerState {
  /** The task's role, or undefined: the endpoint then answers 404 (no task role). */
  roleArn: string | undefined;
  /** The Authorization value required, or undefined for none (ECS's relative URI takes none). */
  authorizationToken: string | undefined;
  sessionSeconds: number;
  /** The session name of the role's sessions: ECS uses the task id. */
  taskId: string;
  session?: ServedSession;
}

export function containerState(store: Store): ContainerState {
  return store.serviceState<ContainerState>('container-credentials', () => ({
    roleArn: `arn:aws:iam::${DEFAULT_ACCOUNT}:role/${LAB_ROLE_NAME}`,
    authorizationToken: DEFAULT_CONTAINER_TOKEN,
    sessionSeconds: DEFAULT_SESSION_SECONDS,
    taskId: randomUUID().replace(/-/g, ''),
  }));
}

export function isContainerCredentialsRequest(req: IncomingMessage): boolean {
  const path = pathOf(req);
  return path === CONTAINER_CREDENTIALS_PATH || path.startsWith(`${CONTAINER_CREDENTIALS_PATH}/`);
}

export async function handleContainerCredentialsRequest(req: IncomingMessage, res: ServerResponse, store: Store): Promise<void> {
  const state = containerState(store);
  const log = (status: number, errorCode?: string, accessKeyId?: string, callerArn?: string) =>
    logEndpointRequest(store, req, { service: 'container-credentials', operation: 'credentials', status, errorCode, accessKeyId, callerArn, ...(accessKeyId ? { credentialSource: 'container' } : {}) });
  const fail = (status: number, code: string, message: string) => {
    sendText(res, status, JSON.stringify({ Code: code, Message: message }), 'application/json');
    log(status, code);
  };

  if (!fromLoopback(req)) return fail(403, 'AccessDenied', 'container credentials are served to this machine only');
  if (req.method !== 'GET') return fail(405, 'MethodNotAllowed', `${req.method} is not allowed; GET the credentials`);
  if (pathOf(req) !== CONTAINER_CREDENTIALS_PATH) return fail(404, 'NotFound', `no credentials at ${pathOf(req)}; the endpoint is ${CONTAINER_CREDENTIALS_PATH}`);
  if (state.authorizationToken !== undefined && !sameToken(req.headers.authorization, state.authorizationToken)) {
    const said = req.headers.authorization === undefined ? 'no Authorization header' : 'an Authorization header that is not the token';
    return fail(401, 'Unauthorized', `the request carries ${said}: send AWS_CONTAINER_AUTHORIZATION_TOKEN (or the content of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) as Authorization`);
  }
  const role = state.roleArn === undefined ? undefined : findRole(store, state.roleArn);
  if (!role) return fail(404, 'NotFound', state.roleArn === undefined ? 'this container has no task role' : `the task role ${state.roleArn} does not exist`);

  state.session = rotate(store, state.session, role, state.taskId, state.sessionSeconds, 'container');
  const record = state.session.record;
  const body = {
    AccessKeyId: record.accessKeyId,
    Expiration: isoSeconds(record.expiresAt!),
    RoleArn: role.arn,
    SecretAccessKey: record.secretAccessKey,
    Token: record.sessionToken,
    AccountId: record.caller.accountId,
  };
  sendText(res, 200, JSON.stringify(body), 'application/json');
  log(200, undefined, record.accessKeyId, record.caller.arn);
}

function sameToken(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
