/**
 * EMAIL_OTP (CHALLENGES.md §3.3, §3.5): the 8-digit code emailed when the challenge was issued —
 * as MFA, or to prove the address an MFA_SETUP answer gave, which then becomes the user's verified
 * email with email MFA turned on. `EMAIL_MFA_CODE`, which some docs name, is taken too [UNDOC].
 */
import { applyAttributeUpdates } from "../../domain/attributes.js";
import { Errors } from "../../domain/errors.js";
import { withMfaPreference } from "../../domain/mfa.js";
import { saveUser } from "../../domain/users.js";
import type { Store } from "../../store/store.js";
import { verifySignInCode } from "../otp.js";
import { resolvedUser, type SignIn } from "../sign-in.js";
import { MFA_STATE } from "../steps/mfa.js";
import type { ChallengeModule } from "./challenge.js";
import { answerFirstFactorCode, isFirstFactorCode } from "./passwordless-code.js";

/** The address set up through MFA_SETUP: verified by the code, and the user's email MFA from now on. */
function setUpEmailMfa(signIn: SignIn, address: string) {
  return async (tx: Store): Promise<void> => {
    const { pool, now } = signIn;
    const current = await tx.users.getForUpdate(pool.id, resolvedUser(signIn).usernameKey);
    if (!current) throw Errors.userNotFound();
    const attributes = [
      { Name: "email", Value: address },
      { Name: "email_verified", Value: "true" },
    ];
    const withEmail = applyAttributeUpdates(pool, current, attributes, { writer: "admin", now }).user;
    const updated = withMfaPreference(
      pool,
      withEmail,
      { EmailMfaSettings: { Enabled: true, PreferredMfa: true } },
      now,
    );
    await saveUser(tx, pool, updated);
    signIn.user = updated;
  };
}

export const emailOtp: ChallengeModule = {
  name: "EMAIL_OTP",
  requiresSession: true,
  requiredResponses: [],
  async answer(signIn) {
    const { EMAIL_OTP_CODE, EMAIL_MFA_CODE } = signIn.request.parameters;
    const code = EMAIL_OTP_CODE || EMAIL_MFA_CODE;
    if (!code) throw Errors.missingParameter("EMAIL_OTP_CODE");
    // Choice-based sign-in's email code is a first factor (passwordless-code.ts).
    if (isFirstFactorCode(signIn)) return answerFirstFactorCode(signIn, code);
    const address = signIn.session?.state[MFA_STATE.setupEmail];
    await verifySignInCode(
      signIn,
      code,
      typeof address === "string" ? setUpEmailMfa(signIn, address) : undefined,
    );
    return undefined;
  },
};
