/**
 * SELECT_CHALLENGE (CHALLENGES.md §3.7): the answer to choice-based sign-in's question. ANSWER names
 * one of the session's AvailableChallenges and comes with what that factor needs (PASSWORD, or
 * SRP_A; nothing for the others). PASSWORD and PASSWORD_SRP may also be sent as the ChallengeName
 * itself, on the same Session [API examples].
 *
 * A choice that is not on offer, or lacks its data, is refused with the Session intact; any other
 * answer spends it, whatever the outcome (a wrong password included), and the chosen factor starts.
 */
import { Errors } from "../../domain/errors.js";
import { type FirstFactor, isFirstFactor } from "../../domain/sign-in-factors.js";
import { offeredChallenges, startFirstFactor } from "../first-factors.js";
import { consumeSession } from "../session.js";
import type { AuthOutcome, SignIn } from "../sign-in.js";
import { requireParameters } from "../steps/required-parameters.js";
import type { ChallengeModule } from "./challenge.js";

/** What each choice must bring along. */
const CHOICE_DATA: Partial<Record<FirstFactor, readonly string[]>> = {
  PASSWORD: ["PASSWORD"],
  PASSWORD_SRP: ["SRP_A"],
};

async function choose(signIn: SignIn, choice: string): Promise<AuthOutcome | undefined> {
  if (!isFirstFactor(choice) || !offeredChallenges(signIn).includes(choice)) {
    throw Errors.challengeNotAvailable(choice);
  }
  requireParameters(signIn.request.parameters, CHOICE_DATA[choice] ?? []);
  await consumeSession(signIn.services.store, signIn.session as NonNullable<SignIn["session"]>, signIn.now);
  return startFirstFactor(signIn, choice);
}

export const selectChallengeAnswer: ChallengeModule = {
  name: "SELECT_CHALLENGE",
  requiresSession: true,
  requiredResponses: ["ANSWER"],
  answer: (signIn) => choose(signIn, signIn.request.parameters.ANSWER),
};

/** ChallengeName PASSWORD on a SELECT_CHALLENGE Session: the choice and the password at once. */
export const passwordAnswer: ChallengeModule = {
  name: "PASSWORD",
  answersSessionsOf: ["SELECT_CHALLENGE"],
  requiresSession: true,
  requiredResponses: ["PASSWORD"],
  answer: (signIn) => choose(signIn, "PASSWORD"),
};

/** ChallengeName PASSWORD_SRP on a SELECT_CHALLENGE Session: answered with PASSWORD_VERIFIER. */
export const passwordSrpAnswer: ChallengeModule = {
  name: "PASSWORD_SRP",
  answersSessionsOf: ["SELECT_CHALLENGE"],
  requiresSession: true,
  requiredResponses: ["SRP_A"],
  answer: (signIn) => choose(signIn, "PASSWORD_SRP"),
};
