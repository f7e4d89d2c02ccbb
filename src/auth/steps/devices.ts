/**
 * Remembered devices in the sign-in (ADMIN_INITIATE_AUTH.md §9, CHALLENGES.md §5), when the pool
 * tracks devices (a pool without DeviceConfiguration ignores DEVICE_KEY):
 * - the DEVICE_KEY a sign-in presents must be one of the user's confirmed devices, else
 *   `ResourceNotFoundException` `Device does not exist.` (clients then drop it and sign in again);
 * - a remembered device proves itself with device SRP (DEVICE_SRP_AUTH) where the pool asks for it
 *   (ChallengeRequiredOnNewDevice), in place of MFA;
 * - the tokens carry the device's key; a sign-in without one creates a device and returns its
 *   NewDeviceMetadata.
 */
import {
  createDevice,
  type DeviceRecord,
  deviceTracking,
  isRemembered,
  requireDevice,
} from "../../domain/devices.js";
import type { NewDeviceMetadataType } from "../../protocol/types.generated.js";
import { openSession } from "../session.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";

/** The device key of this sign-in: the request's DEVICE_KEY, or the one its Session carried on. */
function presentedDeviceKey(signIn: SignIn): string | undefined {
  const fromSession = signIn.session?.state.deviceKey;
  return signIn.request.parameters.DEVICE_KEY || (typeof fromSession === "string" ? fromSession : undefined);
}

/**
 * Finds the device the sign-in presents (once): `deviceKey` if given, else the request's or the
 * Session's. An unknown, forgotten or unconfirmed key is `Device does not exist.`.
 */
export async function resolveDevice(signIn: SignIn, deviceKey = presentedDeviceKey(signIn)): Promise<void> {
  if (signIn.device || !deviceKey || !deviceTracking(signIn.pool)) return;
  signIn.device = await requireDevice(signIn.services.store, signIn.pool, resolvedUser(signIn), deviceKey);
}

export const resolvePresentedDevice: Step = async (signIn: SignIn) => {
  await resolveDevice(signIn);
  return undefined;
};

/**
 * The rule that a remembered device stands in for MFA, in one place: the pool tracks devices and
 * asks remembered ones to prove themselves (ChallengeRequiredOnNewDevice), and the sign-in
 * presents a remembered device. The MFA step (a later issue) skips MFA when this holds, and the
 * device challenge below then runs instead. With MFA off the device is challenged all the same
 * [UNDOC choice, docs/decisions/srp-and-devices.md].
 */
export function rememberedDeviceReplacesMfa(signIn: SignIn): boolean {
  const tracking = deviceTracking(signIn.pool);
  return tracking?.challengeRemembered === true && signIn.device !== undefined && isRemembered(signIn.device);
}

/** DEVICE_SRP_AUTH for a remembered device: the client answers with SRP_A for its device secret. */
export const challengeRememberedDevice: Step = async (signIn: SignIn) => {
  if (!rememberedDeviceReplacesMfa(signIn)) return undefined;
  const device = signIn.device as DeviceRecord;
  return {
    kind: "challenge",
    challengeName: "DEVICE_SRP_AUTH",
    // [UNDOC exact parameters]: USERNAME, as the other challenges carry it.
    challengeParameters: { USERNAME: resolvedUser(signIn).username },
    session: await openSession(signIn, "DEVICE_SRP_AUTH", { deviceKey: device.deviceKey }),
  };
};

/** Where the sign-in came from, when the caller said (ContextData / UserContextData). */
function callerIp(signIn: SignIn): string | null {
  const { contextData, userContextData } = signIn.request;
  return contextData?.IpAddress ?? userContextData?.IpAddress ?? null;
}

/**
 * Whether the sign-in's tokens come with a new device (NewDeviceMetadata): the pool tracks
 * devices, the sign-in presents none, and it is not on the managed-login pages, which never
 * remember devices [DG]. PostAuthentication's `newDeviceUsed` says the same.
 */
export async function issuesNewDevice(signIn: SignIn): Promise<boolean> {
  if (!deviceTracking(signIn.pool) || signIn.request.hosted) return false;
  await resolveDevice(signIn);
  return signIn.device === undefined;
}

/**
 * The device the tokens are issued for: the presented device (its use recorded), else a new one
 * whose NewDeviceMetadata goes back with the tokens. Nothing when the pool does not track devices,
 * nor for a sign-in on the managed-login pages.
 */
export async function deviceForTokens(
  signIn: SignIn,
): Promise<{ deviceKey?: string; newDeviceMetadata?: NewDeviceMetadataType }> {
  const isNew = await issuesNewDevice(signIn);
  const { services, pool, now } = signIn;
  if (!isNew) {
    if (!signIn.device) return {};
    await services.store.devices.touch(pool.id, signIn.device.deviceKey, now, callerIp(signIn));
    return { deviceKey: signIn.device.deviceKey };
  }
  const device = await createDevice(services.store, pool, resolvedUser(signIn), {
    now,
    ip: callerIp(signIn),
  });
  return {
    deviceKey: device.deviceKey,
    newDeviceMetadata: { DeviceKey: device.deviceKey, DeviceGroupKey: device.groupKey },
  };
}
