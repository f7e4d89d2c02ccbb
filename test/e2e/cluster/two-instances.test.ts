/**
 * Two instances on one PostgreSQL database behave as one server: one user's journey split across
 * them — sign in on A and answer the challenge on B, refresh on A, sign out on B and be refused on
 * A, fail passwords on both and be locked out on both.
 */
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Balancer, startBalancer } from "../../support/balancer.js";
import {
  claims,
  createClient,
  createPool,
  createUser,
  expectError,
  expectTokens,
  PASSWORD,
  TEMPORARY_PASSWORD,
  type TestClient,
} from "../../support/fixtures.js";
import { startTwoInstances, type TwoInstances } from "../../support/instances.js";
import { POSTGRES_SKIP_MESSAGE, postgresReachable } from "../../support/postgres.js";
import type { TestServer } from "../../support/server.js";

const available = await postgresReachable();
if (!available) it.skip(`two instances: ${POSTGRES_SKIP_MESSAGE}`, () => {});

describe.skipIf(!available)("two instances on one PostgreSQL database", () => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;
  let poolId: string;
  let app: TestClient;
  let users = 0;

  beforeAll(async () => {
    instances = await startTwoInstances();
    ({ a, b } = instances);
    poolId = await createPool(a);
    app = await createClient(a, poolId, {
      ExplicitAuthFlows: [
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ],
    });
  });
  afterAll(async () => instances?.stop());

  async function newUser(options: { temporary?: boolean } = {}): Promise<string> {
    const username = `user${++users}`;
    await createUser(users % 2 ? a : b, poolId, username, options);
    return username;
  }

  function adminSignIn(on: TestServer, username: string, password = PASSWORD) {
    return on.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: app.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  }

  function refresh(on: TestServer, refreshToken: string) {
    return on.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: app.clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
  }

  const getUser = (client: CognitoIdentityProviderClient, accessToken: string) =>
    client.send(new GetUserCommand({ AccessToken: accessToken }));

  it("an SRP sign-in begun on A is answered on B, through a round-robin balancer", async () => {
    const username = await newUser();
    const balancer: Balancer = await startBalancer([a.url, b.url]);
    try {
      const pool = new CognitoUserPool({
        UserPoolId: poolId,
        ClientId: app.clientId,
        endpoint: balancer.url,
      });
      const user = new CognitoUser({ Username: username, Pool: pool });
      const session = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), {
          onSuccess: resolve,
          onFailure: reject,
        }),
      );
      expect(balancer.log).toEqual([
        ["InitiateAuth", 0],
        ["RespondToAuthChallenge", 1],
      ]);
      expect(session.getAccessToken().decodePayload().username).toBe(username);
      const accessToken = session.getAccessToken().getJwtToken();
      expect((await getUser(a.client, accessToken)).Username).toBe(username);
      expect((await getUser(b.client, accessToken)).Username).toBe(username);
    } finally {
      await balancer.close();
    }
  });

  it("a NEW_PASSWORD_REQUIRED challenge from A is answered on B", async () => {
    const username = await newUser({ temporary: true });
    const challenge = await adminSignIn(a, username, TEMPORARY_PASSWORD);
    expect(challenge.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const out = await b.client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: app.clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: "N3w-password!" },
      }),
    );
    expectTokens(out);
    expectTokens(await adminSignIn(a, username, "N3w-password!"));
  });

  it("tokens signed on B verify on A, refresh on A, and both publish the same keys", async () => {
    const username = await newUser();
    const signedIn = (await adminSignIn(b, username)).AuthenticationResult!;
    expect((await getUser(a.client, signedIn.AccessToken!)).Username).toBe(username);
    const refreshed = await refresh(a, signedIn.RefreshToken!);
    expect(claims(refreshed.AuthenticationResult?.AccessToken).origin_jti).toBe(
      claims(signedIn.AccessToken).origin_jti,
    );
    expect((await getUser(b.client, refreshed.AuthenticationResult!.AccessToken!)).Username).toBe(username);
    const jwks = async (on: TestServer) => (await fetch(`${on.url}/${poolId}/.well-known/jwks.json`)).json();
    expect(await jwks(a)).toEqual(await jwks(b));
  });

  it("a refresh token rotated on both instances at once is rotated by exactly one", async () => {
    const rotating = await createClient(a, poolId, {
      ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
    });
    for (let round = 0; round < 3; round++) {
      const username = await newUser();
      const signedIn = await a.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: rotating.clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      );
      const rotate = (on: TestServer) =>
        on.client.send(
          new GetTokensFromRefreshTokenCommand({
            ClientId: rotating.clientId,
            RefreshToken: signedIn.AuthenticationResult?.RefreshToken,
          }),
        );
      const outcomes = await Promise.allSettled([rotate(a), rotate(b)]);
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.filter((o) => o.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost.map((o) => [o.reason.name, o.reason.message])).toEqual([
        ["RefreshTokenReuseException", "Refresh Token has already been used"],
      ]);
    }
  });

  it("a sign-out on B is refused on A: the access token and the refresh token", async () => {
    const username = await newUser();
    const tokens = (await adminSignIn(a, username)).AuthenticationResult!;
    expect((await getUser(a.client, tokens.AccessToken!)).Username).toBe(username);
    await b.client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    await expectError(
      getUser(a.client, tokens.AccessToken!),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
    await expectError(
      refresh(a, tokens.RefreshToken!),
      "NotAuthorizedException",
      "Refresh Token has been revoked",
    );
  });

  it("password failures on both instances count together and lock the user out on both", async () => {
    const username = await newUser();
    for (const on of [a, b, a, b, a]) {
      await expectError(
        adminSignIn(on, username, "Wrong-passw0rd"),
        "NotAuthorizedException",
        "Incorrect username or password.",
      );
    }
    await expectError(adminSignIn(b, username), "NotAuthorizedException", "Password attempts exceeded");
    await expectError(adminSignIn(a, username), "NotAuthorizedException", "Password attempts exceeded");
  });
});
