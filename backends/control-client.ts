import type { FaultSettings } from '../emulator/core/faults.ts';
import type { RequestLogEntry } from '../emulator/core/request-log.ts';

/**
 * Client for the embedded emulator's control API (/_emulator/...). It speaks HTTP,
 * so it works the same for an in-process emulator and a standalone one.
 */
export class ControlClient {
  constructor(private readonly endpoint: string) {}

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

  updateSettings(settings: Record<string, unknown>): Promise<void> {
    return this.call('PATCH', 'settings', settings).then(() => undefined);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.endpoint}/_emulator/${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload: unknown = await response.json();
    if (!response.ok) {
      const message = (payload as { error?: string }).error ?? response.statusText;
      throw new Error(`emulator control API ${method} ${path} failed (${response.status}): ${message}`);
    }
    return payload;
  }
}
