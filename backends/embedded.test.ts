import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetBackend } from '../checks/support/reset-backend.ts';
import { controlClientFor } from './control-client.ts';
import { startEmbeddedBackend, type EmbeddedBackend } from './embedded.ts';

describe('embedded backend control token', () => {
  let backend: EmbeddedBackend;
  beforeAll(async () => {
    backend = await startEmbeddedBackend();
  });
  afterAll(() => backend.stop());

  it('locks the control API with a fresh random token that only the descriptor carries', async () => {
    const token = backend.describe().controlToken;
    expect(token).toMatch(/^[\w-]{32}$/); // 24 random bytes, base64url
    const other = await startEmbeddedBackend();
    try {
      expect(other.describe().controlToken).not.toBe(token);
    } finally {
      await other.stop();
    }
  });

  it('refuses a plain request to the control API, as student code would send it', async () => {
    const response = await fetch(`${backend.endpoint}/_emulator/state`);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toMatch(/locked/);
    expect((await fetch(`${backend.endpoint}/_emulator/reset`, { method: 'POST' })).status).toBe(403);
  });

  it('answers its own control client, and one built from the handed-over descriptor', async () => {
    await backend.control.seed({ s3: { buckets: [{ name: 'from-the-backend' }] } });
    const handedOver = JSON.parse(JSON.stringify(backend.describe()));
    const state = (await controlClientFor(handedOver).state()) as { s3: { buckets: Array<{ name: string }> } };
    expect(state.s3.buckets.map((b) => b.name)).toContain('from-the-backend');
  });

  it('resets through resetBackend, which sends the token', async () => {
    await backend.control.seed({ s3: { buckets: [{ name: 'to-be-reset' }] } });
    await resetBackend(backend.describe());
    const state = (await backend.control.state()) as { s3: { buckets: Array<{ name: string }> } };
    expect(state.s3.buckets.map((b) => b.name)).not.toContain('to-be-reset');
  });
});
