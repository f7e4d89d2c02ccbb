/**
 * USER_AUTH (ADMIN_INITIATE_AUTH.md §5.5, §5.6): choice-based sign-in, on InitiateAuth and
 * AdminInitiateAuth, for clients with ALLOW_USER_AUTH in pools of the ESSENTIALS or PLUS plan.
 * With PREFERRED_CHALLENGE naming a factor the user may use, that factor starts at once (with the
 * PASSWORD or SRP_A it needs); otherwise SELECT_CHALLENGE offers the user's factors. A Session from
 * ConfirmSignUp signs the new user in directly.
 *
 * For an unknown user, clients that hide user existence get what a real user could get: a wrong
 * password, a PASSWORD_VERIFIER that fails, or a SELECT_CHALLENGE of every factor the pool allows.
 */
import { Errors } from "../../domain/errors.js";
import {
  checkChoiceBasedSignInTier,
  type FirstFactor,
  isFirstFactor,
  plausibleFirstFactors,
} from "../../domain/sign-in-factors.js";
import { availableChallenges, challengeSelection, startFirstFactor } from "../first-factors.js";
import { type AuthOutcome, resolvedUser, runSteps, type SignIn, type Step } from "../sign-in.js";
import { signInWithSignUpSession } from "../sign-up-session.js";
import { AFTER_FIRST_FACTOR } from "../steps/post-password.js";
import { resolveUserOrStandIn } from "../steps/resolve-user.js";
import { checkInitiateSecretHash } from "../steps/secret-hash.js";
import { isUnknownUser } from "../unknown-user.js";
import { type AuthFlowModule, BOTH_OPERATIONS } from "./flow.js";

const checkTier: Step = (signIn: SignIn) => {
  checkChoiceBasedSignInTier(signIn.pool);
  return undefined;
};

/** A PREFERRED_CHALLENGE that names no first factor is refused before the user is looked up. */
const checkPreferredChallenge: Step = (signIn: SignIn) => {
  const preferred = signIn.request.parameters.PREFERRED_CHALLENGE;
  if (preferred && !isFirstFactor(preferred)) throw Errors.invalidPreferredChallenge(preferred);
  return undefined;
};

/**
 * What stops every factor: a disabled account, a password reset the administrator demanded (its
 * tokens would be refused everywhere), a federated user. An unconfirmed user may still confirm
 * itself with a code, and a temporary password is checked when the password is used.
 */
const checkAccountState: Step = (signIn: SignIn) => {
  const user = resolvedUser(signIn);
  if (isUnknownUser(user)) return undefined;
  if (!user.enabled) throw Errors.userDisabled();
  if (user.status === "RESET_REQUIRED") throw Errors.passwordResetRequired();
  if (user.status === "EXTERNAL_PROVIDER") throw Errors.incorrectUsernameOrPassword();
  return undefined;
};

/** Every challenge of USER_AUTH's first response lists what the user may choose [API examples]. */
function withAvailable(outcome: AuthOutcome, available: FirstFactor[]): AuthOutcome {
  return outcome.kind === "challenge" ? { ...outcome, availableChallenges: available } : outcome;
}

/** The preferred factor when it is on offer, else the choice. */
const chooseFirstFactor: Step = async (signIn: SignIn) => {
  const user = resolvedUser(signIn);
  const available = isUnknownUser(user)
    ? plausibleFirstFactors(signIn.pool)
    : await availableChallenges(signIn);
  const preferred = signIn.request.parameters.PREFERRED_CHALLENGE;
  if (!isFirstFactor(preferred) || !available.includes(preferred)) {
    return withAvailable(await challengeSelection(signIn, available), available);
  }
  const outcome = (await startFirstFactor(signIn, preferred)) ?? (await runSteps(AFTER_FIRST_FACTOR, signIn));
  return withAvailable(outcome, available);
};

export const userAuthFlow: AuthFlowModule = {
  operations: BOTH_OPERATIONS,
  notEnabled: Errors.userAuthFlowNotEnabled,
  requiredParameters: ["USERNAME"],
  steps: [
    checkTier,
    checkInitiateSecretHash,
    signInWithSignUpSession,
    checkPreferredChallenge,
    resolveUserOrStandIn,
    checkAccountState,
    chooseFirstFactor,
  ],
};
