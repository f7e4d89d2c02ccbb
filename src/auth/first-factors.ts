/**
 * The first factors of choice-based sign-in (USER_AUTH, ADMIN_INITIATE_AUTH.md §5.5, CHALLENGES.md
 * §3.7): which the user may choose, the SELECT_CHALLENGE that lets it choose, and starting the
 * one chosen — by PREFERRED_CHALLENGE on (Admin)InitiateAuth, or by the answer to SELECT_CHALLENGE.
 */
import { Errors } from "../domain/errors.js";
import { enabledUserFactors } from "../domain/mfa.js";
import {
  availableFirstFactors,
  type FirstFactor,
  isFirstFactor,
  type UserFactorFacts,
} from "../domain/sign-in-factors.js";
import { passkeyFacts } from "../domain/webauthn.js";
import {
  passwordVerifierChallenge,
  simulatedPasswordVerifierChallenge,
} from "./challenges/password-verifier.js";
import { challengeSignInCode } from "./challenges/passwordless-code.js";
import { challengePasskey } from "./challenges/web-authn.js";
import { openSession } from "./session.js";
import { type AuthOutcome, resolvedUser, type SignIn } from "./sign-in.js";
import { clientPublicValue } from "./srp-proof.js";
import { checkAccountState } from "./steps/account-state.js";
import { CONFIRMS_USER } from "./steps/challenge-session.js";
import { resolvePresentedDevice } from "./steps/devices.js";
import { checkLockout } from "./steps/lockout.js";
import { requireParameters } from "./steps/required-parameters.js";
import { simulatePasswordCheck, verifyPassword } from "./steps/verify-password.js";
import { isUnknownUser, unknownUserState } from "./unknown-user.js";

/** What the user has for the factors that need more than its attributes. */
async function factorFacts(signIn: SignIn): Promise<UserFactorFacts> {
  const user = resolvedUser(signIn);
  const passkeys = await passkeyFacts(signIn.services.store, signIn.pool, user);
  return { ...passkeys, hasMfa: enabledUserFactors(user).length > 0 };
}

/**
 * The factors the sign-in's user may choose now. None: an unconfirmed user (who could only have
 * confirmed itself with a code) is told so; any other user has no way in.
 */
export async function availableChallenges(signIn: SignIn): Promise<FirstFactor[]> {
  const user = resolvedUser(signIn);
  const available = availableFirstFactors(signIn.pool, user, await factorFacts(signIn));
  if (available.length > 0) return available;
  if (user.status === "UNCONFIRMED") throw Errors.userNotConfirmed();
  throw Errors.noAvailableChallenge();
}

/** SELECT_CHALLENGE: the client chooses one of `available` with the Session [DG selection-sdk]. */
export async function challengeSelection(signIn: SignIn, available: FirstFactor[]): Promise<AuthOutcome> {
  return {
    kind: "challenge",
    challengeName: "SELECT_CHALLENGE",
    challengeParameters: {},
    session: await openSession(signIn, "SELECT_CHALLENGE", {
      availableChallenges: available,
      // An unconfirmed user is offered codes only, which confirm it.
      [CONFIRMS_USER]: resolvedUser(signIn).status === "UNCONFIRMED",
      ...unknownUserState(resolvedUser(signIn)),
    }),
  };
}

/** The factors a SELECT_CHALLENGE session offered. */
export function offeredChallenges(signIn: SignIn): FirstFactor[] {
  const offered = signIn.session?.state.availableChallenges;
  return Array.isArray(offered) ? offered.filter((name): name is FirstFactor => isFirstFactor(name)) : [];
}

/** The plaintext password: the account state and lockout gates, then the password itself. */
async function provePassword(signIn: SignIn): Promise<undefined> {
  requireParameters(signIn.request.parameters, ["PASSWORD"]);
  await checkAccountState(signIn);
  await checkLockout(signIn);
  await verifyPassword(signIn);
  return undefined;
}

/** SRP: the same gates, then PASSWORD_VERIFIER with a Session (CHALLENGES.md §3.1). */
async function startPasswordSrp(signIn: SignIn): Promise<AuthOutcome> {
  requireParameters(signIn.request.parameters, ["SRP_A"]);
  const A = clientPublicValue(signIn.request.parameters.SRP_A);
  await checkAccountState(signIn);
  await checkLockout(signIn);
  await resolvePresentedDevice(signIn);
  return passwordVerifierChallenge(signIn, A);
}

/**
 * Starts the chosen first factor. Undefined: the password was proven here, and the sign-in goes on
 * as after any password (NEW_PASSWORD_REQUIRED, MFA, devices, tokens); otherwise the factor's
 * challenge.
 */
export async function startFirstFactor(
  signIn: SignIn,
  factor: FirstFactor,
): Promise<AuthOutcome | undefined> {
  if (isUnknownUser(resolvedUser(signIn))) return startSimulatedFactor(signIn, factor);
  switch (factor) {
    case "PASSWORD":
      return provePassword(signIn);
    case "PASSWORD_SRP":
      return startPasswordSrp(signIn);
    case "WEB_AUTHN":
      return challengePasskey(signIn);
    case "EMAIL_OTP":
    case "SMS_OTP":
      return challengeSignInCode(signIn, factor);
  }
}

/**
 * The same factor for a user that does not exist (clients hiding user existence): a password
 * check as costly as a real one that fails, the simulated PASSWORD_VERIFIER, a code challenge no
 * code answers, or a passkey challenge no passkey can answer.
 */
async function startSimulatedFactor(signIn: SignIn, factor: FirstFactor): Promise<AuthOutcome> {
  const { services, pool, request } = signIn;
  const username = resolvedUser(signIn).username;
  switch (factor) {
    case "PASSWORD":
      requireParameters(request.parameters, ["PASSWORD"]);
      await simulatePasswordCheck(services, pool.id, username, request.parameters.PASSWORD);
      throw Errors.incorrectUsernameOrPassword();
    case "PASSWORD_SRP":
      requireParameters(request.parameters, ["SRP_A"]);
      return simulatedPasswordVerifierChallenge(
        signIn,
        username,
        clientPublicValue(request.parameters.SRP_A),
      );
    case "WEB_AUTHN":
      return challengePasskey(signIn);
    case "EMAIL_OTP":
    case "SMS_OTP":
      return challengeSignInCode(signIn, factor);
  }
}
