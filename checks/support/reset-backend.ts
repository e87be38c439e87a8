import type { BackendDescriptor } from '../../backends/backend.ts';
import { CONTROL_TOKEN_HEADER } from '../../emulator/control/control-protocol.ts';

/**
 * Per-check isolation: every check starts from a fresh backend. The embedded emulator
 * and moto have reset endpoints; where there is none, checks stay apart because every
 * input name is random.
 */
export async function resetBackend(backend: BackendDescriptor): Promise<void> {
  const path = RESET_PATHS[backend.reset];
  if (!path) return;
  // The token is for our emulator's control API alone; no other emulator is sent it.
  const headers = backend.reset === 'embedded-control' && backend.controlToken ? { [CONTROL_TOKEN_HEADER]: backend.controlToken } : undefined;
  const response = await fetch(`${backend.endpoint}${path}`, { method: 'POST', headers });
  if (!response.ok) {
    throw new Error(`could not reset the ${backend.name} backend (POST ${path} answered ${response.status}); is it still running?`);
  }
  await response.arrayBuffer();
}

const RESET_PATHS: Record<BackendDescriptor['reset'], string | undefined> = {
  'embedded-control': '/_emulator/reset',
  'moto-api': '/moto-api/reset',
  none: undefined,
};
