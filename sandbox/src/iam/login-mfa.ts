import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { nowMs } from "../clock.js";
import { AwsError } from "../http.js";
import { type IamUser, markChanged, type SandboxState } from "../state.js";
import { getUser, type Operation, USER_RESOURCE } from "./common.js";
import { page, pagingParams, Validator } from "./validation.js";

/**
 * Console passwords (login profiles) and virtual MFA devices: what a key's IAM user should not
 * have (a Bedrock key that can also sign in to the AWS console is a pivot). Only what IAM itself
 * does is emulated: the password is validated for length and never kept; a virtual device is
 * created unassigned and enabled with two consecutive TOTP codes, as with a real authenticator.
 */

const VIRTUAL_MFA = "iam.virtualMfaDevices";

interface VirtualDevice {
  serialNumber: string;
  seed: string;
  userName?: string;
  enableDate?: number;
}

function devices(state: SandboxState): Record<string, VirtualDevice> {
  let d = state.extensions[VIRTUAL_MFA] as Record<string, VirtualDevice> | undefined;
  if (!d || typeof d !== "object") state.extensions[VIRTUAL_MFA] = d = {};
  return d;
}

function userParam(call: Parameters<Operation["run"]>[0], v: Validator): string {
  const name = v.required(call.params.get("UserName") ?? undefined, "userName");
  v.name(name || undefined, "userName", 128);
  return name;
}

/** The named user, which must have a console password (else IAM's NoSuchEntity). */
function userWithProfile(call: Parameters<Operation["run"]>[0]): IamUser & { loginProfile: NonNullable<IamUser["loginProfile"]> } {
  const v = new Validator();
  const name = userParam(call, v);
  v.done();
  const user = getUser(call.state, name);
  if (!user.loginProfile) throw new AwsError("NoSuchEntity", `Login Profile for User ${user.userName} cannot be found.`, 404);
  return user as IamUser & { loginProfile: NonNullable<IamUser["loginProfile"]> };
}

const profileXml = (u: IamUser, p: NonNullable<IamUser["loginProfile"]>) => ({ UserName: u.userName, CreateDate: new Date(p.createDate), PasswordResetRequired: p.passwordResetRequired });

/** Codes at 30-second steps: code 1 for a recent step, code 2 for the step after it. */
function consecutiveCodesValid(seed: string, code1: string, code2: string, now: number): boolean {
  const totp = new TOTP({ secret: Secret.fromBase32(seed), digits: 6, period: 30 });
  for (let back = -2; back <= 2; back++) {
    const t = now + back * 30_000;
    if (totp.generate({ timestamp: t }) === code1 && totp.generate({ timestamp: t + 30_000 }) === code2) return true;
  }
  return false;
}

export const loginMfaOperations: Record<string, Operation> = {
  CreateLoginProfile: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const name = userParam(call, v);
      const password = v.required(call.params.get("Password") ?? undefined, "password");
      v.length(password || undefined, "password", 1, 128);
      const reset = v.boolean(call.params.get("PasswordResetRequired") ?? undefined, "passwordResetRequired") ?? false;
      v.done();
      const user = getUser(call.state, name);
      if (user.loginProfile) throw new AwsError("EntityAlreadyExists", `Login Profile for user ${user.userName} already exists.`, 409);
      user.loginProfile = { createDate: Math.floor(nowMs(call.state) / 1000) * 1000, passwordResetRequired: reset };
      markChanged(call.state);
      return {
        result: { LoginProfile: profileXml(user, user.loginProfile) },
        resources: [[USER_RESOURCE, user.userName]],
      };
    },
  },

  GetLoginProfile: {
    readOnly: true,
    run(call) {
      const user = userWithProfile(call);
      return { result: { LoginProfile: profileXml(user, user.loginProfile) }, resources: [[USER_RESOURCE, user.userName]] };
    },
  },

  DeleteLoginProfile: {
    readOnly: false,
    run(call) {
      const user: IamUser = userWithProfile(call);
      delete user.loginProfile;
      markChanged(call.state);
      return { result: null, resources: [[USER_RESOURCE, user.userName]] };
    },
  },

  CreateVirtualMFADevice: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const deviceName = v.required(call.params.get("VirtualMFADeviceName") ?? undefined, "virtualMFADeviceName");
      v.length(deviceName || undefined, "virtualMFADeviceName", 1, 226);
      v.pattern(deviceName || undefined, "virtualMFADeviceName", /^[\w+=,.@-]+$/, "[\\w+=,.@-]+");
      const path = call.params.get("Path") ?? "/";
      v.path(path, "path");
      v.done();
      const serialNumber = `arn:aws:iam::${call.state.accountId}:mfa${path}${deviceName}`;
      const all = devices(call.state);
      if (all[serialNumber]) throw new AwsError("EntityAlreadyExists", "MFADevice entity at the same path and name already exists.", 409);
      const seed = new Secret({ buffer: randomBytes(20).buffer }).base32;
      all[serialNumber] = { serialNumber, seed };
      markChanged(call.state);
      // The seed is returned once, as IAM does (Base32StringSeed is base64 of the base32 text).
      return {
        result: { VirtualMFADevice: { SerialNumber: serialNumber, Base32StringSeed: Buffer.from(seed).toString("base64") } },
        responseElements: { virtualMFADevice: { serialNumber } },
      };
    },
  },

  EnableMFADevice: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const name = userParam(call, v);
      const serial = v.required(call.params.get("SerialNumber") ?? undefined, "serialNumber");
      v.length(serial || undefined, "serialNumber", 9, 256);
      const code1 = v.required(call.params.get("AuthenticationCode1") ?? undefined, "authenticationCode1");
      v.pattern(code1 || undefined, "authenticationCode1", /^\d{6}$/, "[\\d]+");
      const code2 = v.required(call.params.get("AuthenticationCode2") ?? undefined, "authenticationCode2");
      v.pattern(code2 || undefined, "authenticationCode2", /^\d{6}$/, "[\\d]+");
      v.done();
      const user = getUser(call.state, name);
      const device = devices(call.state)[serial];
      if (!device) throw new AwsError("NoSuchEntity", `VirtualMFADevice with serial number ${serial} doesn't exist.`, 404);
      if (device.userName) throw new AwsError("EntityAlreadyExists", "MFA Device is already in use.", 409);
      if (!consecutiveCodesValid(device.seed, code1, code2, nowMs(call.state))) {
        throw new AwsError("InvalidAuthenticationCode", "Authentication code for device is not valid.", 403);
      }
      device.userName = user.userName;
      device.enableDate = Math.floor(nowMs(call.state) / 1000) * 1000;
      user.mfaDevices = [...(user.mfaDevices ?? []), { serialNumber: serial, enableDate: device.enableDate }];
      markChanged(call.state);
      return { result: null, resources: [[USER_RESOURCE, user.userName]] };
    },
  },

  DeactivateMFADevice: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const name = userParam(call, v);
      const serial = v.required(call.params.get("SerialNumber") ?? undefined, "serialNumber");
      v.done();
      const user = getUser(call.state, name);
      if (!(user.mfaDevices ?? []).some((d) => d.serialNumber === serial)) {
        throw new AwsError("NoSuchEntity", `MFA Device with serial number ${serial} does not exist.`, 404);
      }
      user.mfaDevices = (user.mfaDevices ?? []).filter((d) => d.serialNumber !== serial);
      const device = devices(call.state)[serial];
      if (device) {
        delete device.userName;
        delete device.enableDate;
      }
      markChanged(call.state);
      return { result: null, resources: [[USER_RESOURCE, user.userName]] };
    },
  },

  DeleteVirtualMFADevice: {
    readOnly: false,
    run(call) {
      const v = new Validator();
      const serial = v.required(call.params.get("SerialNumber") ?? undefined, "serialNumber");
      v.done();
      const all = devices(call.state);
      const device = all[serial];
      if (!device) throw new AwsError("NoSuchEntity", `VirtualMFADevice with serial number ${serial} doesn't exist.`, 404);
      if (device.userName) throw new AwsError("DeleteConflict", "MFA VirtualDevice in use. Must deactivate first.", 409);
      delete all[serial];
      markChanged(call.state);
      return { result: null };
    },
  },

  ListMFADevices: {
    readOnly: true,
    run(call) {
      const v = new Validator();
      const name = userParam(call, v);
      const { marker, maxItems } = pagingParams(v, call.params);
      v.done();
      const user = getUser(call.state, name);
      const p = page(user.mfaDevices ?? [], (d) => `${String(d.enableDate).padStart(15, "0")}${d.serialNumber}`, marker, maxItems);
      return {
        result: {
          MFADevices: p.items.map((d) => ({ UserName: user.userName, SerialNumber: d.serialNumber, EnableDate: new Date(d.enableDate) })),
          IsTruncated: p.isTruncated,
          ...(p.marker ? { Marker: p.marker } : {}),
        },
        resources: [[USER_RESOURCE, user.userName]],
      };
    },
  },
};
