/** Sign-in straight after ConfirmSignUp: its Session exchanged for tokens with USER_AUTH. */
import {
  AdminInitiateAuthCommand,
  ConfirmSignUpCommand,
  type ConfirmSignUpCommandOutput,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  advanceClock,
  answer,
  claims,
  email,
  expectError,
  expectTokens,
  PASSWORD,
  resetClock,
  sentCode,
  type UserAuthPool,
  userAuth,
  userAuthPool,
} from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

async function signUpAndConfirm(pool: UserAuthPool, username: string): Promise<ConfirmSignUpCommandOutput> {
  const address = `${username}@example.com`;
  await server.client.send(
    new SignUpCommand({
      ClientId: pool.client.clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [email(address)],
    }),
  );
  const code = await sentCode(server, pool.poolId, address, 6);
  return server.client.send(
    new ConfirmSignUpCommand({ ClientId: pool.client.clientId, Username: username, ConfirmationCode: code }),
  );
}

const autoVerified = { pool: { AutoVerifiedAttributes: ["email" as const] } };

describe("ConfirmSignUp's Session", () => {
  it("signs the new user in once with USER_AUTH, whatever else the request says", async () => {
    const pool = await userAuthPool(server, ["PASSWORD"], autoVerified);
    const confirmed = await signUpAndConfirm(pool, "newcomer");
    expect(confirmed.Session).toMatch(/^[\w-]{20,}$/);
    const out = await userAuth(
      server,
      pool,
      { USERNAME: "newcomer", PREFERRED_CHALLENGE: "EMAIL_OTP" },
      confirmed.Session,
    );
    expectTokens(out);
    expect(out.AuthenticationResult?.RefreshToken).toBeTruthy();
    expect(claims(out.AuthenticationResult?.AccessToken).username).toBe("newcomer");
    await expectError(
      userAuth(server, pool, { USERNAME: "newcomer" }, confirmed.Session),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("works on AdminInitiateAuth too", async () => {
    const pool = await userAuthPool(server, ["PASSWORD"], autoVerified);
    const confirmed = await signUpAndConfirm(pool, "admin-newcomer");
    const out = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.poolId,
        ClientId: pool.client.clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: "admin-newcomer" },
        Session: confirmed.Session,
      }),
    );
    expectTokens(out);
  });

  it("is the new user's only", async () => {
    const pool = await userAuthPool(server, ["PASSWORD"], autoVerified);
    const first = await signUpAndConfirm(pool, "first-newcomer");
    await signUpAndConfirm(pool, "second-newcomer");
    await expectError(
      userAuth(server, pool, { USERNAME: "second-newcomer" }, first.Session),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("expires with the client's AuthSessionValidity", async () => {
    const pool = await userAuthPool(server, ["PASSWORD"], autoVerified);
    const confirmed = await signUpAndConfirm(pool, "late-newcomer");
    advanceClock(server, 4 * 60 * 1000);
    try {
      await expectError(
        userAuth(server, pool, { USERNAME: "late-newcomer" }, confirmed.Session),
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
      );
    } finally {
      resetClock(server);
    }
  });

  it("is not a challenge's Session, and a challenge's Session is not it", async () => {
    const pool = await userAuthPool(server, ["PASSWORD"], autoVerified);
    const confirmed = await signUpAndConfirm(pool, "mixer");
    await expectError(
      answer(server, pool, "SELECT_CHALLENGE", confirmed.Session, {
        USERNAME: "mixer",
        ANSWER: "PASSWORD",
        PASSWORD,
      }),
      "InvalidParameterException",
      "PASSWORD is not one of the available challenges of this session.",
    );
    const choice = await userAuth(server, pool, { USERNAME: "mixer" });
    await expectError(
      userAuth(server, pool, { USERNAME: "mixer" }, choice.Session),
      "NotAuthorizedException",
      "Invalid session for the user.",
    );
  });

  it("is not given to clients that cannot sign in with USER_AUTH", async () => {
    const pool = await userAuthPool(server, ["PASSWORD"], {
      ...autoVerified,
      client: { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    const confirmed = await signUpAndConfirm(pool, "srp-only");
    expect(confirmed.Session).toBeUndefined();
  });
});
