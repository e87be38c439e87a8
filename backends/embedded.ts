import { DEFAULT_ACCOUNT, ROOT_ACCESS_KEY, ROOT_SECRET_KEY } from '../emulator/core/identity.ts';
import type { EmulatorSettings } from '../emulator/core/store.ts';
import { startEmulator } from '../emulator/server.ts';
import { fromDescriptor, type Backend } from './backend.ts';
import { ControlClient } from './control-client.ts';

export interface EmbeddedBackend extends Backend {
  readonly name: 'embedded';
  readonly control: ControlClient;
}

/** The default backend: our emulator, in this process, on a free loopback port. Every capability. */
export async function startEmbeddedBackend(settings?: Partial<EmulatorSettings>): Promise<EmbeddedBackend> {
  const emulator = await startEmulator({ settings });
  const control = new ControlClient(emulator.endpoint);
  let stopped = false;
  return {
    ...fromDescriptor({
      name: 'embedded',
      endpoint: emulator.endpoint,
      accountId: DEFAULT_ACCOUNT,
      credentials: { accessKeyId: ROOT_ACCESS_KEY, secretAccessKey: ROOT_SECRET_KEY },
      missing: {},
      reset: 'embedded-control',
    }),
    control,
    reset: () => control.reset(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await emulator.stop();
    },
  };
}
