/**
 * Remembered devices: ConfirmDevice, and reading, listing, remembering and forgetting a user's
 * devices with the user's access token or, for the Admin* operations, by pool and username.
 */
import { requireAccessToken } from "../auth/access-token.js";
import {
  confirmDevice,
  describeDevice,
  forgetDevice,
  listDevices,
  requireDevice,
  setRememberedStatus,
} from "../domain/devices.js";
import { Errors } from "../domain/errors.js";
import { requirePool } from "../domain/lookup.js";
import { requireUser } from "../domain/users.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { HandlerTable, RequestContext } from "./types.js";

/** The access token's pool and user; GetDevice and ForgetDevice model it as optional. */
async function tokenUser(ctx: RequestContext, accessToken: string | undefined) {
  if (!accessToken) throw Errors.missingParameter("AccessToken");
  return requireAccessToken(ctx.services, accessToken, ctx.now);
}

async function adminUser(
  ctx: RequestContext,
  input: { UserPoolId: string; Username: string },
): Promise<{ pool: PoolRecord; user: UserRecord }> {
  const pool = await requirePool(ctx.services.store, input.UserPoolId);
  const user = await requireUser(ctx.services.store, pool, input.Username);
  return { pool, user };
}

function userDevice(ctx: RequestContext, target: { pool: PoolRecord; user: UserRecord }, deviceKey: string) {
  return requireDevice(ctx.services.store, target.pool, target.user, deviceKey);
}

export const deviceHandlers = {
  async ConfirmDevice(input, ctx) {
    const { pool, user } = await tokenUser(ctx, input.AccessToken);
    const UserConfirmationNecessary = await confirmDevice(ctx.services.store, pool, user, {
      deviceKey: input.DeviceKey,
      name: input.DeviceName,
      verifierConfig: input.DeviceSecretVerifierConfig,
      now: ctx.now,
    });
    return { UserConfirmationNecessary };
  },

  async GetDevice(input, ctx) {
    const target = await tokenUser(ctx, input.AccessToken);
    const device = await userDevice(ctx, target, input.DeviceKey);
    return { Device: describeDevice(target.pool, target.user, device) };
  },

  async AdminGetDevice(input, ctx) {
    const target = await adminUser(ctx, input);
    const device = await userDevice(ctx, target, input.DeviceKey);
    return { Device: describeDevice(target.pool, target.user, device) };
  },

  async ListDevices(input, ctx) {
    const { pool, user } = await tokenUser(ctx, input.AccessToken);
    return listDevices(ctx.services.store, pool, user, {
      limit: input.Limit,
      paginationToken: input.PaginationToken,
    });
  },

  async AdminListDevices(input, ctx) {
    const { pool, user } = await adminUser(ctx, input);
    return listDevices(ctx.services.store, pool, user, {
      limit: input.Limit,
      paginationToken: input.PaginationToken,
    });
  },

  async UpdateDeviceStatus(input, ctx) {
    const target = await tokenUser(ctx, input.AccessToken);
    const device = await userDevice(ctx, target, input.DeviceKey);
    await setRememberedStatus(ctx.services.store, device, input.DeviceRememberedStatus, ctx.now);
    return {};
  },

  async AdminUpdateDeviceStatus(input, ctx) {
    const target = await adminUser(ctx, input);
    const device = await userDevice(ctx, target, input.DeviceKey);
    await setRememberedStatus(ctx.services.store, device, input.DeviceRememberedStatus, ctx.now);
    return {};
  },

  async ForgetDevice(input, ctx) {
    const target = await tokenUser(ctx, input.AccessToken);
    await forgetDevice(ctx.services.store, await userDevice(ctx, target, input.DeviceKey));
    return {};
  },

  async AdminForgetDevice(input, ctx) {
    const target = await adminUser(ctx, input);
    await forgetDevice(ctx.services.store, await userDevice(ctx, target, input.DeviceKey));
    return {};
  },
} satisfies HandlerTable;
