/**
 * Step 14 onwards: what follows a proven first factor, in Cognito's order. Each challenge module
 * continues from the list after its own place, so later issues add their steps here once:
 *   NEW_PASSWORD_REQUIRED → MFA (setup / select / verify) → device SRP → PostAuthentication →
 *   PreTokenGeneration → tokens.
 */
import { challengeNewPassword } from "../challenges/new-password-required.js";
import type { Step } from "../sign-in.js";
import { issueSignInTokens } from "./tokens.js";

/** After NEW_PASSWORD_REQUIRED was answered (or was not due). */
export const AFTER_NEW_PASSWORD: readonly Step[] = [
  // MFA decision and challenges: a later issue.
  // Remembered-device SRP (DEVICE_SRP_AUTH): a later issue.
  // PostAuthentication and PreTokenGeneration triggers: a later issue.
  issueSignInTokens,
];

/** After the password (or SRP proof) was verified. */
export const AFTER_FIRST_FACTOR: readonly Step[] = [
  // Threat-protection risk evaluation: a later issue.
  challengeNewPassword,
  ...AFTER_NEW_PASSWORD,
];
