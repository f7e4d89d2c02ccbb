/**
 * Software-token enrolment during MFA_SETUP (CHALLENGES.md §3.5), with the challenge's Session in
 * place of an access token: AssociateSoftwareToken makes a secret and a new Session that holds it
 * (sealed); VerifySoftwareToken proves the user's authenticator has it, makes the token the user's
 * factor, and gives the Session that answers MFA_SETUP. The API operations (operations/mfa.ts) and
 * the managed-login pages (oauth/mfa-setup.ts) both enrol through here.
 */
import { Errors } from "../domain/errors.js";
import { userMfaSettings, withMfaSettings } from "../domain/mfa.js";
import {
  newSoftwareTokenSecret,
  proveSoftwareTokenSecret,
  requireSoftwareTokenPool,
  withVerifiedToken,
} from "../domain/software-token.js";
import { requireUserForUpdate, saveUser } from "../domain/users.js";
import { mfaSetup } from "./challenges/mfa-setup.js";
import type { Clocked } from "./engine.js";
import { consumeSession, findSession, openSession } from "./session.js";
import { resolvedUser, type SignIn } from "./sign-in.js";
import { checkUserStillAllowed, loadSessionUser, resumeChallengeSession } from "./steps/challenge-session.js";
import { MFA_STATE } from "./steps/mfa.js";

/** The Session state key of the secret AssociateSoftwareToken made during MFA_SETUP (sealed). */
const PENDING_TOKEN = "pendingSoftwareToken";

/**
 * The sign-in an MFA_SETUP Session belongs to, for the operations that carry it without naming a
 * pool or client: live, of a user still there and allowed to sign in.
 */
async function setupSignIn(ctx: Clocked, session: string): Promise<SignIn> {
  const { services, now } = ctx;
  const record = await findSession(services.store, session);
  if (record?.challengeName !== "MFA_SETUP") throw Errors.sessionInvalid();
  const [pool, client] = await Promise.all([
    services.store.pools.get(record.poolId),
    services.store.clients.get(record.clientId),
  ]);
  if (!pool || !client) throw Errors.sessionInvalid();
  const signIn: SignIn = {
    services,
    now,
    pool,
    client,
    request: { operation: "RespondToAuthChallenge", clientId: client.id, parameters: {}, session },
  };
  await resumeChallengeSession(signIn, mfaSetup);
  await loadSessionUser(signIn);
  checkUserStillAllowed(signIn);
  return signIn;
}

function sessionOf(signIn: SignIn): NonNullable<SignIn["session"]> {
  if (!signIn.session) throw Errors.sessionInvalid();
  return signIn.session;
}

/** The MFA_SETUP state that goes on to the next Session, without the enrolment's own keys. */
function carriedState(signIn: SignIn): Record<string, unknown> {
  const {
    [PENDING_TOKEN]: _pending,
    [MFA_STATE.tokenVerified]: _verified,
    ...rest
  } = sessionOf(signIn).state;
  return rest;
}

/** AssociateSoftwareToken with an MFA_SETUP Session: the secret, and the Session that holds it. */
export async function associateWithSession(
  ctx: Clocked,
  session: string,
): Promise<{ secretCode: string; session: string }> {
  const { store } = ctx.services;
  const signIn = await setupSignIn(ctx, session);
  await requireSoftwareTokenPool(store, signIn.pool);
  const { secretCode, sealed } = await newSoftwareTokenSecret(store);
  await consumeSession(store, sessionOf(signIn), ctx.now);
  const next = await openSession(signIn, "MFA_SETUP", { ...carriedState(signIn), [PENDING_TOKEN]: sealed });
  return { secretCode, session: next };
}

/**
 * VerifySoftwareToken with the Session AssociateSoftwareToken gave: the proven token is the user's
 * factor from now on, and the preferred one when the user prefers none; the next Session lets
 * MFA_SETUP be answered. A wrong code leaves the Session usable.
 */
export async function verifyWithSession(
  ctx: Clocked,
  session: string,
  code: string,
  friendlyName: string | undefined,
): Promise<{ session: string }> {
  const { store } = ctx.services;
  const signIn = await setupSignIn(ctx, session);
  const { pool } = signIn;
  const record = sessionOf(signIn);
  const sealed = record.state[PENDING_TOKEN];
  if (typeof sealed !== "string") throw Errors.softwareTokenNotAssociated();
  await requireSoftwareTokenPool(store, pool);
  const user = resolvedUser(signIn);
  const target = { pool, user, sealedSecret: sealed, code, now: ctx.now };
  await proveSoftwareTokenSecret(store, target, async (tx) => {
    await consumeSession(tx, record, ctx.now);
    const current = await requireUserForUpdate(tx, pool, user.username);
    const settings = withVerifiedToken(userMfaSettings(current), sealed, friendlyName, ctx.now);
    const updated = withMfaSettings(current, { preferred: "SOFTWARE_TOKEN_MFA", ...settings }, ctx.now);
    await saveUser(tx, pool, updated);
    signIn.user = updated;
  });
  const next = await openSession(signIn, "MFA_SETUP", {
    ...carriedState(signIn),
    [MFA_STATE.tokenVerified]: true,
  });
  return { session: next };
}
