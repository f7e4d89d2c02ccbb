/**
 * Where custom authentication meets the built-in challenges (ADMIN_INITIATE_AUTH.md §5.4): a
 * CUSTOM_AUTH sign-in that started with SRP_A comes back to DefineAuthChallenge once the password
 * (and NEW_PASSWORD_REQUIRED, and MFA) are passed, with those challenges in its history.
 */
import { defineNext, recordPassedChallengeOf } from "../custom-auth.js";
import type { SignIn, Step } from "../sign-in.js";

/** The built-in challenge just answered joins the custom-auth history (once per request). */
export const recordPassedChallenge: Step = (signIn: SignIn) => {
  recordPassedChallengeOf(signIn);
  return undefined;
};

/** CUSTOM_AUTH only: DefineAuthChallenge says what follows; other flows go straight on. */
export const continueCustomAuth: Step = (signIn: SignIn) => {
  if (signIn.authFlow !== "CUSTOM_AUTH") return undefined;
  return defineNext(signIn);
};
