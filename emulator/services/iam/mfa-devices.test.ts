import { CreateUserCommand, CreateVirtualMFADeviceCommand, DeactivateMFADeviceCommand, DeleteVirtualMFADeviceCommand, EnableMFADeviceCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../core/totp.ts';
import { startEmulator, type RunningEmulator } from '../../server.ts';
import { failure, iamClient } from './iam-test-support.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.store.reset());

/** What an authenticator app shows, on the emulator's clock, `steps` 30-second steps from now. */
function codeAt(seed: Uint8Array, steps: number): string {
  return totp(base32Decode(Buffer.from(seed).toString('utf8')), emulator.store.clock.nowMs() + steps * 30_000);
}

describe('IAM virtual MFA devices', () => {
  it('hands out a base32 seed, enables with two consecutive codes, lists and deactivates', async () => {
    const iam = iamClient(emulator);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-phone' }));
    expect(VirtualMFADevice!.SerialNumber).toBe('arn:aws:iam::000000000000:mfa/alice-phone');
    // The SDK base64-decodes the blob: what remains is the base32 text an authenticator app takes.
    const seedText = Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('utf8');
    expect(seedText).toMatch(/^[A-Z2-7]{64}$/);
    const seed = VirtualMFADevice!.Base32StringSeed!;

    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: VirtualMFADevice!.SerialNumber, AuthenticationCode1: codeAt(seed, -1), AuthenticationCode2: codeAt(seed, 0) }));
    const { MFADevices } = await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }));
    expect(MFADevices).toEqual([expect.objectContaining({ UserName: 'alice', SerialNumber: VirtualMFADevice!.SerialNumber })]);
    const inUse = await failure(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: VirtualMFADevice!.SerialNumber })));
    expect(inUse.name).toBe('DeleteConflictException');

    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: VirtualMFADevice!.SerialNumber }));
    expect((await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices).toEqual([]);
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: VirtualMFADevice!.SerialNumber }));
  });

  it('refuses codes that are wrong, not consecutive, or not six digits', async () => {
    const iam = iamClient(emulator);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'phone' }));
    const seed = VirtualMFADevice!.Base32StringSeed!;
    const serial = VirtualMFADevice!.SerialNumber!;
    const wrong = String((Number(codeAt(seed, 0)) + 1) % 1_000_000).padStart(6, '0');
    const cases: [string, string][] = [
      [codeAt(seed, -1), wrong],
      [codeAt(seed, 0), codeAt(seed, -1)],
      [codeAt(seed, -3), codeAt(seed, -1)],
    ];
    for (const [first, second] of cases) {
      const error = await failure(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: first, AuthenticationCode2: second })));
      expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual(['InvalidAuthenticationCodeException', 'Authentication code for device is not valid.', 403]);
    }
    const format = await failure(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '12345', AuthenticationCode2: 'abcdef' })));
    expect(format.name).toBe('ValidationError');
    const unknown = await failure(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: 'arn:aws:iam::000000000000:mfa/nope', AuthenticationCode1: '123456', AuthenticationCode2: '654321' })));
    expect(unknown.name).toBe('NoSuchEntityException');
  });

  it('follows the emulator clock: codes from a moved clock are the valid ones', async () => {
    const iam = iamClient(emulator);
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'phone' }));
    const seed = VirtualMFADevice!.Base32StringSeed!;
    const realNow = [codeAt(seed, -1), codeAt(seed, 0)];
    // Ten minutes (20 steps) is past EnableMFADevice's window, yet within SigV4's 15-minute clock skew.
    emulator.store.clock.advance(600);
    const stale = await failure(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: VirtualMFADevice!.SerialNumber, AuthenticationCode1: realNow[0], AuthenticationCode2: realNow[1] })));
    expect(stale.name).toBe('InvalidAuthenticationCodeException');
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: VirtualMFADevice!.SerialNumber, AuthenticationCode1: codeAt(seed, -1), AuthenticationCode2: codeAt(seed, 0) }));
  });
});
