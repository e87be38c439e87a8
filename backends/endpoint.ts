import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_ACCOUNT, ROOT_ACCESS_KEY, ROOT_SECRET_KEY } from '../emulator/core/identity.ts';
import { CAPABILITIES, fromDescriptor, isCapability, type AwsCredentials, type Backend, type BackendDescriptor, type Capability } from './backend.ts';
import { ControlApiError, ControlClient } from './control-client.ts';
import { checkEndpointUrl } from './endpoint-url.ts';

export interface EndpointOptions {
  /** The emulator's URL; AWS_ENDPOINT_URL when absent. */
  url?: string;
  /** Accept a non-loopback URL (the user's `--allow-remote-endpoint`). Never AWS itself. */
  allowRemote?: boolean;
  /** What the endpoint can do; LAB_ENDPOINT_CAPABILITIES (comma separated) when absent; none by default. */
  capabilities?: readonly string[];
  /** Throwaway credentials for the endpoint (default test/test, never the user's AWS keys). */
  credentials?: AwsCredentials;
  /**
   * Where AWS_ENDPOINT_URL, LAB_ENDPOINT_CAPABILITIES and EMULATOR_CONTROL_TOKEN are read
   * (default process.env). EMULATOR_CONTROL_TOKEN is the token our standalone emulator
   * was locked with (`npm run emulator -- --control-token TOKEN`); an open one needs none.
   */
  env?: NodeJS.ProcessEnv;
}

export interface EndpointBackend extends Backend {
  readonly name: 'endpoint';
  /** Set when the endpoint is our own emulator (it answered GET /_emulator/health). */
  readonly control?: ControlClient;
}

const PROBE_TIMEOUT_MS = 2000;

/**
 * Any emulator the user already runs. Nothing is started or stopped. If it is our
 * own emulator it has every capability and resets through its control API
 * (unlocked by EMULATOR_CONTROL_TOKEN if it was started with a control token);
 * otherwise it has the capabilities the user declares, and no reset (checks use
 * unique names).
 */
export async function connectEndpointBackend(options: EndpointOptions = {}): Promise<EndpointBackend> {
  const env = options.env ?? process.env;
  const raw = options.url ?? env.AWS_ENDPOINT_URL;
  if (!raw) throw new Error('the endpoint backend needs a URL: pass --endpoint-url http://127.0.0.1:4566 or set AWS_ENDPOINT_URL');
  const url = checkEndpointUrl(raw, options.allowRemote ?? false);
  const endpoint = url.href.replace(/\/+$/, '');
  const credentials = options.credentials ?? { accessKeyId: ROOT_ACCESS_KEY, secretAccessKey: ROOT_SECRET_KEY };

  const kind = await probe(endpoint);
  if (kind === 'unreachable') throw new Error(`nothing answers at ${endpoint}: start the emulator first, or check the URL`);
  if (kind === 'ours') {
    const controlToken = env.EMULATOR_CONTROL_TOKEN || undefined;
    const control = new ControlClient(endpoint, controlToken);
    await checkControlAccess(control, endpoint, controlToken);
    return backend(
      { endpoint, credentials, accountId: DEFAULT_ACCOUNT, missing: {}, reset: 'embedded-control', ...(controlToken ? { controlToken } : {}) },
      control,
    );
  }
  const declared = parseCapabilities(options.capabilities ?? splitList(env.LAB_ENDPOINT_CAPABILITIES));
  const missing: Partial<Record<Capability, string>> = {};
  for (const capability of Object.keys(CAPABILITIES) as Capability[]) {
    if (!declared.has(capability)) {
      missing[capability] = `not declared for endpoint ${endpoint} (add it to LAB_ENDPOINT_CAPABILITIES if the emulator has it)`;
    }
  }
  const accountId = await callerAccount(endpoint, credentials);
  return backend({ endpoint, credentials, accountId, missing, reset: 'none' });
}

function backend(descriptor: Omit<BackendDescriptor, 'name'>, control?: ControlClient): EndpointBackend {
  return {
    ...fromDescriptor({ name: 'endpoint', ...descriptor }),
    control,
    // Without a control API there is nothing to reset: checks isolate themselves by unique names.
    reset: async () => control?.reset(),
    stop: async () => undefined,
  };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function parseCapabilities(names: readonly string[]): Set<Capability> {
  const unknown = names.filter((name) => !isCapability(name));
  if (unknown.length > 0) {
    throw new Error(`unknown capability ${unknown.join(', ')}; the capabilities are: ${Object.keys(CAPABILITIES).join(', ')}`);
  }
  return new Set(names as Capability[]);
}

/** Our emulator answers its health route; any other HTTP answer is some other emulator. */
async function probe(endpoint: string): Promise<'ours' | 'other' | 'unreachable'> {
  let response: Response;
  try {
    response = await fetch(`${endpoint}/_emulator/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch {
    return 'unreachable';
  }
  const text = await response.text();
  try {
    return response.ok && (JSON.parse(text) as { status?: unknown }).status === 'ok' ? 'ours' : 'other';
  } catch {
    return 'other';
  }
}

/** Says now, not at the first reset, that a locked emulator needs its token. */
async function checkControlAccess(control: ControlClient, endpoint: string, controlToken: string | undefined): Promise<void> {
  try {
    await control.settings();
  } catch (error) {
    if (!(error instanceof ControlApiError && error.status === 403)) throw error;
    throw new Error(
      controlToken
        ? `the emulator at ${endpoint} refuses the control token in EMULATOR_CONTROL_TOKEN: give the one it was started with (--control-token)`
        : `the emulator at ${endpoint} locks its control API: set EMULATOR_CONTROL_TOKEN to the token it was started with (--control-token)`,
    );
  }
}

/** The account the credentials act in, as the endpoint's STS says; LocalStack's default if it has no STS. */
async function callerAccount(endpoint: string, credentials: AwsCredentials): Promise<string> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return identity.Account ?? DEFAULT_ACCOUNT;
  } catch {
    return DEFAULT_ACCOUNT;
  } finally {
    sts.destroy();
  }
}
