/**
 * Step 14 onwards: what follows a proven first factor, in Cognito's order. Each challenge module
 * continues from the list after its own place, so later issues add their steps here once:
 *   NEW_PASSWORD_REQUIRED → MFA (setup / select / verify) → device SRP → PostAuthentication →
 *   PreTokenGeneration → tokens.
 */
import { challengeNewPassword } from "../challenges/new-password-required.js";
import type { Step } from "../sign-in.js";
import { continueCustomAuth, recordPassedChallenge } from "./custom-auth.js";
import { challengeRememberedDevice, resolvePresentedDevice } from "./devices.js";
import { challengeMfa } from "./mfa.js";
import { enforceRiskMfa, evaluateThreat } from "./threat-protection.js";
import { issueSignInTokens } from "./tokens.js";
import { postAuthentication, preTokenGeneration } from "./triggers.js";

/** After the remembered device proved itself (DEVICE_PASSWORD_VERIFIER), or was not asked to. */
export const AFTER_DEVICE: readonly Step[] = [postAuthentication, preTokenGeneration, issueSignInTokens];

/** After custom authentication's DefineAuthChallenge said to issue tokens. */
export const AFTER_CUSTOM_CHALLENGES: readonly Step[] = [
  resolvePresentedDevice,
  challengeRememberedDevice,
  ...AFTER_DEVICE,
];

/**
 * After the MFA challenge was answered (MFA_SETUP included). A remembered device presented now
 * is not challenged as well: MFA has been passed.
 */
export const AFTER_MFA: readonly Step[] = [
  recordPassedChallenge,
  resolvePresentedDevice,
  continueCustomAuth,
  ...AFTER_DEVICE,
];

/** After NEW_PASSWORD_REQUIRED was answered (or was not due). */
export const AFTER_NEW_PASSWORD: readonly Step[] = [
  recordPassedChallenge,
  resolvePresentedDevice,
  // MFA, unless a remembered device stands in for it (devices.ts).
  challengeMfa,
  // Threat protection asked for MFA that was not met (threat-protection.ts).
  enforceRiskMfa,
  // CUSTOM_AUTH with SRP: DefineAuthChallenge decides what follows the password (and MFA).
  continueCustomAuth,
  challengeRememberedDevice,
  ...AFTER_DEVICE,
];

/** After the password (or SRP proof) was verified. */
export const AFTER_FIRST_FACTOR: readonly Step[] = [
  recordPassedChallenge,
  // The presented device first, so that an unknown one is refused before any challenge.
  resolvePresentedDevice,
  // Threat protection: the risk of the sign-in, acted on in ENFORCED mode (§4 step 13).
  evaluateThreat,
  challengeNewPassword,
  ...AFTER_NEW_PASSWORD,
];
