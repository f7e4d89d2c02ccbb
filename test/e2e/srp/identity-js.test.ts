/** USER_SRP_AUTH with the official amazon-cognito-identity-js client (its default sign-in). */
import { GetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, type CognitoUserSession } from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClient,
  createPool,
  createUser,
  PASSWORD,
  TEMPORARY_PASSWORD,
  type TestClient,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { jsSignIn, jsUser, recordTraffic } from "./support.js";

let server: TestServer;
let poolId: string;
let app: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server, { AliasAttributes: ["email"] });
  app = await createClient(server, poolId, {
    ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
});
afterAll(async () => server.stop());

describe("amazon-cognito-identity-js, USER_SRP_AUTH", () => {
  it("signs in: InitiateAuth gives PASSWORD_VERIFIER without a Session, the proof gives tokens", async () => {
    await createUser(server, poolId, "srpuser");
    const traffic = recordTraffic();
    try {
      const { session } = await jsSignIn(jsUser(server, poolId, app, "srpuser"));
      expect(session.isValid()).toBe(true);
      expect(session.getAccessToken().decodePayload().username).toBe("srpuser");
      expect(session.getIdToken().decodePayload()["cognito:username"]).toBe("srpuser");
      expect(traffic.log).toEqual([
        { target: "InitiateAuth", challengeName: undefined, error: undefined },
        { target: "RespondToAuthChallenge", challengeName: "PASSWORD_VERIFIER", error: undefined },
      ]);
      const me = await server.client.send(
        new GetUserCommand({ AccessToken: session.getAccessToken().getJwtToken() }),
      );
      expect(me.Username).toBe("srpuser");
    } finally {
      traffic.stop();
    }
  });

  it("signs in with an alias: USER_ID_FOR_SRP is the real username, which the proof is made for", async () => {
    await createUser(server, poolId, "aliased", {
      attributes: [
        { Name: "email", Value: "aliased@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    const user = jsUser(server, poolId, app, "aliased@example.com");
    const { session } = await jsSignIn(user);
    expect(session.getAccessToken().decodePayload().username).toBe("aliased");
    expect(user.getUsername()).toBe("aliased");
  });

  it("refuses a wrong password with Incorrect username or password.", async () => {
    await createUser(server, poolId, "wrongpw");
    await expect(jsSignIn(jsUser(server, poolId, app, "wrongpw"), `${PASSWORD}x`)).rejects.toMatchObject({
      code: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });

  it("continues with NEW_PASSWORD_REQUIRED after the proof of a temporary password", async () => {
    await createUser(server, poolId, "invitee", { temporary: true });
    const user = jsUser(server, poolId, app, "invitee");
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.authenticateUser(
        new AuthenticationDetails({ Username: "invitee", Password: TEMPORARY_PASSWORD }),
        {
          onSuccess: resolve,
          onFailure: reject,
          newPasswordRequired(_attributes, required) {
            expect(required).toEqual([]);
            user.completeNewPasswordChallenge("Brand-n3w-pass!", {}, this);
          },
        },
      ),
    );
    expect(session.getAccessToken().decodePayload().username).toBe("invitee");
    const again = await jsSignIn(jsUser(server, poolId, app, "invitee"), "Brand-n3w-pass!");
    expect(again.session.isValid()).toBe(true);
  });

  it("refreshes an SRP session", async () => {
    await createUser(server, poolId, "refresher");
    const user = jsUser(server, poolId, app, "refresher");
    const { session } = await jsSignIn(user);
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (err, result) => (err ? reject(err) : resolve(result))),
    );
    expect(refreshed.getAccessToken().decodePayload().origin_jti).toBe(
      session.getAccessToken().decodePayload().origin_jti,
    );
  });

  it("signs in many users in a row (padHex and leading zeros on both sides)", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `many${i}`);
    await Promise.all(
      names.map((name) => createUser(server, poolId, name, { password: `Pa55-word-${name}!` })),
    );
    for (const name of names) {
      const { session } = await jsSignIn(jsUser(server, poolId, app, name), `Pa55-word-${name}!`);
      expect(session.getAccessToken().decodePayload().username).toBe(name);
    }
  });
});
