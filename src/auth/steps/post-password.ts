/**
 * Step 14 onwards: what follows a proven first factor, in Cognito's order. Each challenge module
 * continues from the list after its own place, so later issues add their steps here once:
 *   NEW_PASSWORD_REQUIRED → MFA (setup / select / verify) → device SRP → PostAuthentication →
 *   PreTokenGeneration → tokens.
 */
import { challengeNewPassword } from "../challenges/new-password-required.js";
import type { Step } from "../sign-in.js";
import { challengeRememberedDevice, resolvePresentedDevice } from "./devices.js";
import { issueSignInTokens } from "./tokens.js";

/** After the remembered device proved itself (DEVICE_PASSWORD_VERIFIER), or was not asked to. */
export const AFTER_DEVICE: readonly Step[] = [
  // PostAuthentication and PreTokenGeneration triggers: a later issue.
  issueSignInTokens,
];

/** After NEW_PASSWORD_REQUIRED was answered (or was not due). */
export const AFTER_NEW_PASSWORD: readonly Step[] = [
  resolvePresentedDevice,
  // MFA decision and challenges: a later issue; skipped when rememberedDeviceReplacesMfa (devices.ts).
  challengeRememberedDevice,
  ...AFTER_DEVICE,
];

/** After the password (or SRP proof) was verified. */
export const AFTER_FIRST_FACTOR: readonly Step[] = [
  // Threat-protection risk evaluation: a later issue.
  // The presented device first, so that an unknown one is refused before any challenge.
  resolvePresentedDevice,
  challengeNewPassword,
  ...AFTER_NEW_PASSWORD,
];
