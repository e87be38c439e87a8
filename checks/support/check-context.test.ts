import { describe, expect, it } from 'vitest';
import type { BackendDescriptor } from '../../backends/backend.ts';
import { CheckContext } from './check-context.ts';
import { REGIONS } from './random.ts';
import type { CheckBoundary } from './student-code.ts';

/** What the context asks of the student's process, recorded. */
function fakeBoundary(calls: string[]) {
  return (env: () => Record<string, string | null>) =>
    ({
      load: async (file: string) => {
        calls.push(`load ${file} ${JSON.stringify(env())}`);
        throw new Error(`no such file ${file}`);
      },
      dispose: () => calls.push('dispose'),
    }) as unknown as CheckBoundary;
}
const context = (calls: string[] = []) => new CheckContext(run, 'a check', [], fakeBoundary(calls), async () => '/nowhere');

const backend: BackendDescriptor = {
  name: 'embedded',
  endpoint: 'http://127.0.0.1:9',
  accountId: '000000000000',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  missing: {},
  reset: 'embedded-control',
};
const run = { backend, seed: 7, submissionDir: '/nowhere', sandbox: { isolateNetwork: false, heapMiB: 64 }, studentEnv: {} };

describe('CheckContext', () => {
  it('refuses control-API helpers the check did not declare in needs', async () => {
    const ctx = context();
    await expect(ctx.requests()).rejects.toThrow(`check "a check" uses the control API (request-log) without declaring needs: ['request-log']`);
    await expect(ctx.setFaults({ newBucketInvisibleReads: 1 })).rejects.toThrow("needs: ['eventual-consistency']");
    await expect(ctx.setFaults({ rules: [{ kind: 'throttle' }] })).rejects.toThrow("needs: ['fault-injection']");
  });

  it('lets a check use a capability it does not need only after can() found it on the backend', async () => {
    const ctx = context();
    await expect(ctx.requests()).rejects.toThrow('without declaring');
    const onMoto = new CheckContext({ ...run, backend: { ...backend, missing: { 'request-log': 'moto has none' } } }, 'a check', [], fakeBoundary([]), async () => '/nowhere');
    expect(onMoto.can('request-log')).toBe(false);
    await expect(onMoto.requests()).rejects.toThrow('without declaring');
    expect(ctx.can('request-log')).toBe(true);
    // Allowed now: it fails only because nothing listens at the test's endpoint.
    await expect(ctx.requests()).rejects.not.toThrow('without declaring');
  });

  it('draws the same inputs for the same seed and check name', () => {
    const a = context();
    const b = context();
    expect([a.region, a.bucketName()]).toEqual([b.region, b.bucketName()]);
    expect(REGIONS).toContain(a.region);
    expect(a.bucketName('logs')).toMatch(/^logs-[a-z0-9]{10}$/);
  });

  it('hands its environment to the student process, not to its own, and releases it on dispose', async () => {
    const calls: string[] = [];
    const ctx = context(calls);
    const before = process.env.AWS_REGION;
    let destroyed = false;
    ctx.track({ destroy: () => (destroyed = true) });
    ctx.setEnv({ AWS_REGION: 'ap-southeast-1', AWS_PROFILE: undefined });
    expect(process.env.AWS_REGION).toBe(before);
    await expect(ctx.load('missing.ts')).rejects.toThrow('Could not load missing.ts: no such file missing.ts');
    ctx.dispose();
    expect(calls).toEqual(['load missing.ts {"AWS_REGION":"ap-southeast-1","AWS_PROFILE":null}', 'dispose']);
    expect(destroyed).toBe(true);
  });
});
