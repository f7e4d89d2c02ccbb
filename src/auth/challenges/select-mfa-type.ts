/**
 * SELECT_MFA_TYPE (CHALLENGES.md §3.6): the user picks one of MFAS_CAN_CHOOSE and gets its
 * challenge (a code is sent now for SMS and email). `EMAIL_MFA`, which some docs name, means
 * EMAIL_OTP [UNDOC].
 */
import { Errors } from "../../domain/errors.js";
import type { MfaFactor } from "../../domain/mfa.js";
import { consumeSession } from "../session.js";
import { factorChallenge, MFA_STATE } from "../steps/mfa.js";
import type { ChallengeModule } from "./challenge.js";

export const selectMfaType: ChallengeModule = {
  name: "SELECT_MFA_TYPE",
  requiresSession: true,
  requiredResponses: ["ANSWER"],
  async answer(signIn) {
    const { services, now, session } = signIn;
    if (!session) throw Errors.sessionInvalid();
    const answer = signIn.request.parameters.ANSWER;
    const choice = answer === "EMAIL_MFA" ? "EMAIL_OTP" : answer;
    const offered = (session.state[MFA_STATE.canChoose] ?? []) as MfaFactor[];
    const factor = offered.find((f) => f === choice);
    if (!factor) throw Errors.mfaTypeNotOffered(answer);
    await consumeSession(services.store, session, now);
    return factorChallenge(signIn, factor);
  },
};
