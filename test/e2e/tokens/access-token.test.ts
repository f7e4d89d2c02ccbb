/**
 * Every token-authorized operation refuses an access token that is expired, forged, of the wrong
 * kind, signed out, revoked or of a gone user, with Cognito's error and message.
 */
import { createHmac } from "node:crypto";
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminResetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  ChangePasswordCommand,
  type CognitoIdentityProviderClient,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { signJwt } from "../../../src/crypto/jwt.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  advanceClock,
  b64url,
  claims,
  createClient,
  createPool,
  createUser,
  expectError,
  header,
  PASSWORD,
  resetClock,
  signIn,
  type TestClient,
  withPayload,
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
/** A fresh user, signed in: tests that revoke or delete must not disturb each other. */
async function freshUser(attributes = [{ Name: "email", Value: "user@example.com" }]) {
  const username = `user${++userCount}`;
  await createUser(server, poolId, username, { attributes });
  return { username, tokens: await signIn(server.client, poolId, app.clientId, username) };
}

/** One call of each token-authorized operation, with the given access token. */
const OPERATIONS: Record<string, (c: CognitoIdentityProviderClient, token: string) => Promise<unknown>> = {
  GetUser: (c, t) => c.send(new GetUserCommand({ AccessToken: t })),
  UpdateUserAttributes: (c, t) =>
    c.send(
      new UpdateUserAttributesCommand({ AccessToken: t, UserAttributes: [{ Name: "name", Value: "X" }] }),
    ),
  DeleteUserAttributes: (c, t) =>
    c.send(new DeleteUserAttributesCommand({ AccessToken: t, UserAttributeNames: ["name"] })),
  ChangePassword: (c, t) =>
    c.send(
      new ChangePasswordCommand({
        AccessToken: t,
        PreviousPassword: PASSWORD,
        ProposedPassword: "N3w-pass!",
      }),
    ),
  DeleteUser: (c, t) => c.send(new DeleteUserCommand({ AccessToken: t })),
  GlobalSignOut: (c, t) => c.send(new GlobalSignOutCommand({ AccessToken: t })),
  GetUserAttributeVerificationCode: (c, t) =>
    c.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: t, AttributeName: "email" })),
  VerifyUserAttribute: (c, t) =>
    c.send(new VerifyUserAttributeCommand({ AccessToken: t, AttributeName: "email", Code: "123456" })),
};

describe.each(Object.entries(OPERATIONS))("%s", (_name, call) => {
  it("refuses a token revoked by GlobalSignOut", async () => {
    const { tokens } = await freshUser();
    await server.client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    await expectError(
      call(server.client, tokens.AccessToken),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
  });

  it("refuses an expired token", async () => {
    const { tokens } = await freshUser();
    advanceClock(server, 3600 * 1000);
    await expectError(
      call(server.client, tokens.AccessToken),
      "NotAuthorizedException",
      "Access Token has expired",
    );
  });

  it("refuses a forged token", async () => {
    const { tokens } = await freshUser();
    const forged = withPayload(tokens.AccessToken, { ...claims(tokens.AccessToken), username: "admin" });
    await expectError(call(server.client, forged), "NotAuthorizedException", "Invalid Access Token");
  });

  it("refuses the token of a deleted user", async () => {
    const { username, tokens } = await freshUser();
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: username }));
    await expectError(
      call(server.client, tokens.AccessToken),
      "UserNotFoundException",
      "User does not exist.",
    );
  });
});

describe("what makes a token invalid", () => {
  it("an unsigned token (alg none)", async () => {
    const { tokens } = await freshUser();
    const unsigned = `${b64url({ alg: "none" })}.${b64url(claims(tokens.AccessToken))}.`;
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: unsigned })),
      "NotAuthorizedException",
      "Invalid Access Token",
    );
  });

  it("a token signed with HS256 over the published public key", async () => {
    const { tokens } = await freshUser();
    const jwks = (await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as {
      keys: { n: string }[];
    };
    const input = `${b64url({ ...header(tokens.AccessToken), alg: "HS256" })}.${b64url(claims(tokens.AccessToken))}`;
    const mac = createHmac("sha256", jwks.keys[0].n).update(input).digest("base64url");
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: `${input}.${mac}` })),
      "NotAuthorizedException",
      "Invalid Access Token",
    );
  });

  it("an ID token", async () => {
    const { tokens } = await freshUser();
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: tokens.IdToken })),
      "NotAuthorizedException",
      "Invalid Access Token",
    );
  });

  it("a token of another pool presented as this pool's", async () => {
    const other = await createPool(server);
    const otherApp = await createClient(server, other);
    await createUser(server, other, "mallory");
    const theirs = await signIn(server.client, other, otherApp.clientId, "mallory");
    const { tokens } = await freshUser();
    const moved = withPayload(theirs.AccessToken, {
      ...claims(theirs.AccessToken),
      iss: claims(tokens.AccessToken).iss,
      sub: claims(tokens.AccessToken).sub,
    });
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: moved })),
      "NotAuthorizedException",
      "Invalid Access Token",
    );
  });

  it.each([
    ["garbage", "not-a-token"],
    ["two segments", "abc.def"],
    ["bad JSON", "e30.bm90IGpzb24.c2ln"],
  ])("%s", async (_name, token) => {
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: token })),
      "NotAuthorizedException",
      "Invalid Access Token",
    );
  });

  it("a token without the sign-in scope", async () => {
    const { tokens } = await freshUser();
    const keys = await server.services.keys.forPool(poolId, new Date());
    const key = keys.signing.access;
    const unscoped = await signJwt(
      key.header,
      { ...claims(tokens.AccessToken), scope: "openid" },
      key.privateKey,
    );
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: unscoped })),
      "NotAuthorizedException",
      "Access Token does not have required scopes",
    );
  });
});

describe("what revokes a token", () => {
  it("GlobalSignOut revokes every sign-in of the user, refresh tokens included", async () => {
    const { username, tokens } = await freshUser();
    const second = await signIn(server.client, poolId, app.clientId, username);
    await server.client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: second.AccessToken })),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
    // A new sign-in is not affected.
    const third = await signIn(server.client, poolId, app.clientId, username);
    await expect(
      server.client.send(new GetUserCommand({ AccessToken: third.AccessToken })),
    ).resolves.toMatchObject({
      Username: username,
    });
  });

  it("AdminUserGlobalSignOut", async () => {
    const { username, tokens } = await freshUser();
    await server.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: username }));
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
  });

  it("AdminUserGlobalSignOut of an unknown user is UserNotFoundException", async () => {
    await expectError(
      server.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: "nobody" })),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  it("RevokeToken of the sign-in's refresh token, and not another sign-in", async () => {
    const { username, tokens } = await freshUser();
    const other = await signIn(server.client, poolId, app.clientId, username);
    await server.client.send(new RevokeTokenCommand({ ClientId: app.clientId, Token: tokens.RefreshToken }));
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
    await expect(
      server.client.send(new GetUserCommand({ AccessToken: other.AccessToken })),
    ).resolves.toBeDefined();
  });

  it("AdminDisableUser, and re-enabling does not bring the tokens back", async () => {
    const { username, tokens } = await freshUser();
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
    await server.client.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: username }));
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
  });

  it("GlobalSignOut also revokes tokens of a client without token revocation (they carry no origin_jti)", async () => {
    const plain = await createClient(server, poolId, { EnableTokenRevocation: false });
    const { username } = await freshUser();
    const tokens = await signIn(server.client, poolId, plain.clientId, username);
    await server.client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
  });

  it("a password reset by the admin makes the token answer PasswordResetRequiredException", async () => {
    const { username, tokens } = await freshUser([
      { Name: "email", Value: "reset@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: username }));
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      "PasswordResetRequiredException",
      "Password reset required for the user",
    );
  });
});
