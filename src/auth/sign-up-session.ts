/**
 * Sign-in straight after sign-up (ADMIN_INITIATE_AUTH.md §5.5, §5.6; DG passwordless "automatic
 * sign-in"): ConfirmSignUp's code proved the user's email or phone number, so its answer carries a
 * Session that USER_AUTH (InitiateAuth or AdminInitiateAuth) exchanges for tokens, once, within
 * the client's AuthSessionValidity, for the same user; the request's other AuthParameters are not
 * looked at.
 */
import type { Connection } from "../domain/client-context.js";
import { authFlowAllowed } from "../domain/clients.js";
import { Errors } from "../domain/errors.js";
import { offersChoiceBasedSignIn } from "../domain/sign-in-factors.js";
import type { OAuthGrant } from "../domain/tokens.js";
import type { Services } from "../services.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../store/records.js";
import { consumeSession, openSession, resumeSession, sessionUser } from "./session.js";
import { type AuthOutcome, runSteps, type SignIn, type Step } from "./sign-in.js";
import { checkSameUser, checkUserStillAllowed } from "./steps/challenge-session.js";
import { AFTER_PASSWORDLESS } from "./steps/passwordless.js";
import { startThreat, withAuthEvent } from "./threat.js";

/** Marks the sessions ConfirmSignUp opens; no challenge answer accepts them [UNDOC]. */
const SIGN_UP_SESSION = "signUpConfirmation";

/**
 * The Session ConfirmSignUp answers with, when the client may sign in with USER_AUTH and the pool's
 * plan offers it; undefined otherwise [UNDOC: the only use of the session].
 */
export async function openSignUpSession(
  services: Services,
  confirmed: { pool: PoolRecord; client: ClientRecord; user: UserRecord; now: Date },
): Promise<string | undefined> {
  const { pool, client, user, now } = confirmed;
  if (!authFlowAllowed(client, "USER_AUTH") || !offersChoiceBasedSignIn(pool)) return undefined;
  const signIn: SignIn = {
    services,
    now,
    request: { operation: "InitiateAuth", clientId: client.id, parameters: {} },
    pool,
    client,
    user,
    authFlow: "USER_AUTH",
  };
  // Parked as a SELECT_CHALLENGE that offers nothing, so that no challenge answer can use it.
  return openSession(signIn, "SELECT_CHALLENGE", { [SIGN_UP_SESSION]: true, availableChallenges: [] });
}

/** USER_AUTH with a Session: only ConfirmSignUp's is good, and it ends the sign-in with tokens. */
export const signInWithSignUpSession: Step = async (signIn: SignIn) => {
  const session = signIn.request.session;
  if (!session) return undefined;
  const record = await resumeSession(signIn, session);
  if (record.state[SIGN_UP_SESSION] !== true) throw Errors.sessionInvalid();
  signIn.session = record;
  signIn.user = await sessionUser(signIn, record);
  await checkSameUser(signIn);
  checkUserStillAllowed(signIn);
  await consumeSession(signIn.services.store, record, signIn.now);
  signIn.authTime = signIn.now;
  return runSteps(AFTER_PASSWORDLESS, signIn);
};

/**
 * A domain's `/confirm` page signs the user in on the code it just took: the code proved the user
 * as ConfirmSignUp's Session does, so the same steps follow, whatever sign-in the client's own code
 * may use; the tokens carry the page's grant (OAUTH.md §2.2) [UNDOC].
 */
export async function signInAfterConfirmation(
  services: Services,
  confirmed: { pool: PoolRecord; client: ClientRecord; user: UserRecord; now: Date },
  page: { hosted: OAuthGrant; connection: Connection },
): Promise<AuthOutcome> {
  const { pool, client, user, now } = confirmed;
  const signIn: SignIn = {
    services,
    now,
    request: {
      operation: "InitiateAuth",
      clientId: client.id,
      parameters: { USERNAME: user.username },
      hosted: page.hosted,
      connection: page.connection,
    },
    pool,
    client,
    user,
    authFlow: "USER_AUTH",
    authTime: now,
  };
  startThreat(signIn);
  return withAuthEvent(signIn, () => runSteps(AFTER_PASSWORDLESS, signIn));
}
