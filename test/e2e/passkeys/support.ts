/** Passkeys for the sign-in tests: registering one on a software authenticator, and answering WEB_AUTHN. */
import {
  CompleteWebAuthnRegistrationCommand,
  type RespondToAuthChallengeCommandOutput,
  StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { TestServer } from "../../support/server.js";
import { type RequestOptions, SoftwareAuthenticator } from "../../support/webauthn-authenticator.js";
import { accessToken, answer, ORIGIN, type UserAuthPool } from "../user-auth/support.js";

/**
 * Registers a passkey for an existing user on `authenticator` (a new one by default), signed in with
 * its password (so the pool must not ask it for MFA yet).
 */
export async function registerPasskey(
  server: TestServer,
  pool: UserAuthPool,
  username: string,
  authenticator = new SoftwareAuthenticator({ origin: ORIGIN }),
): Promise<SoftwareAuthenticator> {
  const token = await accessToken(server, pool, username);
  const started = await server.client.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
  const credential = authenticator.register(started.CredentialCreationOptions as never);
  await server.client.send(
    new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential as never }),
  );
  return authenticator;
}

/** The CREDENTIAL_REQUEST_OPTIONS of a WEB_AUTHN challenge. */
export function requestOptions(out: { ChallengeParameters?: Record<string, string> }): RequestOptions {
  return JSON.parse(out.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS as string);
}

/** RespondToAuthChallenge to WEB_AUTHN with a CREDENTIAL (an assertion, or any text). */
export function answerPasskey(
  server: TestServer,
  pool: UserAuthPool,
  username: string,
  session: string | undefined,
  credential: unknown,
): Promise<RespondToAuthChallengeCommandOutput> {
  return answer(server, pool, "WEB_AUTHN", session, {
    USERNAME: username,
    CREDENTIAL: typeof credential === "string" ? credential : JSON.stringify(credential),
  });
}
