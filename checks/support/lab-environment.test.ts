import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { DEFAULT_POLICY, policyFromEnv, rootSandboxPolicy, SANDBOX_POLICIES_ENV, SANDBOX_POLICY_ENV } from '../../grader/student-sandbox.ts';
import { LAB_ENV, type BackendHandoff } from './lab-environment.ts';

const dir = mkdtempSync(join(tmpdir(), 'handoff-test-'));
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

it('waits for the handoff file, then points the AWS env at the backend', async () => {
  const file = join(dir, 'backend.json');
  vi.stubEnv(LAB_ENV.backendFile, file);
  vi.stubEnv(LAB_ENV.seed, '42');
  vi.stubEnv(LAB_ENV.submission, '/labs/02-buckets');
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
  const { labRun } = await import('./lab-environment.ts');
  const run = labRun();

  const handoff: BackendHandoff = {
    backend: { name: 'embedded', endpoint: 'http://127.0.0.1:1', accountId: '000000000000', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, missing: {}, reset: 'embedded-control' },
    env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
  };
  setTimeout(() => {
    writeFileSync(`${file}.tmp`, JSON.stringify(handoff));
    renameSync(`${file}.tmp`, file);
  }, 50);

  const { sandbox, studentEnv, ...rest } = await run;
  expect(rest).toEqual({ backend: handoff.backend, seed: 42, submissionDir: '/labs/02-buckets' });
  // No LAB_SANDBOX: the default policy; the student's AWS env is the worker's, with the backend's endpoint.
  expect(sandbox.isolateNetwork).toBe(false);
  expect(studentEnv.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:1');
  expect(process.env.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:1');
  rmSync(dir, { recursive: true, force: true });
});

it('tells a user who runs the checks directly to use the lab runner', async () => {
  vi.stubEnv(LAB_ENV.backendFile, undefined);
  vi.stubEnv(LAB_ENV.backend, undefined);
  const { labRun } = await import('./lab-environment.ts');
  await expect(labRun()).rejects.toThrow('npm run lab:N');
});

it('gives each of several submissions its own run and the work folder the runner prepared for it; only the first gets the runner-started process', async () => {
  const handoff: BackendHandoff = {
    backend: { name: 'embedded', endpoint: 'http://127.0.0.1:1', accountId: '000000000000', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, missing: {}, reset: 'embedded-control' },
    env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
    studentWorks: ['/runner/s-1', '/runner/s-2'],
    studentAgent: { pid: 1, socketPath: '/runner/s-1/agent.sock', logFile: '/runner/s-1/log' } as unknown as NonNullable<BackendHandoff['studentAgent']>,
  };
  vi.stubEnv(LAB_ENV.backend, JSON.stringify(handoff));
  vi.stubEnv(LAB_ENV.seed, '7');
  vi.stubEnv(LAB_ENV.submission, '/ignored/when/several');
  vi.stubEnv(LAB_ENV.submissions, JSON.stringify(['/a/02-buckets', '/b/02-buckets']));
  const { labRun, submissionDirs } = await import('./lab-environment.ts');
  expect(submissionDirs()).toEqual(['/a/02-buckets', '/b/02-buckets']);
  const [first, second] = await Promise.all([labRun(0), labRun(1)]);
  expect([first.submissionDir, first.studentWork, first.studentAgent]).toEqual(['/a/02-buckets', '/runner/s-1', handoff.studentAgent]);
  expect([second.submissionDir, second.studentWork, second.studentAgent, second.seed]).toEqual(['/b/02-buckets', '/runner/s-2', undefined, 7]);
  await expect(labRun(2)).rejects.toThrow('npm run lab:N');
});

it('gives each of several submissions its own sandbox policy (LAB_SANDBOXES): its own user in batch grading as root', async () => {
  const handoff: BackendHandoff = {
    backend: { name: 'embedded', endpoint: 'http://127.0.0.1:1', accountId: '000000000000', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, missing: {}, reset: 'embedded-control' },
    env: {},
  };
  vi.stubEnv(LAB_ENV.backend, JSON.stringify(handoff));
  vi.stubEnv(LAB_ENV.seed, '7');
  vi.stubEnv(LAB_ENV.submissions, JSON.stringify(['/a/02-buckets', '/b/02-buckets']));
  vi.stubEnv(SANDBOX_POLICIES_ENV, JSON.stringify([rootSandboxPolicy(200_001), rootSandboxPolicy(200_002)]));
  vi.stubEnv(SANDBOX_POLICY_ENV, JSON.stringify(DEFAULT_POLICY));
  const { labRun } = await import('./lab-environment.ts');
  const [first, second] = await Promise.all([labRun(0), labRun(1)]);
  expect([first.sandbox.uid, second.sandbox.uid]).toEqual([200_001, 200_002]);
  expect(() => policyFromEnv({ [SANDBOX_POLICIES_ENV]: JSON.stringify([DEFAULT_POLICY]) }, 1)).toThrow('LAB_SANDBOXES has no policy for submission 2');
});

it('refuses a LAB_SUBMISSIONS that is not a list of folders', async () => {
  const { submissionDirs } = await import('./lab-environment.ts');
  for (const bad of ['[]', '"/a"', '[1]', '[""]']) expect(() => submissionDirs({ [LAB_ENV.submissions]: bad })).toThrow('must be a JSON array of lab folders');
  expect(submissionDirs({ [LAB_ENV.submission]: '/one' })).toEqual(['/one']);
  expect(submissionDirs({})).toEqual([]);
});
