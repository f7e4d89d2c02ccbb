/** Pools with MFA, users, sign-ins, TOTP codes and the outbox, for the MFA tests. */
import {
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminRespondToAuthChallengeCommand,
  type AdminRespondToAuthChallengeCommandOutput,
  AssociateSoftwareTokenCommand,
  type AttributeType,
  type CreateUserPoolCommandInput,
  SetUserPoolMfaConfigCommand,
  type SetUserPoolMfaConfigCommandInput,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { generate } from "otplib";
import { expect } from "vitest";
import {
  createClient,
  createPool,
  createUser,
  outbox,
  PASSWORD,
  type TestClient,
} from "../../support/fixtures.js";
import type { TestServer } from "../../support/server.js";

export {
  advanceClock,
  claims,
  expectError,
  expectTokens,
  type OutboxEntry,
  outbox,
  PASSWORD,
  resetClock,
} from "../../support/fixtures.js";

/** An SMS configuration, which SMS MFA needs (never used: messages go to the outbox). */
export const SMS_CONFIGURATION = {
  SnsCallerArn: "arn:aws:iam::000000000000:role/cognito-sms",
  ExternalId: "cognate-tests",
};

/** Email by Amazon SES, which email MFA needs. */
export const DEVELOPER_EMAIL = {
  EmailSendingAccount: "DEVELOPER" as const,
  SourceArn: "arn:aws:ses:us-east-1:000000000000:identity/example.com",
  From: "no-reply@example.com",
};

export interface MfaPool {
  poolId: string;
  client: TestClient;
}

/** A pool with the MFA configuration given, and a client for the password flows and SRP. */
export async function mfaPool(
  server: TestServer,
  mfa: Omit<SetUserPoolMfaConfigCommandInput, "UserPoolId">,
  pool: Partial<CreateUserPoolCommandInput> = {},
): Promise<MfaPool> {
  const poolId = await createPool(server, {
    EmailConfiguration: DEVELOPER_EMAIL,
    ...pool,
  });
  if (mfa.MfaConfiguration !== "OFF" || Object.keys(mfa).length > 1) {
    await server.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa }));
  }
  const client = await createClient(server, poolId, {
    ExplicitAuthFlows: [
      "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_USER_SRP_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    ],
  });
  return { poolId, client };
}

export const TOTP_ONLY = {
  MfaConfiguration: "OPTIONAL",
  SoftwareTokenMfaConfiguration: { Enabled: true },
} as const;

export async function user(
  server: TestServer,
  pool: MfaPool,
  username: string,
  attributes: AttributeType[] = [],
  options: { temporary?: boolean } = {},
): Promise<void> {
  await createUser(server, pool.poolId, username, { attributes, temporary: options.temporary });
}

export function adminSignIn(
  server: TestServer,
  pool: MfaPool,
  username: string,
  password = PASSWORD,
): Promise<AdminInitiateAuthCommandOutput> {
  return server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.poolId,
      ClientId: pool.client.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

export function adminAnswer(
  server: TestServer,
  pool: MfaPool,
  challenge: Pick<AdminInitiateAuthCommandOutput, "ChallengeName" | "Session">,
  responses: Record<string, string>,
): Promise<AdminRespondToAuthChallengeCommandOutput> {
  return server.client.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: pool.poolId,
      ClientId: pool.client.clientId,
      ChallengeName: challenge.ChallengeName,
      Session: challenge.Session,
      ChallengeResponses: responses,
    }),
  );
}

/** The code of a TOTP secret for the time step `offset` steps from the server's now. */
export async function totp(server: TestServer, secret: string, offset = 0): Promise<string> {
  const epoch = Math.floor(server.services.clock().getTime() / 1000) + offset * 30;
  return generate({ secret, epoch });
}

/**
 * Fixes the server's clock in the middle of a TOTP time step, so codes computed for it stay the
 * step's codes however long the test takes (advanceClock still moves it).
 */
export function freezeClockMidStep(server: TestServer): void {
  const now = Date.now();
  const mid = new Date(Math.floor(now / 30_000) * 30_000 + 15_000);
  server.services.clock = () => mid;
}

/** Associates and verifies a software token with the user's access token; returns its secret. */
export async function enrolSoftwareToken(
  server: TestServer,
  accessToken: string,
  friendlyName?: string,
): Promise<string> {
  const { SecretCode } = await server.client.send(
    new AssociateSoftwareTokenCommand({ AccessToken: accessToken }),
  );
  const secret = SecretCode as string;
  const out = await server.client.send(
    new VerifySoftwareTokenCommand({
      AccessToken: accessToken,
      UserCode: await totp(server, secret, -1),
      FriendlyDeviceName: friendlyName,
    }),
  );
  expect(out.Status).toBe("SUCCESS");
  return secret;
}

/** The code in the newest message of the pool sent to `destination`. */
export async function lastCode(server: TestServer, poolId: string, destination: string): Promise<string> {
  const message = (await outbox(server, poolId)).find((m) => m.destination === destination);
  const code = message?.message.match(/\d{6,8}/)?.[0];
  if (!code) throw new Error(`no code was sent to ${destination}`);
  return code;
}
