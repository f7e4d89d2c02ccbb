/**
 * What follows a passwordless first factor (a passkey, a code, a confirmed sign-up): no
 * NEW_PASSWORD_REQUIRED and no MFA [DG], the remembered device as after any first factor, then the
 * post-authentication steps and tokens.
 */
import type { Step } from "../sign-in.js";
import { challengeRememberedDevice, resolvePresentedDevice } from "./devices.js";
import { AFTER_DEVICE } from "./post-password.js";

export const AFTER_PASSWORDLESS: readonly Step[] = [
  resolvePresentedDevice,
  challengeRememberedDevice,
  ...AFTER_DEVICE,
];
