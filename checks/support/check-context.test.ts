import { describe, expect, it } from 'vitest';
import type { BackendDescriptor } from '../../backends/backend.ts';
import { CheckContext } from './check-context.ts';
import { REGIONS } from './random.ts';

const backend: BackendDescriptor = {
  name: 'embedded',
  endpoint: 'http://127.0.0.1:9',
  accountId: '000000000000',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  missing: {},
  reset: 'embedded-control',
};
const run = { backend, seed: 7, submissionDir: '/nowhere' };

describe('CheckContext', () => {
  it('refuses control-API helpers the check did not declare in needs', async () => {
    const ctx = new CheckContext(run, 'a check', []);
    await expect(ctx.requests()).rejects.toThrow(`check "a check" uses the control API (request-log) without declaring needs: ['request-log']`);
    await expect(ctx.setFaults({ newBucketInvisibleReads: 1 })).rejects.toThrow("needs: ['eventual-consistency']");
    await expect(ctx.setFaults({ rules: [{ kind: 'throttle' }] })).rejects.toThrow("needs: ['fault-injection']");
  });

  it('draws the same inputs for the same seed and check name', () => {
    const a = new CheckContext(run, 'a check', []);
    const b = new CheckContext(run, 'a check', []);
    expect([a.region, a.bucketName()]).toEqual([b.region, b.bucketName()]);
    expect(REGIONS).toContain(a.region);
    expect(a.bucketName('logs')).toMatch(/^logs-[a-z0-9]{10}$/);
  });

  it('restores the environment and closes clients on dispose', () => {
    const ctx = new CheckContext(run, 'a check', []);
    const before = process.env.AWS_REGION;
    let destroyed = false;
    ctx.track({ destroy: () => (destroyed = true) });
    ctx.setEnv({ AWS_REGION: 'ap-southeast-1' });
    expect(process.env.AWS_REGION).toBe('ap-southeast-1');
    ctx.dispose();
    expect(process.env.AWS_REGION).toBe(before);
    expect(destroyed).toBe(true);
  });

  it('fails loading a missing student file with the path it tried', async () => {
    const ctx = new CheckContext(run, 'a check', []);
    await expect(ctx.load('missing.ts')).rejects.toThrow('Could not load missing.ts from /nowhere');
  });
});
