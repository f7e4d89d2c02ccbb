/**
 * The challenge registry: every ChallengeName, the module that answers it, and the steps that
 * follow a verified answer. Challenges of later issues have a stand-in that refuses them clearly.
 */
import { type CognitoError, Errors } from "../../domain/errors.js";
import type { ChallengeNameType } from "../../protocol/types.generated.js";
import type { Step } from "../sign-in.js";
import { AFTER_DEVICE, AFTER_FIRST_FACTOR, AFTER_NEW_PASSWORD } from "../steps/post-password.js";
import type { ChallengeModule } from "./challenge.js";
import { devicePasswordVerifier, deviceSrpAuth } from "./device-srp.js";
import { newPasswordRequired } from "./new-password-required.js";
import { passwordVerifier } from "./password-verifier.js";

export interface ChallengeEntry {
  module: ChallengeModule;
  /** What runs after a verified answer that did not itself end the request. */
  next: readonly Step[];
}

const IMPLEMENTED: Partial<Record<ChallengeNameType, ChallengeEntry>> = {
  NEW_PASSWORD_REQUIRED: { module: newPasswordRequired, next: AFTER_NEW_PASSWORD },
  PASSWORD_VERIFIER: { module: passwordVerifier, next: AFTER_FIRST_FACTOR },
  // DEVICE_SRP_AUTH always answers with the next challenge.
  DEVICE_SRP_AUTH: { module: deviceSrpAuth, next: [] },
  DEVICE_PASSWORD_VERIFIER: { module: devicePasswordVerifier, next: AFTER_DEVICE },
};

/**
 * A challenge this server does not answer. Without a Session it is refused at once; a Session
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
  const entry = IMPLEMENTED[name];
  if (entry) return entry;
  // Only ever part of custom-auth session history, never answered [UNDOC].
  if (name === "ADMIN_NO_SRP_AUTH") return refused(name, () => Errors.challengeNotAnswerable(name));
  return refused(name, () => Errors.challengeNotSupportedYet(name));
}
