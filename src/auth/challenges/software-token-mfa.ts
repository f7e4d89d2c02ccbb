/**
 * SOFTWARE_TOKEN_MFA (CHALLENGES.md §3.4): a code of the user's authenticator. Wrong →
 * `Invalid code or auth state for the user.`, the Session stays usable and the failure counts
 * toward the lockout; a code whose time step was used before →
 * `Your software token has already been used once.`.
 */
import { Errors } from "../../domain/errors.js";
import { userMfaSettings } from "../../domain/mfa.js";
import { softwareTokenStep, spendSoftwareTokenStep } from "../../domain/software-token.js";
import { assertNotLocked, recordCorrectPassword, recordFailedPassword } from "../lockout.js";
import { consumeSession } from "../session.js";
import { resolvedUser } from "../sign-in.js";
import type { ChallengeModule } from "./challenge.js";

export const softwareTokenMfa: ChallengeModule = {
  name: "SOFTWARE_TOKEN_MFA",
  requiresSession: true,
  requiredResponses: ["SOFTWARE_TOKEN_MFA_CODE"],
  async answer(signIn) {
    const { services, pool, now, session } = signIn;
    const { store } = services;
    const user = resolvedUser(signIn);
    const token = userMfaSettings(user).token;
    if (!session) throw Errors.sessionInvalid();
    if (!token) throw Errors.softwareTokenMissing();
    const lockout = await assertNotLocked(store, pool, user, now);
    const code = signIn.request.parameters.SOFTWARE_TOKEN_MFA_CODE;
    const step = await softwareTokenStep(store, token.sealedSecret, code, now);
    if (step === undefined) {
      await recordFailedPassword(store, pool, user, now);
      throw Errors.mfaCodeMismatch();
    }
    await store.transaction(async (tx) => {
      if (!(await spendSoftwareTokenStep(tx, pool, user, step, now))) throw Errors.softwareTokenReused();
      await consumeSession(tx, session, now);
    });
    await recordCorrectPassword(store, pool, user, lockout);
    return undefined;
  },
};
