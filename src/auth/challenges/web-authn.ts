/**
 * WEB_AUTHN (CHALLENGES.md §3.8): sign-in with a passkey. The challenge carries
 * CREDENTIAL_REQUEST_OPTIONS (the user's passkeys for the pool's relying party and a fresh
 * challenge, kept in the Session); the answer's CREDENTIAL is the authenticator's assertion. A
 * failed assertion is `NotAuthorizedException` and leaves the Session usable for another try; a
 * good one spends it, and the sign-in goes on without MFA: the passkey is offered where MFA would
 * follow only when it is the user's MFA, and then its assertion had to verify the user
 * (domain/webauthn.ts `passkeyIsMfa`).
 */
import { Errors } from "../../domain/errors.js";
import { type PasskeyChallenge, passkeyChallenge, verifyPasskeyAssertion } from "../../domain/webauthn.js";
import { consumeSession, openSession } from "../session.js";
import { type AuthOutcome, resolvedUser, type SignIn } from "../sign-in.js";
import { unknownUserState } from "../unknown-user.js";
import type { ChallengeModule } from "./challenge.js";

/** Issues the WEB_AUTHN challenge for the sign-in's user. */
export async function challengePasskey(signIn: SignIn): Promise<AuthOutcome> {
  const user = resolvedUser(signIn);
  const { state, requestOptions } = await passkeyChallenge(signIn.services.store, signIn.pool, user);
  return {
    kind: "challenge",
    challengeName: "WEB_AUTHN",
    challengeParameters: { CREDENTIAL_REQUEST_OPTIONS: requestOptions },
    session: await openSession(signIn, "WEB_AUTHN", { passkey: state, ...unknownUserState(user) }),
  };
}

/** The challenge the Session was opened with (a session of another kind never gets here). */
function expectedChallenge(signIn: SignIn): PasskeyChallenge {
  const passkey = signIn.session?.state.passkey as Partial<PasskeyChallenge> | undefined;
  if (typeof passkey?.challenge !== "string" || typeof passkey.relyingPartyId !== "string") {
    throw Errors.sessionInvalid();
  }
  return {
    challenge: passkey.challenge,
    relyingPartyId: passkey.relyingPartyId,
    userVerification: passkey.userVerification === "required" ? "required" : "preferred",
  };
}

export const webAuthn: ChallengeModule = {
  name: "WEB_AUTHN",
  requiresSession: true,
  requiredResponses: ["CREDENTIAL"],
  async answer(signIn) {
    const { services, pool, now } = signIn;
    await verifyPasskeyAssertion(services.store, {
      pool,
      user: resolvedUser(signIn),
      expected: expectedChallenge(signIn),
      credential: signIn.request.parameters.CREDENTIAL,
    });
    await consumeSession(services.store, signIn.session as NonNullable<SignIn["session"]>, now);
    signIn.authTime = now;
    return undefined;
  },
};
