import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { CONTROL_TOKEN_HEADER } from '../emulator/control/control-protocol.ts';
import type { FaultSettings } from '../emulator/core/faults.ts';
import type { RequestLogEntry } from '../emulator/core/request-log.ts';
import type { EmulatorSettings } from '../emulator/core/store.ts';
import type { BackendDescriptor } from './backend.ts';

/** A control API call the emulator refused or failed; `status` is its HTTP status (403: locked, wrong token). */
export class ControlApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Client for the embedded emulator's control API (/_emulator/...). It speaks HTTP,
 * so it works the same for an in-process emulator and a standalone one. `token`
 * unlocks an emulator started with a control token; it is sent on every call.
 */
export class ControlClient {
  constructor(
    private readonly endpoint: string,
    private readonly token?: string,
  ) {}

  reset(): Promise<void> {
    return this.call('POST', 'reset').then(() => undefined);
  }

  /** Seeds state, keyed by service: `{ s3: { buckets: [{ name, account, region }] } }`. */
  seed(seed: Record<string, unknown>): Promise<void> {
    return this.call('POST', 'seed', seed).then(() => undefined);
  }

  setFaults(faults: Partial<FaultSettings>): Promise<FaultSettings> {
    return this.call('PUT', 'faults', faults) as Promise<FaultSettings>;
  }

  clearFaults(): Promise<void> {
    return this.call('DELETE', 'faults').then(() => undefined);
  }

  requests(): Promise<RequestLogEntry[]> {
    return this.call('GET', 'requests') as Promise<RequestLogEntry[]>;
  }

  clearRequests(): Promise<void> {
    return this.call('DELETE', 'requests').then(() => undefined);
  }

  /** The state dump, keyed by service name. */
  state(): Promise<Record<string, unknown>> {
    return this.call('GET', 'state') as Promise<Record<string, unknown>>;
  }

  advanceClock(seconds: number): Promise<void> {
    return this.call('POST', 'clock', { advanceSeconds: seconds }).then(() => undefined);
  }

  /** Stops the clock (only moves change it then) or lets it run again; answers the time it stands at. */
  async freezeClock(frozen: boolean): Promise<number> {
    const { now } = (await this.call('POST', 'clock', { freeze: frozen })) as { now: string };
    return Date.parse(now);
  }

  settings(): Promise<EmulatorSettings> {
    return this.call('GET', 'settings') as Promise<EmulatorSettings>;
  }

  updateSettings(settings: Record<string, unknown>): Promise<void> {
    return this.call('PATCH', 'settings', settings).then(() => undefined);
  }

  /** The instance metadata and container credential endpoints: roles, token, IMDSv1 switch, session length. */
  credentialEndpoints(): Promise<unknown> {
    return this.call('GET', 'credential-endpoints');
  }

  /**
   * Configures the credential endpoints and labels keys with their source (the request log's
   * credentialSource): `{ instanceMetadata?: { role, allowImdsV1, sessionSeconds, region },
   * container?: { role, authorizationToken, sessionSeconds }, sources?: { [accessKeyId]: label } }`.
   */
  configureCredentialEndpoints(settings: Record<string, unknown>): Promise<unknown> {
    return this.call('PATCH', 'credential-endpoints', settings);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (this.token !== undefined) headers[CONTROL_TOKEN_HEADER] = this.token;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) headers['content-type'] = 'application/json';
    const response = await send(new URL(`${this.endpoint}/_emulator/${path}`), method, headers, payload);
    let answer: unknown;
    try {
      answer = JSON.parse(response.body);
    } catch {
      throw new ControlApiError(response.status, `emulator control API ${method} ${path} answered ${response.status} with no JSON: ${response.body.slice(0, 200)}`);
    }
    if (response.status < 200 || response.status > 299) {
      const message = (answer as { error?: string })?.error ?? `HTTP ${response.status}`;
      throw new ControlApiError(response.status, `emulator control API ${method} ${path} failed (${response.status}): ${message}`);
    }
    return answer;
  }
}

/**
 * Kept-alive connections for the control API. Virtual time moves the emulator's clock with a
 * call per timer the student's code sets (hundreds in a retry check), and node:http on a kept
 * connection costs a fraction of fetch's per-call work (measured: fetch was about a tenth of
 * the checks' CPU in a lab 09 run). Idle sockets do not keep a process alive (the agent unrefs them).
 */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

function send(url: URL, method: string, headers: Record<string, string>, payload: Buffer | undefined, retried = false): Promise<{ status: number; body: string }> {
  const secure = url.protocol === 'https:';
  const [request, agent] = secure ? [httpsRequest, agents.https] : [httpRequest, agents.http];
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) }, agent }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server closed a kept connection just as this request went out on it: nothing was
      // answered, so it is sent again once on a new one (what Node's documentation advises).
      if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) resolve(send(url, method, headers, payload, true));
      else reject(error);
    });
    req.end(payload);
  });
}

/** The control client for a backend handed over as a descriptor, with its token if it has one. */
export function controlClientFor(backend: BackendDescriptor): ControlClient {
  return new ControlClient(backend.endpoint, backend.controlToken);
}
