/**
 * Refresh tokens: REFRESH_TOKEN_AUTH through both initiate operations, GetTokensFromRefreshToken
 * with and without rotation, expiry, and RevokeToken.
 */
import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  AdminUpdateUserAttributesCommand,
  CreateGroupCommand,
  GetTokensFromRefreshTokenCommand,
  type GetTokensFromRefreshTokenCommandInput,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sweepExpiredRefreshTokens } from "../../../src/domain/tokens.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  advanceClock,
  claims,
  createClient,
  createPool,
  createUser,
  expectError,
  resetClock,
  secretHash,
  signIn,
  type TestClient,
} from "./support.js";

let server: TestServer;
let poolId: string;
let app: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
  app = await createClient(server, poolId);
});
afterAll(async () => server.stop());
afterEach(() => resetClock(server));

let userCount = 0;
async function freshUser(client: TestClient = app) {
  const username = `user${++userCount}`;
  await createUser(server, poolId, username);
  return {
    username,
    tokens: await signIn(server.client, poolId, client.clientId, username, signInExtras(client, username)),
  };
}

function signInExtras(client: TestClient, username: string) {
  return client.secret ? { secretHash: secretHash(client, username) } : {};
}

function refreshVia(operation: "admin" | "public", refreshToken: string, clientId = app.clientId) {
  const AuthParameters = { REFRESH_TOKEN: refreshToken };
  return operation === "admin"
    ? server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters,
        }),
      )
    : server.client.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN", AuthParameters }),
      );
}

function getTokens(input: Partial<GetTokensFromRefreshTokenCommandInput> & { RefreshToken: string }) {
  return server.client.send(new GetTokensFromRefreshTokenCommand({ ClientId: app.clientId, ...input }));
}

describe.each(["admin", "public"] as const)("REFRESH_TOKEN_AUTH via %s InitiateAuth", (operation) => {
  it("gives new ID and access tokens of the same sign-in, and no refresh token", async () => {
    const { tokens } = await freshUser();
    advanceClock(server, 5000);
    const out = await refreshVia(operation, tokens.RefreshToken);
    const result = out.AuthenticationResult;
    expect(result?.RefreshToken).toBeUndefined();
    expect(result?.TokenType).toBe("Bearer");
    expect(result?.ExpiresIn).toBe(3600);
    expect(out.ChallengeParameters).toEqual({});
    for (const [before, after] of [
      [tokens.AccessToken, result?.AccessToken],
      [tokens.IdToken, result?.IdToken],
    ]) {
      const b = claims(before);
      const a = claims(after);
      expect(a.auth_time).toBe(b.auth_time);
      expect(a.origin_jti).toBe(b.origin_jti);
      expect(a.event_id).toBe(b.event_id);
      expect(a.jti).not.toBe(b.jti);
      expect(a.iat).toBeGreaterThanOrEqual((b.iat as number) + 5);
    }
    await expect(
      server.client.send(new GetUserCommand({ AccessToken: result?.AccessToken })),
    ).resolves.toBeDefined();
  });

  it("refuses a refresh token of another client", async () => {
    const { tokens } = await freshUser();
    const other = await createClient(server, poolId);
    await expectError(
      refreshVia(operation, tokens.RefreshToken, other.clientId),
      "NotAuthorizedException",
      "Invalid Refresh Token.",
    );
  });

  it("refuses a token it never issued", async () => {
    await expectError(
      refreshVia(operation, "bm90LWEtdG9rZW4"),
      "NotAuthorizedException",
      "Invalid Refresh Token.",
    );
  });

  it("refuses an expired refresh token", async () => {
    const { tokens } = await freshUser();
    advanceClock(server, 30 * 24 * 3600 * 1000);
    await expectError(
      refreshVia(operation, tokens.RefreshToken),
      "NotAuthorizedException",
      "Refresh Token has expired",
    );
  });

  it("refuses a revoked refresh token", async () => {
    const { tokens } = await freshUser();
    await server.client.send(new RevokeTokenCommand({ ClientId: app.clientId, Token: tokens.RefreshToken }));
    await expectError(
      refreshVia(operation, tokens.RefreshToken),
      "NotAuthorizedException",
      "Refresh Token has been revoked",
    );
  });
});

describe("GetTokensFromRefreshToken", () => {
  it("without rotation: new ID and access tokens only, with fresh attributes and groups", async () => {
    const { username, tokens } = await freshUser();
    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [{ Name: "name", Value: "Renamed" }],
      }),
    );
    await server.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: `g-${username}` }));
    await server.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: `g-${username}` }),
    );
    const out = await getTokens({ RefreshToken: tokens.RefreshToken });
    expect(out.AuthenticationResult?.RefreshToken).toBeUndefined();
    const id = claims(out.AuthenticationResult?.IdToken);
    expect(id.name).toBe("Renamed");
    expect(id["cognito:groups"]).toEqual([`g-${username}`]);
    expect(id.origin_jti).toBe(claims(tokens.IdToken).origin_jti);
  });

  it("keeps working until the refresh token's own validity ends", async () => {
    const hourly = await createClient(server, poolId, {
      RefreshTokenValidity: 60,
      TokenValidityUnits: { RefreshToken: "minutes" },
    });
    const { tokens } = await freshUser(hourly);
    advanceClock(server, 59 * 60 * 1000);
    await expect(
      getTokens({ ClientId: hourly.clientId, RefreshToken: tokens.RefreshToken }),
    ).resolves.toBeDefined();
    advanceClock(server, 2 * 60 * 1000);
    await expectError(
      getTokens({ ClientId: hourly.clientId, RefreshToken: tokens.RefreshToken }),
      "NotAuthorizedException",
      "Refresh Token has expired",
    );
  });

  it("answers UserNotFoundException for a deleted user", async () => {
    const { username, tokens } = await freshUser();
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: username }));
    await expectError(
      getTokens({ RefreshToken: tokens.RefreshToken }),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  it("says the user is disabled, and revoked once re-enabled", async () => {
    const { username, tokens } = await freshUser();
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    await expectError(
      getTokens({ RefreshToken: tokens.RefreshToken }),
      "NotAuthorizedException",
      "User is disabled.",
    );
    await server.client.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: username }));
    await expectError(
      getTokens({ RefreshToken: tokens.RefreshToken }),
      "NotAuthorizedException",
      "Refresh Token has been revoked",
    );
  });

  it("refuses refresh tokens of every sign-in after GlobalSignOut", async () => {
    const { username, tokens } = await freshUser();
    const other = await signIn(server.client, poolId, app.clientId, username);
    await server.client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    for (const token of [tokens.RefreshToken, other.RefreshToken]) {
      await expectError(
        getTokens({ RefreshToken: token }),
        "NotAuthorizedException",
        "Refresh Token has been revoked",
      );
    }
  });

  it("requires the raw client secret of a client that has one", async () => {
    const secretive = await createClient(server, poolId, { GenerateSecret: true });
    const { tokens } = await freshUser(secretive);
    const input = { ClientId: secretive.clientId, RefreshToken: tokens.RefreshToken };
    await expectError(
      getTokens(input),
      "NotAuthorizedException",
      `Client ${secretive.clientId} is configured with secret but ClientSecret was not received`,
    );
    await expectError(
      getTokens({ ...input, ClientSecret: "w".repeat(51) }),
      "NotAuthorizedException",
      `Client secret does not match for the client: ${secretive.clientId}`,
    );
    await expect(getTokens({ ...input, ClientSecret: secretive.secret })).resolves.toBeDefined();
  });

  it("answers ResourceNotFoundException for an unknown client", async () => {
    await expectError(
      getTokens({ ClientId: "nosuchclient", RefreshToken: "abc" }),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
  });
});

describe("expired refresh tokens", () => {
  it("are swept a day after they expire, not before", async () => {
    const hourly = await createClient(server, poolId, {
      RefreshTokenValidity: 60,
      TokenValidityUnits: { RefreshToken: "minutes" },
    });
    const { tokens } = await freshUser(hourly);
    const expired = () => getTokens({ ClientId: hourly.clientId, RefreshToken: tokens.RefreshToken });
    advanceClock(server, 61 * 60 * 1000);
    await sweepExpiredRefreshTokens(server.services, server.services.clock());
    // Kept: tokens of its sign-in could still be alive, and its revocation with them.
    await expectError(expired(), "NotAuthorizedException", "Refresh Token has expired");
    advanceClock(server, 24 * 60 * 60 * 1000);
    await sweepExpiredRefreshTokens(server.services, server.services.clock());
    await expectError(expired(), "NotAuthorizedException", "Invalid Refresh Token.");
  });
});

describe("refresh token rotation", () => {
  async function rotatingClient(grace: number) {
    return createClient(server, poolId, {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: grace },
    });
  }

  it("issues a new refresh token of the same sign-in that expires with the original", async () => {
    const rotating = await rotatingClient(0);
    const { tokens } = await freshUser(rotating);
    const out = await getTokens({ ClientId: rotating.clientId, RefreshToken: tokens.RefreshToken });
    const next = out.AuthenticationResult?.RefreshToken as string;
    expect(next).toMatch(/^[A-Za-z0-9\-_=.]+$/);
    expect(next).not.toBe(tokens.RefreshToken);
    expect(claims(out.AuthenticationResult?.AccessToken).origin_jti).toBe(
      claims(tokens.AccessToken).origin_jti,
    );
    advanceClock(server, 29 * 24 * 3600 * 1000);
    const later = await getTokens({ ClientId: rotating.clientId, RefreshToken: next });
    const last = later.AuthenticationResult?.RefreshToken as string;
    advanceClock(server, 24 * 3600 * 1000);
    await expectError(
      getTokens({ ClientId: rotating.clientId, RefreshToken: last }),
      "NotAuthorizedException",
      "Refresh Token has expired",
    );
  });

  it("without a grace period, the rotated-out token is reuse at once", async () => {
    const rotating = await rotatingClient(0);
    const { tokens } = await freshUser(rotating);
    await getTokens({ ClientId: rotating.clientId, RefreshToken: tokens.RefreshToken });
    advanceClock(server, 1);
    await expectError(
      getTokens({ ClientId: rotating.clientId, RefreshToken: tokens.RefreshToken }),
      "RefreshTokenReuseException",
      "Refresh Token has already been used",
    );
  });

  it("keeps the rotated-out token usable for the grace period, then refuses it", async () => {
    const rotating = await rotatingClient(30);
    const { tokens } = await freshUser(rotating);
    const first = await getTokens({ ClientId: rotating.clientId, RefreshToken: tokens.RefreshToken });
    advanceClock(server, 20_000);
    const retry = await getTokens({ ClientId: rotating.clientId, RefreshToken: tokens.RefreshToken });
    expect(retry.AuthenticationResult?.RefreshToken).not.toBe(first.AuthenticationResult?.RefreshToken);
    advanceClock(server, 11_000);
    await expectError(
      getTokens({ ClientId: rotating.clientId, RefreshToken: tokens.RefreshToken }),
      "RefreshTokenReuseException",
      "Refresh Token has already been used",
    );
    // The tokens it gave stay good.
    await expect(
      getTokens({
        ClientId: rotating.clientId,
        RefreshToken: first.AuthenticationResult?.RefreshToken as string,
      }),
    ).resolves.toBeDefined();
  });

  it("RevokeToken of a rotated token revokes the whole sign-in", async () => {
    const rotating = await rotatingClient(0);
    const { tokens } = await freshUser(rotating);
    const out = await getTokens({ ClientId: rotating.clientId, RefreshToken: tokens.RefreshToken });
    await server.client.send(
      new RevokeTokenCommand({ ClientId: rotating.clientId, Token: tokens.RefreshToken }),
    );
    await expectError(
      getTokens({
        ClientId: rotating.clientId,
        RefreshToken: out.AuthenticationResult?.RefreshToken as string,
      }),
      "NotAuthorizedException",
      "Refresh Token has been revoked",
    );
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: out.AuthenticationResult?.AccessToken })),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
  });
});

describe("RevokeToken", () => {
  it("revokes the refresh token and every token of its sign-in, refreshed ones included", async () => {
    const { tokens } = await freshUser();
    const refreshed = await getTokens({ RefreshToken: tokens.RefreshToken });
    const out = await server.client.send(
      new RevokeTokenCommand({ ClientId: app.clientId, Token: tokens.RefreshToken }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    for (const token of [tokens.AccessToken, refreshed.AuthenticationResult?.AccessToken]) {
      await expectError(
        server.client.send(new GetUserCommand({ AccessToken: token })),
        "NotAuthorizedException",
        "Access Token has been revoked",
      );
    }
  });

  it("is idempotent and silent about tokens it does not know", async () => {
    const { tokens } = await freshUser();
    await server.client.send(new RevokeTokenCommand({ ClientId: app.clientId, Token: tokens.RefreshToken }));
    await expect(
      server.client.send(new RevokeTokenCommand({ ClientId: app.clientId, Token: tokens.RefreshToken })),
    ).resolves.toBeDefined();
    await expect(
      server.client.send(new RevokeTokenCommand({ ClientId: app.clientId, Token: "dW5rbm93bg" })),
    ).resolves.toBeDefined();
  });

  it("refuses access and ID tokens with UnsupportedTokenTypeException", async () => {
    const { tokens } = await freshUser();
    for (const token of [tokens.AccessToken, tokens.IdToken]) {
      await expectError(
        server.client.send(new RevokeTokenCommand({ ClientId: app.clientId, Token: token })),
        "UnsupportedTokenTypeException",
        "Only refresh tokens can be revoked.",
      );
    }
  });

  it("refuses a token of another client with UnauthorizedException", async () => {
    const { tokens } = await freshUser();
    const other = await createClient(server, poolId);
    await expectError(
      server.client.send(new RevokeTokenCommand({ ClientId: other.clientId, Token: tokens.RefreshToken })),
      "UnauthorizedException",
      "The refresh token was not issued to this client.",
    );
  });

  it("needs the client secret of a client that has one", async () => {
    const secretive = await createClient(server, poolId, { GenerateSecret: true });
    const { tokens } = await freshUser(secretive);
    await expectError(
      server.client.send(
        new RevokeTokenCommand({
          ClientId: secretive.clientId,
          Token: tokens.RefreshToken,
          ClientSecret: "n".repeat(51),
        }),
      ),
      "UnauthorizedException",
      `Unable to verify client secret for client ${secretive.clientId}`,
    );
    await server.client.send(
      new RevokeTokenCommand({
        ClientId: secretive.clientId,
        Token: tokens.RefreshToken,
        ClientSecret: secretive.secret,
      }),
    );
    await expectError(
      getTokens({
        ClientId: secretive.clientId,
        RefreshToken: tokens.RefreshToken,
        ClientSecret: secretive.secret,
      }),
      "NotAuthorizedException",
      "Refresh Token has been revoked",
    );
  });

  it("is unsupported for a client with token revocation disabled", async () => {
    const plain = await createClient(server, poolId, { EnableTokenRevocation: false });
    const { tokens } = await freshUser(plain);
    await expectError(
      server.client.send(new RevokeTokenCommand({ ClientId: plain.clientId, Token: tokens.RefreshToken })),
      "UnsupportedOperationException",
      "Token revocation is not enabled for this client.",
    );
  });
});
