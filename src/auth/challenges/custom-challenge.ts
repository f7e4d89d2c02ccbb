/**
 * CUSTOM_CHALLENGE (CHALLENGES.md §3.9): VerifyAuthChallengeResponse judges the ANSWER against what
 * CreateAuthChallenge kept private; the result joins the history, and DefineAuthChallenge says what
 * follows. A wrong answer spends the Session like a right one: Define decides whether there is
 * another try. Custom challenges do not count toward the password lockout [DG].
 */

import { runVerifyAuthChallenge } from "../../triggers/custom-auth.js";
import {
  type ChallengeResult,
  customAuthInput,
  defineNext,
  pendingCustomChallenge,
  sessionHistory,
} from "../custom-auth.js";
import { consumeSession } from "../session.js";
import type { SignIn } from "../sign-in.js";
import type { ChallengeModule } from "./challenge.js";

export const customChallenge: ChallengeModule = {
  name: "CUSTOM_CHALLENGE",
  requiresSession: true,
  requiredResponses: ["ANSWER"],
  async answer(signIn: SignIn) {
    const session = signIn.session;
    if (!session) throw new Error("CUSTOM_CHALLENGE answered without a session");
    const pending = pendingCustomChallenge(session);
    const answerCorrect = await runVerifyAuthChallenge(signIn.services, {
      ...customAuthInput(signIn),
      privateChallengeParameters: pending.privateChallengeParameters,
      challengeAnswer: signIn.request.parameters.ANSWER,
    });
    await consumeSession(signIn.services.store, session, signIn.now);
    const result: ChallengeResult = {
      challengeName: "CUSTOM_CHALLENGE",
      challengeResult: answerCorrect,
      challengeMetadata: pending.challengeMetadata,
    };
    signIn.customAuthHistory = [...sessionHistory(session), result];
    return defineNext(signIn);
  },
};
