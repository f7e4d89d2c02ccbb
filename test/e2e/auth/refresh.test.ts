import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandInput,
  AdminUserGlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claims,
  createClient,
  createPool,
  createUser,
  expectError,
  PASSWORD,
  secretHash,
  type TestClient,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let poolId: string;
let app: TestClient;
let userCount = 0;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
  app = await createClient(server, poolId);
});
afterAll(async () => server.stop());

/** A new user signed in through `client`: its name and tokens. */
async function signedIn(client: TestClient = app, input: Partial<AdminInitiateAuthCommandInput> = {}) {
  const username = `user${++userCount}`;
  await createUser(server, poolId, username);
  const out = await server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: client.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: {
        USERNAME: username,
        PASSWORD,
        ...(client.secret ? { SECRET_HASH: secretHash(client, username) } : {}),
      },
      ...input,
    }),
  );
  return { username, tokens: out.AuthenticationResult ?? {} };
}

function refresh(
  refreshToken: string | undefined,
  client: TestClient = app,
  extra: Record<string, string> = {},
) {
  return server.client.send(
    new InitiateAuthCommand({
      ClientId: client.clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: refreshToken as string, ...extra },
    }),
  );
}

describe("refresh flows", () => {
  it("return new ID and access tokens of the same sign-in, and no refresh token", async () => {
    const { tokens } = await signedIn();
    const out = await refresh(tokens.RefreshToken);
    expect(out.ChallengeName).toBeUndefined();
    expect(out.ChallengeParameters).toEqual({});
    expect(out.AuthenticationResult?.RefreshToken).toBeUndefined();
    expect(out.AuthenticationResult?.TokenType).toBe("Bearer");
    expect(out.AuthenticationResult?.ExpiresIn).toBe(3600);
    const before = claims(tokens.AccessToken);
    const after = claims(out.AuthenticationResult?.AccessToken);
    expect(after.jti).not.toBe(before.jti);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.auth_time).toBe(before.auth_time);
    expect(claims(out.AuthenticationResult?.IdToken).token_use).toBe("id");
  });

  it("REFRESH_TOKEN is a synonym, and AdminInitiateAuth refreshes too", async () => {
    const { tokens } = await signedIn();
    const viaSynonym = await server.client.send(
      new InitiateAuthCommand({
        ClientId: app.clientId,
        AuthFlow: "REFRESH_TOKEN",
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken as string },
      }),
    );
    expect(viaSynonym.AuthenticationResult?.AccessToken).toBeTruthy();
    for (const flow of ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"] as const) {
      const viaAdmin = await server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: app.clientId,
          AuthFlow: flow,
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken as string },
        }),
      );
      expect(viaAdmin.AuthenticationResult?.RefreshToken).toBeUndefined();
      expect(claims(viaAdmin.AuthenticationResult?.AccessToken).client_id).toBe(app.clientId);
    }
  });

  it("accept a null DEVICE_KEY, as amazon-cognito-identity-js sends it", async () => {
    const { tokens } = await signedIn();
    const res = await server.call("InitiateAuth", {
      ClientId: app.clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken, DEVICE_KEY: null },
    });
    expect(res.status).toBe(200);
  });

  it("refuse a token of another client, and garbage", async () => {
    const { tokens } = await signedIn();
    const other = await createClient(server, poolId);
    await expectError(
      refresh(tokens.RefreshToken, other),
      "NotAuthorizedException",
      "Invalid Refresh Token.",
    );
    await expectError(refresh("not-a-refresh-token"), "NotAuthorizedException", "Invalid Refresh Token.");
  });

  it("refuse an expired token", async () => {
    const hourly = await createClient(server, poolId, {
      RefreshTokenValidity: 60,
      TokenValidityUnits: { RefreshToken: "minutes" },
    });
    const { tokens } = await signedIn(hourly);
    const realClock = server.services.clock;
    try {
      server.services.clock = () => new Date(realClock().getTime() + 59 * 60 * 1000);
      expect((await refresh(tokens.RefreshToken, hourly)).AuthenticationResult).toBeDefined();
      server.services.clock = () => new Date(realClock().getTime() + 61 * 60 * 1000);
      await expectError(
        refresh(tokens.RefreshToken, hourly),
        "NotAuthorizedException",
        "Refresh Token has expired",
      );
    } finally {
      server.services.clock = realClock;
    }
  });

  it("refuse a revoked token", async () => {
    const signedOut = await signedIn();
    await server.client.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: signedOut.username }),
    );
    await expectError(
      refresh(signedOut.tokens.RefreshToken),
      "NotAuthorizedException",
      "Refresh Token has been revoked",
    );

    const revoked = await signedIn();
    await server.client.send(
      new RevokeTokenCommand({ ClientId: app.clientId, Token: revoked.tokens.RefreshToken }),
    );
    await expectError(
      refresh(revoked.tokens.RefreshToken),
      "NotAuthorizedException",
      "Refresh Token has been revoked",
    );
  });

  it("refuse a disabled user, and a deleted one", async () => {
    const disabled = await signedIn();
    await server.client.send(
      new AdminDisableUserCommand({ UserPoolId: poolId, Username: disabled.username }),
    );
    await expectError(refresh(disabled.tokens.RefreshToken), "NotAuthorizedException", "User is disabled.");
    // Disabling revoked the token; enabling the user again does not bring it back.
    await server.client.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: disabled.username }));
    await expectError(
      refresh(disabled.tokens.RefreshToken),
      "NotAuthorizedException",
      "Refresh Token has been revoked",
    );

    const deleted = await signedIn();
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: deleted.username }));
    await expectError(
      refresh(deleted.tokens.RefreshToken),
      "NotAuthorizedException",
      "Invalid Refresh Token.",
    );
  });

  it("are refused to a client with refresh-token rotation", async () => {
    const rotating = await createClient(server, poolId, {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
    });
    const { tokens } = await signedIn(rotating);
    await expectError(
      refresh(tokens.RefreshToken, rotating),
      "NotAuthorizedException",
      "Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken.",
    );
  });

  it("take SECRET_HASH over the token's username or sub for a client with a secret", async () => {
    const secretClient = await createClient(server, poolId, { GenerateSecret: true });
    const { username, tokens } = await signedIn(secretClient);
    const user = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: username }),
    );
    const sub = user.UserAttributes?.find((a) => a.Name === "sub")?.Value as string;
    await expectError(
      refresh(tokens.RefreshToken, secretClient),
      "NotAuthorizedException",
      `Client ${secretClient.clientId} is configured with secret but SECRET_HASH was not received`,
    );
    await expectError(
      refresh(tokens.RefreshToken, secretClient, { SECRET_HASH: secretHash(secretClient, "someone-else") }),
      "NotAuthorizedException",
      `Unable to verify secret hash for client ${secretClient.clientId}`,
    );
    for (const name of [username, sub]) {
      const out = await refresh(tokens.RefreshToken, secretClient, {
        SECRET_HASH: secretHash(secretClient, name),
      });
      expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    }
  });
});
