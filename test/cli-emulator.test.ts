import { once } from 'node:events';
import { createServer } from 'node:net';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { freePort, isPortTaken } from '../backends/free-port.ts';
import { runEmulatorScript, waitForOutput } from './standalone-emulator.ts';

describe('npm run emulator', { timeout: 60_000 }, () => {
  it('prints its endpoint, credentials and env lines, answers the SDK, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const run = runEmulatorScript(['--port', String(port)]);
    try {
      const [, endpoint] = await waitForOutput(run, /listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      expect(endpoint).toBe(`http://127.0.0.1:${port}`);
      await waitForOutput(run, /Press Ctrl-C to stop/);
      const output = run.output();
      expect(output).toContain('access key test, secret key test, region us-east-1');
      for (const line of [`export AWS_ENDPOINT_URL=${endpoint}`, 'export AWS_ACCESS_KEY_ID=test', 'export AWS_SECRET_ACCESS_KEY=test', 'export AWS_DEFAULT_REGION=us-east-1']) {
        expect(output).toContain(line);
      }

      const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
      sts.destroy();

      // Issue 9: the banner prints the metadata endpoint (and the container URI and token), and
      // out of the box the instance has a role: the printed URL answers the IMDSv2 token flow.
      expect(output).toContain('Instance metadata (IMDSv2, instance role notes-application-role)');
      const imds = /export AWS_EC2_METADATA_SERVICE_ENDPOINT=(\S+)\n/.exec(output)?.[1];
      expect(imds).toBe(`${endpoint}/`);
      expect(output).toContain(`export AWS_CONTAINER_CREDENTIALS_FULL_URI=${endpoint}/_container-credentials`);
      const containerToken = /export AWS_CONTAINER_AUTHORIZATION_TOKEN=(\S+)\n/.exec(output)?.[1];
      const token = await (await fetch(`${imds}latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })).text();
      const role = await fetch(`${imds}latest/meta-data/iam/security-credentials/`, { headers: { 'x-aws-ec2-metadata-token': token } });
      expect([role.status, await role.text()]).toEqual([200, 'notes-application-role']);
      const task = await fetch(`${endpoint}/_container-credentials`, { headers: { authorization: containerToken! } });
      expect(task.status).toBe(200);
      expect(((await task.json()) as { RoleArn: string }).RoleArn).toBe('arn:aws:iam::000000000000:role/notes-application-role');

      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      expect(run.output()).toContain(`SIGTERM: emulator stopped, port ${port} freed.`);
      expect(await isPortTaken(port)).toBe(false);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('locks the control API with --control-token, and says so in its banner', async () => {
    const run = runEmulatorScript(['--port', '0', '--control-token', 'hand-secret']);
    try {
      const [, endpoint] = await waitForOutput(run, /listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      await waitForOutput(run, /Press Ctrl-C to stop/);
      expect(run.output()).toContain('Control API /_emulator/... locked');
      expect(run.output()).not.toContain('hand-secret');
      expect((await fetch(`${endpoint}/_emulator/state`)).status).toBe(403);
      expect((await fetch(`${endpoint}/_emulator/state`, { headers: { 'x-emulator-control-token': 'hand-secret' } })).status).toBe(200);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('leaves the control API open by default, and says how to lock it', async () => {
    const run = runEmulatorScript(['--port', '0']);
    try {
      const [, endpoint] = await waitForOutput(run, /listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      await waitForOutput(run, /Press Ctrl-C to stop/);
      expect(run.output()).toContain('open to this machine; --control-token TOKEN locks it');
      expect((await fetch(`${endpoint}/_emulator/state`)).status).toBe(200);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('stops on Ctrl-C (SIGINT) with exit code 0', async () => {
    const run = runEmulatorScript(['--port', '0']);
    try {
      const [, port] = await waitForOutput(run, /listening on http:\/\/127\.0\.0\.1:(\d+)\n/);
      run.child.kill('SIGINT');
      expect(await run.exit).toBe(0);
      expect(await isPortTaken(Number(port))).toBe(false);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('says the port is taken, and exits 1', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      const run = runEmulatorScript(['--port', String(port)]);
      expect(await run.exit).toBe(1);
      expect(run.output()).toContain(`emulator: port ${port} on 127.0.0.1 is already in use`);
      expect(run.output()).toContain('--port N');
    } finally {
      holder.close();
    }
  });

  it('explains itself with --help', async () => {
    const run = runEmulatorScript(['--help']);
    expect(await run.exit).toBe(0);
    expect(run.output()).toMatch(/^Usage: npm run emulator/);
    expect(run.output()).toContain('--host ADDR');
    expect(run.output()).toContain('--control-token TOKEN');
    expect(run.output()).toContain('EMULATOR_CONTROL_TOKEN');
  });

  it('refuses a port that is not a number', async () => {
    const run = runEmulatorScript(['--port', 'http']);
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain('--port takes a port number (0-65535), got http');
  });
});
