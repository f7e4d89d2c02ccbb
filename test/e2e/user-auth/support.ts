/** Pools, clients, users and sign-ins for the choice-based sign-in (USER_AUTH) and passkey tests. */
import {
  AdminInitiateAuthCommand,
  type AttributeType,
  type AuthFactorType,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
  SetUserPoolMfaConfigCommand,
  type WebAuthnConfigurationType,
} from "@aws-sdk/client-cognito-identity-provider";
import { createClient, createPool, createUser, PASSWORD, type TestClient } from "../../support/fixtures.js";
import type { TestServer } from "../../support/server.js";
import { outbox } from "../users/support.js";

export {
  advanceClock,
  claims,
  createUser,
  expectError,
  expectTokens,
  PASSWORD,
  resetClock,
  secretHash,
  TEMPORARY_PASSWORD,
} from "../../support/fixtures.js";

/** The relying party and origin the passkey tests run on. */
export const RP_ID = "app.example.com";
export const ORIGIN = "https://app.example.com";

export interface UserAuthPool {
  poolId: string;
  client: TestClient;
}

/** A pool allowing these first factors, with a client for USER_AUTH (and the admin password flow). */
export async function userAuthPool(
  server: TestServer,
  factors: AuthFactorType[] = ["PASSWORD"],
  options: {
    pool?: Partial<CreateUserPoolCommandInput>;
    client?: Partial<CreateUserPoolClientCommandInput>;
    webAuthn?: WebAuthnConfigurationType;
  } = {},
): Promise<UserAuthPool> {
  const poolId = await createPool(server, {
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } },
    ...options.pool,
  });
  if (options.webAuthn) {
    await server.client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OFF",
        WebAuthnConfiguration: options.webAuthn,
      }),
    );
  }
  const client = await createClient(server, poolId, {
    ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    ...options.client,
  });
  return { poolId, client };
}

/** A confirmed user with the default password and these attributes. */
export async function user(
  server: TestServer,
  pool: UserAuthPool,
  username: string,
  attributes: AttributeType[] = [],
  options: { temporary?: boolean } = {},
): Promise<void> {
  await createUser(server, pool.poolId, username, { attributes, temporary: options.temporary });
}

export const email = (value: string): AttributeType => ({ Name: "email", Value: value });
export const phone = (value: string): AttributeType => ({ Name: "phone_number", Value: value });

/** InitiateAuth with USER_AUTH. */
export function userAuth(
  server: TestServer,
  pool: UserAuthPool,
  parameters: Record<string, string>,
  session?: string,
): Promise<InitiateAuthCommandOutput> {
  return server.client.send(
    new InitiateAuthCommand({
      ClientId: pool.client.clientId,
      AuthFlow: "USER_AUTH",
      AuthParameters: parameters,
      Session: session,
    }),
  );
}

/** AdminInitiateAuth with USER_AUTH. */
export function adminUserAuth(server: TestServer, pool: UserAuthPool, parameters: Record<string, string>) {
  return server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.poolId,
      ClientId: pool.client.clientId,
      AuthFlow: "USER_AUTH",
      AuthParameters: parameters,
    }),
  );
}

/** RespondToAuthChallenge on a challenge's Session. */
export function answer(
  server: TestServer,
  pool: UserAuthPool,
  challengeName: string,
  session: string | undefined,
  responses: Record<string, string>,
): Promise<RespondToAuthChallengeCommandOutput> {
  return server.client.send(
    new RespondToAuthChallengeCommand({
      ClientId: pool.client.clientId,
      ChallengeName: challengeName as never,
      Session: session,
      ChallengeResponses: responses,
    }),
  );
}

/** The access token of a password sign-in (for the access-token operations). */
export async function accessToken(server: TestServer, pool: UserAuthPool, username: string): Promise<string> {
  const out = await server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.poolId,
      ClientId: pool.client.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  return out.AuthenticationResult?.AccessToken as string;
}

/** The code (of `digits` digits) in the newest message to a destination. */
export async function sentCode(
  server: TestServer,
  poolId: string,
  destination: string,
  digits: number,
): Promise<string> {
  const [message] = await outbox(server, { poolId, destination });
  const code = message?.message.match(new RegExp(`\\b(\\d{${digits}})\\b`))?.[1];
  if (!code) throw new Error(`no ${digits}-digit code sent to ${destination}`);
  return code;
}

/** A code that is not `code` (same length). */
export function wrongCode(code: string): string {
  return code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
}
