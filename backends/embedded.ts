import { randomBytes } from 'node:crypto';
import { DEFAULT_ACCOUNT, ROOT_ACCESS_KEY, ROOT_SECRET_KEY } from '../emulator/core/identity.ts';
import type { EmulatorSettings } from '../emulator/core/store.ts';
import { startEmulator } from '../emulator/server.ts';
import { fromDescriptor, type Backend, type BackendDescriptor } from './backend.ts';
import { controlClientFor, type ControlClient } from './control-client.ts';

export interface EmbeddedBackend extends Backend {
  readonly name: 'embedded';
  readonly control: ControlClient;
}

/**
 * The default backend: our emulator, in this process, on a free loopback port. Every capability.
 * Its control API is locked with a fresh random token, which only the descriptor carries:
 * student code reaches the same port and must not be able to drive it.
 */
export async function startEmbeddedBackend(settings?: Partial<EmulatorSettings>): Promise<EmbeddedBackend> {
  const controlToken = randomBytes(24).toString('base64url');
  const emulator = await startEmulator({ settings, controlToken });
  const descriptor: BackendDescriptor & { name: 'embedded' } = {
    name: 'embedded',
    endpoint: emulator.endpoint,
    accountId: DEFAULT_ACCOUNT,
    credentials: { accessKeyId: ROOT_ACCESS_KEY, secretAccessKey: ROOT_SECRET_KEY },
    missing: {},
    reset: 'embedded-control',
    controlToken,
  };
  const control = controlClientFor(descriptor);
  let stopped = false;
  return {
    ...fromDescriptor(descriptor),
    control,
    reset: () => control.reset(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await emulator.stop();
    },
  };
}
