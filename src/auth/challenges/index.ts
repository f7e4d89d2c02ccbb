/**
 * The challenge registry: every ChallengeName, the module that answers it, and the steps that
 * follow a verified answer. ADMIN_NO_SRP_AUTH, never a challenge to answer, has a stand-in that refuses it.
 */
import { type CognitoError, Errors } from "../../domain/errors.js";
import type { ChallengeNameType } from "../../protocol/types.generated.js";
import type { Step } from "../sign-in.js";
import { AFTER_PASSWORDLESS } from "../steps/passwordless.js";
import {
  AFTER_CUSTOM_CHALLENGES,
  AFTER_DEVICE,
  AFTER_FIRST_FACTOR,
  AFTER_MFA,
  AFTER_NEW_PASSWORD,
} from "../steps/post-password.js";
import type { ChallengeModule } from "./challenge.js";
import { customChallenge } from "./custom-challenge.js";
import { devicePasswordVerifier, deviceSrpAuth } from "./device-srp.js";
import { emailOtp } from "./email-otp.js";
import { mfaSetup } from "./mfa-setup.js";
import { newPasswordRequired } from "./new-password-required.js";
import { passwordVerifier } from "./password-verifier.js";
import { smsOtp } from "./passwordless-code.js";
import { passwordAnswer, passwordSrpAnswer, selectChallengeAnswer } from "./select-challenge.js";
import { selectMfaType } from "./select-mfa-type.js";
import { smsMfa } from "./sms-mfa.js";
import { softwareTokenMfa } from "./software-token-mfa.js";
import { webAuthn } from "./web-authn.js";

export interface ChallengeEntry {
  module: ChallengeModule;
  /** What runs after a verified answer that did not itself end the request. */
  next: readonly Step[];
}

const ANSWERED: Partial<Record<ChallengeNameType, ChallengeEntry>> = {
  NEW_PASSWORD_REQUIRED: { module: newPasswordRequired, next: AFTER_NEW_PASSWORD },
  PASSWORD_VERIFIER: { module: passwordVerifier, next: AFTER_FIRST_FACTOR },
  // DEVICE_SRP_AUTH always answers with the next challenge.
  DEVICE_SRP_AUTH: { module: deviceSrpAuth, next: [] },
  DEVICE_PASSWORD_VERIFIER: { module: devicePasswordVerifier, next: AFTER_DEVICE },
  // MFA; SELECT_MFA_TYPE always answers with the challenge chosen.
  SMS_MFA: { module: smsMfa, next: AFTER_MFA },
  EMAIL_OTP: { module: emailOtp, next: AFTER_MFA },
  SOFTWARE_TOKEN_MFA: { module: softwareTokenMfa, next: AFTER_MFA },
  SELECT_MFA_TYPE: { module: selectMfaType, next: [] },
  MFA_SETUP: { module: mfaSetup, next: AFTER_MFA },
  CUSTOM_CHALLENGE: { module: customChallenge, next: AFTER_CUSTOM_CHALLENGES },
  // Choice-based sign-in: a proven password goes on as any password; the other choices answer
  // with their factor's challenge.
  SELECT_CHALLENGE: { module: selectChallengeAnswer, next: AFTER_FIRST_FACTOR },
  PASSWORD: { module: passwordAnswer, next: AFTER_FIRST_FACTOR },
  PASSWORD_SRP: { module: passwordSrpAnswer, next: [] },
  WEB_AUTHN: { module: webAuthn, next: AFTER_PASSWORDLESS },
  // SMS_OTP is only a first factor; its answer ends the sign-in (EMAIL_OTP serves MFA too).
  SMS_OTP: { module: smsOtp, next: [] },
};

/**
 * A challenge no one answers. Without a Session it is refused at once; a Session
 * presented with it is checked first, so an answer to another pending challenge gets the
 * mismatch error as on Cognito.
 */
function refused(name: ChallengeNameType, error: () => CognitoError): ChallengeEntry {
  const refuse = async (): Promise<never> => {
    throw error();
  };
  return {
    module: { name, requiresSession: false, requiredResponses: [], resume: refuse, answer: refuse },
    next: [],
  };
}

/** The entry for a ChallengeName (the validator has already refused names outside the model). */
export function challengeEntry(name: ChallengeNameType): ChallengeEntry {
  const entry = ANSWERED[name];
  if (entry) return entry;
  // Only ever part of custom-auth session history, never answered [UNDOC].
  return refused(name, () => Errors.challengeNotAnswerable(name));
}
