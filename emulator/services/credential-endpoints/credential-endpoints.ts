import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../../core/store.ts';
import { CONTAINER_CREDENTIALS_PATH, containerState, handleContainerCredentialsRequest, isContainerCredentialsRequest } from '../container-credentials/container-credentials.ts';
import { handleInstanceMetadataRequest, isInstanceMetadataRequest } from '../instance-metadata/instance-metadata.ts';
import { instanceProfile } from '../instance-metadata/instance-profile.ts';
import { findRole, resolveRoleArn } from './role-sessions.ts';

/**
 * The credential sources the emulator serves besides AWS APIs: the EC2 instance
 * metadata service and the container credential endpoint, both on the emulator's port,
 * and the control API's part that configures them and labels keys with their source.
 */

type EndpointHandler = (req: IncomingMessage, res: ServerResponse, store: Store) => Promise<void>;

/** The handler for a credential endpoint request, or undefined for everything else (AWS APIs, the control API). */
export function credentialEndpointFor(req: IncomingMessage): EndpointHandler | undefined {
  if (isContainerCredentialsRequest(req)) return handleContainerCredentialsRequest;
  if (isInstanceMetadataRequest(req)) return handleInstanceMetadataRequest;
  return undefined;
}

/**
 * Where the SDKs find each endpoint of an emulator at `endpoint` (http://127.0.0.1:4566).
 * The metadata URL ends with "/": older botocore (the AWS CLI 2.9 that Debian ships)
 * appends "latest/api/token" to AWS_EC2_METADATA_SERVICE_ENDPOINT without a separator.
 */
export function credentialEndpointUrls(endpoint: string): { instanceMetadata: string; containerCredentials: string } {
  return { instanceMetadata: `${endpoint}/`, containerCredentials: `${endpoint}${CONTAINER_CREDENTIALS_PATH}` };
}

/** The control API's view: GET /_emulator/credential-endpoints. */
export function describeCredentialEndpoints(store: Store): unknown {
  const instance = instanceProfile(store);
  const container = containerState(store);
  return {
    instanceMetadata: { roleArn: instance.roleArn ?? null, allowImdsV1: instance.allowImdsV1, sessionSeconds: instance.sessionSeconds, instanceId: instance.instanceId, region: instance.region },
    container: { path: CONTAINER_CREDENTIALS_PATH, roleArn: container.roleArn ?? null, authorizationToken: container.authorizationToken ?? null, sessionSeconds: container.sessionSeconds },
  };
}

/** A control API input the endpoints refuse; the control API answers it with 400 and changes nothing. */
class CredentialEndpointsInputError extends Error {}

/**
 * PATCH /_emulator/credential-endpoints:
 *   { "instanceMetadata"?: { "role"?: name | ARN | null, "allowImdsV1"?: bool, "sessionSeconds"?: 900..43200, "region"?: string },
 *     "container"?: { "role"?: name | ARN | null, "authorizationToken"?: string | null, "sessionSeconds"?: 900..43200 },
 *     "sources"?: { "<access key id>": "env" | "profile dev" | ... } }
 * A role named without ARN is in the default account and must exist. `null` removes the
 * role (no instance profile, no task role). Everything is checked before anything changes.
 */
export function updateCredentialEndpoints(store: Store, input: unknown): unknown {
  const body = object(input, 'the body');
  const changes: Array<() => void> = [];
  for (const key of Object.keys(body)) if (!['instanceMetadata', 'container', 'sources'].includes(key)) throw new CredentialEndpointsInputError(`unknown field ${key}; known: instanceMetadata, container, sources`);

  if (body.instanceMetadata !== undefined) {
    const given = object(body.instanceMetadata, 'instanceMetadata');
    only(given, ['role', 'allowImdsV1', 'sessionSeconds', 'region'], 'instanceMetadata');
    const roleArn = roleParam(store, given.role);
    const seconds = secondsParam(given.sessionSeconds);
    const allowImdsV1 = given.allowImdsV1;
    if (allowImdsV1 !== undefined && typeof allowImdsV1 !== 'boolean') throw new CredentialEndpointsInputError('instanceMetadata.allowImdsV1 must be true or false');
    const region = given.region;
    if (region !== undefined && (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))) throw new CredentialEndpointsInputError('instanceMetadata.region must be a region name such as eu-west-1');
    changes.push(() => {
      const state = instanceProfile(store);
      if (roleArn !== undefined) state.roleArn = roleArn ?? undefined;
      if (seconds !== undefined) state.sessionSeconds = seconds;
      if (typeof allowImdsV1 === 'boolean') state.allowImdsV1 = allowImdsV1;
      if (typeof region === 'string') state.region = region;
      // The next request gets a session of the new settings.
      state.session = undefined;
    });
  }

  if (body.container !== undefined) {
    const given = object(body.container, 'container');
    only(given, ['role', 'authorizationToken', 'sessionSeconds'], 'container');
    const roleArn = roleParam(store, given.role);
    const seconds = secondsParam(given.sessionSeconds);
    const token = given.authorizationToken;
    if (token !== undefined && token !== null && (typeof token !== 'string' || !/^[\x21-\x7e]{1,4096}$/.test(token))) {
      throw new CredentialEndpointsInputError('container.authorizationToken must be null or printable ASCII without spaces (it travels as an HTTP header)');
    }
    changes.push(() => {
      const state = containerState(store);
      if (roleArn !== undefined) state.roleArn = roleArn ?? undefined;
      if (seconds !== undefined) state.sessionSeconds = seconds;
      if (token !== undefined) state.authorizationToken = token ?? undefined;
      state.session = undefined;
    });
  }

  if (body.sources !== undefined) {
    const sources = object(body.sources, 'sources');
    for (const [accessKeyId, label] of Object.entries(sources)) {
      const record = store.credentials.all().find((r) => r.accessKeyId === accessKeyId);
      if (!record) throw new CredentialEndpointsInputError(`sources: no access key ${accessKeyId} (create it first, e.g. IAM CreateAccessKey; the implicit root keys cannot be labelled)`);
      if (typeof label !== 'string' || !/^[\x20-\x7e]{1,128}$/.test(label)) throw new CredentialEndpointsInputError(`sources: the source of ${accessKeyId} must be printable text of 1 to 128 characters`);
      changes.push(() => {
        record.source = label;
      });
    }
  }

  for (const change of changes) change();
  return describeCredentialEndpoints(store);
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CredentialEndpointsInputError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function only(value: Record<string, unknown>, known: string[], what: string): void {
  for (const key of Object.keys(value)) if (!known.includes(key)) throw new CredentialEndpointsInputError(`unknown field ${what}.${key}; known: ${known.join(', ')}`);
}

/** undefined: unchanged; null: no role; else the ARN of an existing role. */
function roleParam(store: Store, role: unknown): string | null | undefined {
  if (role === undefined || role === null) return role;
  if (typeof role !== 'string' || role.length === 0) throw new CredentialEndpointsInputError('role must be a role name, a role ARN or null');
  const arn = resolveRoleArn(role);
  if (!findRole(store, arn)) throw new CredentialEndpointsInputError(`role ${arn} does not exist: create it first (IAM CreateRole or the iam seed)`);
  return arn;
}

/** STS session limits: 15 minutes to 12 hours. */
function secondsParam(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 900 || value > 43200) throw new CredentialEndpointsInputError('sessionSeconds must be a whole number from 900 to 43200');
  return value;
}
