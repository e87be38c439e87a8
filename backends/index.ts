import type { Backend, BackendName } from './backend.ts';
import { startEmbeddedBackend } from './embedded.ts';

export const BACKEND_NAMES: readonly BackendName[] = ['embedded', 'moto', 'localstack', 'endpoint'];

export interface BackendOptions {
  /** For `endpoint`: the URL (else AWS_ENDPOINT_URL). */
  endpointUrl?: string;
}

/** Starts the named backend; the caller must `stop()` it. */
export async function startBackend(name: BackendName = 'embedded', _options: BackendOptions = {}): Promise<Backend> {
  switch (name) {
    case 'embedded':
      return startEmbeddedBackend();
    default:
      throw new Error(`backend ${name} is not available yet`);
  }
}
