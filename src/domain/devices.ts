/**
 * Remembered devices (ADMIN_INITIATE_AUTH.md §9, CHALLENGES.md §5): what the pool's
 * DeviceConfiguration turns on, the device a sign-in creates, ConfirmDevice's SRP verifier, the
 * remembered status, and how devices are shown and listed.
 *
 * A device is created unconfirmed by the sign-in that returns its NewDeviceMetadata, and exists
 * for its user only once ConfirmDevice gave it a verifier: an unconfirmed, forgotten or foreign
 * device key is `Device does not exist.` everywhere else [UNDOC].
 */
import { newUuid } from "../crypto/random.js";
import { fromHex, N, padHex } from "../crypto/srp.js";
import type {
  AttributeType,
  DeviceRememberedStatusType,
  DeviceSecretVerifierConfigType,
  DeviceType,
} from "../protocol/types.generated.js";
import type { DeviceRecord } from "../store/devices.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { RefreshTokenRecord } from "../store/refresh-tokens.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";
import { decodeNextToken, page } from "./pagination.js";
import { ACCOUNT_ID, poolRegion } from "./pools.js";
import { deriveBytes } from "./server-keys.js";

export type { DeviceRecord };

/** Devices of a user listed per page: the model's maximum, and the default [UNDOC]. */
export const MAX_DEVICES_PAGE = 60;
/** DeviceGroupKey length, as the API's example (`-v7w9UcY6`). */
const GROUP_KEY_LENGTH = 9;

// ---------------------------------------------------------------------------------------------
// The pool's DeviceConfiguration

export interface DeviceTracking {
  /** Confirmed devices are remembered at once ("Always"), or when the user says so ("User opt-in"). */
  remember: "always" | "on-user-prompt";
  /** A remembered device proves itself with device SRP, and may stand in for MFA. */
  challengeRemembered: boolean;
}

/** Device tracking of the pool; undefined when off. Any DeviceConfiguration member turns it on [API]. */
export function deviceTracking(pool: PoolRecord): DeviceTracking | undefined {
  const config = pool.config.DeviceConfiguration;
  if (
    config?.ChallengeRequiredOnNewDevice === undefined &&
    config?.DeviceOnlyRememberedOnUserPrompt === undefined
  ) {
    return undefined;
  }
  return {
    remember: config.DeviceOnlyRememberedOnUserPrompt === true ? "on-user-prompt" : "always",
    challengeRemembered: config.ChallengeRequiredOnNewDevice === true,
  };
}

// ---------------------------------------------------------------------------------------------
// Finding a user's device

function ownedBy(device: DeviceRecord, user: UserRecord): boolean {
  return device.usernameKey === user.usernameKey && device.sub === user.sub;
}

/** The user's confirmed device with that key, or `Device does not exist.`. */
export async function requireDevice(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  deviceKey: string,
): Promise<DeviceRecord> {
  const device = await store.devices.get(pool.id, deviceKey);
  if (!device || !ownedBy(device, user) || !device.confirmedAt) throw Errors.deviceNotFound();
  return device;
}

/**
 * A refresh token issued with a device works only while that device is confirmed and not forgotten
 * (ADMIN_INITIATE_AUTH.md §5.3): `Invalid Refresh Token.` otherwise.
 */
export async function assertRefreshDevice(store: Store, record: RefreshTokenRecord): Promise<void> {
  if (!record.deviceKey) return;
  const device = await store.devices.get(record.poolId, record.deviceKey);
  if (!device || device.sub !== record.sub || !device.confirmedAt) throw Errors.invalidRefreshToken();
}

/** Whether the device can prove itself with device SRP: confirmed, remembered, with a verifier. */
export function isRemembered(device: DeviceRecord): boolean {
  return device.confirmedAt !== null && device.remembered && device.verifier !== null && device.salt !== null;
}

// ---------------------------------------------------------------------------------------------
// A new device, from a sign-in

/** The user's DeviceGroupKey: derived, so every device of a user shares it without a lookup. */
async function groupKeyFor(store: Store, pool: PoolRecord, user: UserRecord): Promise<string> {
  const bytes = await deriveBytes(store, "device-group-key", pool.id, user.sub);
  return bytes.toString("base64url").slice(0, GROUP_KEY_LENGTH);
}

/** A device for a sign-in that presented none: unconfirmed until ConfirmDevice. */
export async function createDevice(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  context: { now: Date; ip: string | null },
): Promise<DeviceRecord> {
  const device: DeviceRecord = {
    poolId: pool.id,
    deviceKey: `${poolRegion(pool.id)}_${newUuid()}`,
    usernameKey: user.usernameKey,
    sub: user.sub,
    groupKey: await groupKeyFor(store, pool, user),
    name: null,
    salt: null,
    verifier: null,
    confirmedAt: null,
    remembered: false,
    lastIp: context.ip,
    createdAt: context.now,
    updatedAt: context.now,
    lastAuthenticatedAt: context.now,
  };
  await store.devices.insert(device);
  return device;
}

// ---------------------------------------------------------------------------------------------
// ConfirmDevice

/** The verifier and salt as integers' hex (CHALLENGES.md §5.3): both base64 of big-endian bytes. */
function deviceVerifier(config: DeviceSecretVerifierConfigType | undefined): {
  salt: string;
  verifier: string;
} {
  const toNumber = (value: string | undefined) => {
    if (!value || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return 0n;
    const hex = Buffer.from(value, "base64").toString("hex");
    return hex === "" ? 0n : fromHex(hex);
  };
  const verifier = toNumber(config?.PasswordVerifier);
  const salt = toNumber(config?.Salt);
  if (verifier % N === 0n || verifier >= N || salt === 0n) throw Errors.deviceVerifierInvalid();
  return { salt: padHex(salt), verifier: padHex(verifier) };
}

/**
 * ConfirmDevice: the device's SRP verifier, its name; remembered at once, or (user opt-in) once
 * the user says so. Returns UserConfirmationNecessary.
 */
export async function confirmDevice(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  input: { deviceKey: string; name?: string; verifierConfig?: DeviceSecretVerifierConfigType; now: Date },
): Promise<boolean> {
  const tracking = deviceTracking(pool);
  const device = await store.devices.get(pool.id, input.deviceKey);
  if (!tracking || !device || !ownedBy(device, user)) throw Errors.deviceNotFound();
  if (device.confirmedAt) throw Errors.deviceAlreadyConfirmed();
  const confirmed: DeviceRecord = {
    ...device,
    ...deviceVerifier(input.verifierConfig),
    name: input.name ?? device.name,
    confirmedAt: input.now,
    remembered: tracking.remember === "always",
    updatedAt: input.now,
  };
  if (!(await store.devices.confirm(confirmed))) throw Errors.deviceAlreadyConfirmed();
  return tracking.remember === "on-user-prompt";
}

// ---------------------------------------------------------------------------------------------
// Status, display, listing, forgetting

export async function setRememberedStatus(
  store: Store,
  device: DeviceRecord,
  status: DeviceRememberedStatusType | undefined,
  now: Date,
): Promise<void> {
  if (status === undefined) throw Errors.missingParameter("DeviceRememberedStatus");
  await store.devices.update({ ...device, remembered: status === "remembered", updatedAt: now });
}

/** The attributes Cognito shows for a device, in its order (API AdminListDevices example). */
function deviceAttributes(pool: PoolRecord, user: UserRecord, device: DeviceRecord): AttributeType[] {
  const owner = `${user.username}.${pool.id}`;
  const arn = `arn:aws:cognito-idp:${poolRegion(pool.id)}:${ACCOUNT_ID}:owner/${owner}/device/${device.deviceKey}`;
  const attributes: AttributeType[] = [{ Name: "device_status", Value: "valid" }];
  if (device.name !== null) attributes.push({ Name: "device_name", Value: device.name });
  attributes.push({ Name: "dev:device_arn", Value: arn }, { Name: "dev:device_owner", Value: owner });
  if (device.lastIp !== null) attributes.push({ Name: "last_ip_used", Value: device.lastIp });
  attributes.push({
    Name: "dev:device_remembered_status",
    Value: device.remembered ? "remembered" : "not_remembered",
  });
  return attributes;
}

export function describeDevice(pool: PoolRecord, user: UserRecord, device: DeviceRecord): DeviceType {
  return {
    DeviceKey: device.deviceKey,
    DeviceAttributes: deviceAttributes(pool, user, device),
    DeviceCreateDate: device.createdAt,
    DeviceLastModifiedDate: device.updatedAt,
    DeviceLastAuthenticatedDate: device.lastAuthenticatedAt ?? device.createdAt,
  };
}

/** One page of the user's devices, in device-key order. */
export async function listDevices(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  request: { limit?: number; paginationToken?: string },
): Promise<{ Devices: DeviceType[]; PaginationToken?: string }> {
  const limit = request.limit || MAX_DEVICES_PAGE;
  const after = decodeNextToken(request.paginationToken);
  const devices = await store.devices.listConfirmed(pool.id, user, limit + 1, after);
  const { items, nextToken } = page(devices, limit, (device) => device.deviceKey);
  return {
    Devices: items.map((device) => describeDevice(pool, user, device)),
    PaginationToken: nextToken,
  };
}

export async function forgetDevice(store: Store, device: DeviceRecord): Promise<void> {
  await store.devices.delete(device.poolId, device.deviceKey);
}
