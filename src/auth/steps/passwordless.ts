/**
 * What follows a passwordless first factor (a passkey, a code, a confirmed sign-up): the remembered
 * device as after any first factor, threat protection as after a password, no NEW_PASSWORD_REQUIRED
 * and no MFA [DG], then the post-authentication steps and tokens.
 */
import type { Step } from "../sign-in.js";
import { challengeRememberedDevice, resolvePresentedDevice } from "./devices.js";
import { AFTER_DEVICE } from "./post-password.js";
import { evaluateThreat } from "./threat-protection.js";

export const AFTER_PASSWORDLESS: readonly Step[] = [
  resolvePresentedDevice,
  // The risk of the sign-in, acted on in ENFORCED mode: blocked, or told by email. Risk-based MFA
  // is not asked: the factor was itself something the user has (docs/decisions/administration.md).
  evaluateThreat,
  challengeRememberedDevice,
  ...AFTER_DEVICE,
];
