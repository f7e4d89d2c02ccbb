/**
 * The checks every challenge answer passes before its own verification (CHALLENGES.md §2, in that
 * order): the session, USERNAME, SECRET_HASH, the challenge the session waits for, and the user.
 */
import { Errors } from "../../domain/errors.js";
import { usernameKey } from "../../domain/pools.js";
import { findUser } from "../../domain/users.js";
import type { ChallengeModule } from "../challenges/challenge.js";
import { resumeSession, sessionAuthTime, sessionUser } from "../session.js";
import { resolvedUser, type SignIn } from "../sign-in.js";
import { isUnknownUser, SIMULATED_SRP_USER_ID } from "../unknown-user.js";
import { requireParameters } from "./required-parameters.js";
import { checkSecretHash } from "./secret-hash.js";

/**
 * The Session the challenge was issued with: present, known, live and unspent. A challenge that
 * travels without one restores its state itself, unless a Session was sent anyway.
 */
export async function resumeChallengeSession(signIn: SignIn, challenge: ChallengeModule): Promise<void> {
  const session = signIn.request.session;
  if (!session && !challenge.requiresSession) {
    await challenge.resume?.(signIn);
    return;
  }
  if (!session) throw Errors.missingParameter("Session");
  signIn.session = await resumeSession(signIn, session);
  signIn.authFlow = signIn.session.state.authFlow as SignIn["authFlow"];
  signIn.authTime = sessionAuthTime(signIn.session);
}

/** The session's user; deleted since → UserNotFoundException (§2 step 7). */
export async function loadSessionUser(signIn: SignIn): Promise<void> {
  if (signIn.session) signIn.user = await sessionUser(signIn, signIn.session);
}

export function checkAnswerSecretHash(signIn: SignIn): void {
  const { USERNAME, SECRET_HASH } = signIn.request.parameters;
  checkSecretHash(signIn.client, [USERNAME, signIn.user?.username], SECRET_HASH);
}

/** An answer is for the challenge the session waits for [message UNDOC]. */
export function checkChallengeName(signIn: SignIn, challenge: ChallengeModule): void {
  const expected = signIn.session?.challengeName;
  if (expected === undefined || expected === challenge.name) return;
  if ((challenge.answersSessionsOf as readonly string[] | undefined)?.includes(expected)) return;
  throw Errors.challengeNameMismatch(expected);
}

/** USERNAME may be the username, an alias or the sub, but of the session's user [UNDOC: as a wrong password]. */
export async function checkSameUser(signIn: SignIn): Promise<void> {
  const user = resolvedUser(signIn);
  const named = signIn.request.parameters.USERNAME;
  if (usernameKey(signIn.pool, named) === user.usernameKey) return;
  // A simulated PASSWORD_VERIFIER is answered with its USER_ID_FOR_SRP, as a real one with the username.
  if (isUnknownUser(user) && named === signIn.session?.state[SIMULATED_SRP_USER_ID]) return;
  const found = await findUser(signIn.services.store, signIn.pool, named);
  if (found?.usernameKey !== user.usernameKey) throw Errors.incorrectUsernameOrPassword();
}

/**
 * Session state: the challenge is a passwordless code (or the choice of one) that confirms an
 * unconfirmed user [DG], so such a user may answer it.
 */
export const CONFIRMS_USER = "confirmsUnconfirmedUser";

/** What may have changed since the challenge was issued: disabled, or no longer confirmed. */
export function checkUserStillAllowed(signIn: SignIn): void {
  const user = resolvedUser(signIn);
  if (!user.enabled) throw Errors.userDisabled();
  if (user.status === "UNCONFIRMED" && signIn.session?.state[CONFIRMS_USER] !== true) {
    throw Errors.userNotConfirmed();
  }
}

export function requireAnswer(signIn: SignIn, challenge: ChallengeModule): void {
  requireParameters(signIn.request.parameters, challenge.requiredResponses);
}
