import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { base32Decode, base32Encode, totp, totpCounter } from '../../core/totp.ts';
import { ServiceError } from '../../core/service-error.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { deleteConflict, entityAlreadyExists, noSuchEntity, validationError } from './iam-errors.ts';
import { findUser, type IamHandler } from './iam-lookup.ts';
import { checkEntityName, entityName, entityPath, optionalParam, requiredParam } from './iam-params.ts';
import { iso } from './iam-shapes.ts';
import { entityKey, type IamAccountState, type IamUser, type VirtualMfaDevice } from './iam-state.ts';
import { members, paginate } from './pagination.ts';

/** EnableMFADevice looks this many 30-second steps back for the first of the two codes (clock drift, typing time). */
const ENABLE_WINDOW_STEPS = 10;

/**
 * One-time code check for GetSessionToken: the current step or the one either side
 * (AWS tolerates a little drift), and never a step already used.
 */
export function acceptCode(device: VirtualMfaDevice, code: string, epochMs: number): boolean {
  const secret = base32Decode(device.base32Seed);
  const now = totpCounter(epochMs);
  for (const step of [now - 1, now, now + 1]) {
    if (device.lastUsedStep !== undefined && step <= device.lastUsedStep) continue;
    if (totp(secret, step * 30_000) === code) {
      device.lastUsedStep = step;
      return true;
    }
  }
  return false;
}

function authenticationCode(ctx: RequestContext, name: string): string {
  const code = requiredParam(ctx, name);
  if (!/^\d{6}$/.test(code)) {
    const member = name[0]!.toLowerCase() + name.slice(1);
    throw validationError(`Value '${code}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]+`);
  }
  return code;
}

function serialNumber(ctx: RequestContext): string {
  const serial = requiredParam(ctx, 'SerialNumber');
  if (serial.length < 9 || serial.length > 256) {
    throw validationError(`Value '${serial}' at 'serialNumber' failed to satisfy constraint: Member must have length greater than or equal to 9`);
  }
  return serial;
}

function findDevice(state: IamAccountState, serial: string): VirtualMfaDevice {
  const device = state.mfaDevices.get(serial);
  if (!device) throw noSuchEntity(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
  return device;
}

function targetUser(ctx: RequestContext, state: IamAccountState): IamUser | undefined {
  const name = optionalParam(ctx, 'UserName');
  if (name !== undefined) {
    checkEntityName('UserName', name, 128);
    return findUser(state, name);
  }
  return ctx.caller.kind === 'user' && ctx.caller.name ? findUser(state, ctx.caller.name) : undefined;
}

export const MFA_HANDLERS: Record<string, IamHandler> = {
  CreateVirtualMFADevice: async (ctx, state) => {
    const name = entityName(ctx, 'VirtualMFADeviceName', 226);
    const serial = `arn:aws:iam::${state.accountId}:mfa${entityPath(ctx)}${name}`;
    if (state.mfaDevices.has(serial)) throw entityAlreadyExists('MFADevice entity at the same path and name already exists.');
    // 40 random bytes make the 64-character base32 seeds AWS hands out.
    const device: VirtualMfaDevice = { serialNumber: serial, base32Seed: base32Encode(randomBytes(40)), createDate: ctx.store.clock.now() };
    state.mfaDevices.set(serial, device);
    // The QR code an authenticator app scans: otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String,
    // AccountName being the calling user's name, else the account id (IAM API Reference, VirtualMFADevice).
    const accountName = ctx.caller.kind === 'user' && ctx.caller.name ? ctx.caller.name : state.accountId;
    const png = await QRCode.toBuffer(`otpauth://totp/${name}@${accountName}?secret=${device.base32Seed}`, { type: 'png' });
    // Base32StringSeed and QRCodePNG are blobs in the API model: base64-encoded on the wire.
    return {
      result: {
        VirtualMFADevice: {
          SerialNumber: serial,
          Base32StringSeed: Buffer.from(device.base32Seed).toString('base64'),
          QRCodePNG: png.toString('base64'),
        },
      },
    };
  },

  EnableMFADevice: (ctx, state) => {
    const user = findUser(state, entityName(ctx, 'UserName', 128));
    const device = findDevice(state, serialNumber(ctx));
    const code1 = authenticationCode(ctx, 'AuthenticationCode1');
    const code2 = authenticationCode(ctx, 'AuthenticationCode2');
    if (device.user !== undefined) throw entityAlreadyExists('MFA Device is already in use.');
    const secret = base32Decode(device.base32Seed);
    const now = totpCounter(ctx.store.clock.nowMs());
    let matchedStep: number | undefined;
    // Two consecutive codes: code1 at some recent step s, code2 at s + 1.
    for (let step = now - ENABLE_WINDOW_STEPS; step <= now; step += 1) {
      if (totp(secret, step * 30_000) === code1 && totp(secret, (step + 1) * 30_000) === code2) matchedStep = step + 1;
    }
    if (matchedStep === undefined) throw new ServiceError('InvalidAuthenticationCode', 'Authentication code for device is not valid.', 403);
    device.user = entityKey(user.name);
    device.enableDate = ctx.store.clock.now();
    device.lastUsedStep = matchedStep;
    user.mfaDevices.add(device.serialNumber);
    return {};
  },

  ListMFADevices: (ctx, state) => {
    const user = targetUser(ctx, state);
    const devices = user ? [...user.mfaDevices].map((serial) => state.mfaDevices.get(serial)!) : [];
    const page = paginate(ctx, devices);
    return {
      result: {
        MFADevices: members(page.items.map((d) => ({ UserName: user!.name, SerialNumber: d.serialNumber, EnableDate: iso(d.enableDate!) }))),
        ...page.fields,
      },
    };
  },

  ListVirtualMFADevices: (ctx, state) => {
    const status = optionalParam(ctx, 'AssignmentStatus') ?? 'Any';
    const devices = [...state.mfaDevices.values()].filter(
      (d) => status === 'Any' || (status === 'Assigned') === (d.user !== undefined),
    );
    const page = paginate(ctx, devices);
    return {
      result: {
        VirtualMFADevices: members(
          page.items.map((d) => {
            const user = d.user ? state.users.get(d.user) : undefined;
            return {
              SerialNumber: d.serialNumber,
              ...(user ? { User: { Path: user.path, UserName: user.name, UserId: user.id, Arn: user.arn, CreateDate: iso(user.createDate) } } : {}),
              ...(d.enableDate ? { EnableDate: iso(d.enableDate) } : {}),
            };
          }),
        ),
        ...page.fields,
      },
    };
  },

  DeactivateMFADevice: (ctx, state) => {
    const user = findUser(state, entityName(ctx, 'UserName', 128));
    const serial = serialNumber(ctx);
    const device = state.mfaDevices.get(serial);
    if (!device || device.user !== entityKey(user.name)) throw noSuchEntity(`MFA Device with serial number ${serial} does not exist.`);
    device.user = undefined;
    device.enableDate = undefined;
    user.mfaDevices.delete(serial);
    return {};
  },

  DeleteVirtualMFADevice: (ctx, state) => {
    const device = findDevice(state, serialNumber(ctx));
    if (device.user !== undefined) throw deleteConflict('MFA device is still in use.');
    state.mfaDevices.delete(device.serialNumber);
    return {};
  },
};
