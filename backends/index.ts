import { BACKEND_NAMES, type Backend, type BackendName } from './backend.ts';
import { startEmbeddedBackend } from './embedded.ts';
import { connectEndpointBackend } from './endpoint.ts';
import { startLocalstackBackend } from './localstack.ts';
import { startMotoBackend } from './moto.ts';

export { BACKEND_NAMES };

const WHAT_EACH_IS: Record<BackendName, string> = {
  embedded: 'our emulator, in-process (default, every capability)',
  moto: 'a moto_server on PATH',
  localstack: 'LocalStack in Docker',
  endpoint: 'an emulator you already run (--endpoint-url or AWS_ENDPOINT_URL)',
};

export interface BackendOptions {
  /** For `endpoint`: the URL (else AWS_ENDPOINT_URL). */
  endpointUrl?: string;
  /** For `endpoint`: accept a non-loopback URL (`--allow-remote-endpoint`); AWS itself is always refused. */
  allowRemoteEndpoint?: boolean;
  /** For `endpoint`: the capabilities it has (else LAB_ENDPOINT_CAPABILITIES; none by default). */
  endpointCapabilities?: readonly string[];
  /** For `localstack`: the image (else LOCALSTACK_IMAGE, else the pinned one). */
  localstackImage?: string;
  /** For `moto`: the moto_server executable (else MOTO_SERVER, else moto_server on PATH). */
  motoCommand?: string;
}

/** The backend name from user input, or an error that lists the names. */
export function parseBackendName(input: string): BackendName {
  const name = input.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  const choices = BACKEND_NAMES.map((n) => `  ${n.padEnd(11)} ${WHAT_EACH_IS[n]}`).join('\n');
  throw new Error(`unknown backend ${JSON.stringify(input)}; choose one of:\n${choices}`);
}

/** Starts (or, for `endpoint`, connects to) the named backend; the caller must `stop()` it. */
export async function startBackend(name: BackendName = 'embedded', options: BackendOptions = {}): Promise<Backend> {
  switch (name) {
    case 'embedded':
      return startEmbeddedBackend();
    case 'moto':
      return startMotoBackend({ command: options.motoCommand });
    case 'localstack':
      return startLocalstackBackend({ image: options.localstackImage });
    case 'endpoint':
      return connectEndpointBackend({
        url: options.endpointUrl,
        allowRemote: options.allowRemoteEndpoint,
        capabilities: options.endpointCapabilities,
      });
  }
}
