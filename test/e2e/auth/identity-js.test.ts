/** The official browser/Node client, amazon-cognito-identity-js, signing in against the server. */
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from "amazon-cognito-identity-js";
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

let server: TestServer;
let poolId: string;
let app: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server, {
    Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }],
  });
  app = await createClient(server, poolId);
});
afterAll(async () => server.stop());

function cognitoUser(username: string): CognitoUser {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: app.clientId, endpoint: server.url });
  const user = new CognitoUser({ Username: username, Pool: pool });
  user.setAuthenticationFlowType("USER_PASSWORD_AUTH");
  return user;
}

interface SignInResult {
  session: CognitoUserSession;
  challenge?: { userAttributes: Record<string, string>; requiredAttributes: string[] };
}

/** authenticateUser; a NEW_PASSWORD_REQUIRED challenge is completed with `newPassword` and a name. */
function signIn(user: CognitoUser, password: string, newPassword?: string): Promise<SignInResult> {
  return new Promise((resolve, reject) => {
    let challenge: SignInResult["challenge"];
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: (session) => resolve({ session, challenge }),
      onFailure: reject,
      newPasswordRequired(userAttributes, requiredAttributes) {
        challenge = { userAttributes, requiredAttributes };
        if (!newPassword) return reject(new Error("unexpected NEW_PASSWORD_REQUIRED"));
        user.completeNewPasswordChallenge(newPassword, { name: "Ada" }, this);
      },
    });
  });
}

describe("amazon-cognito-identity-js", () => {
  it("signs in with USER_PASSWORD_AUTH and refreshes the session", async () => {
    await createUser(server, poolId, "jsuser", { attributes: [{ Name: "name", Value: "Js" }] });
    const user = cognitoUser("jsuser");
    const { session } = await signIn(user, PASSWORD);
    expect(session.isValid()).toBe(true);
    expect(session.getAccessToken().decodePayload().username).toBe("jsuser");
    expect(session.getIdToken().decodePayload().name).toBe("Js");

    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (err, result) => (err ? reject(err) : resolve(result))),
    );
    expect(refreshed.getAccessToken().getJwtToken()).not.toBe(session.getAccessToken().getJwtToken());
    expect(refreshed.getAccessToken().decodePayload().origin_jti).toBe(
      session.getAccessToken().decodePayload().origin_jti,
    );
  });

  it("completes NEW_PASSWORD_REQUIRED for a user with a temporary password", async () => {
    await createUser(server, poolId, "invited", {
      temporary: true,
      attributes: [{ Name: "email", Value: "invited@example.com" }],
    });
    const { session, challenge } = await signIn(
      cognitoUser("invited"),
      TEMPORARY_PASSWORD,
      "Chosen-passw0rd",
    );
    expect(challenge?.requiredAttributes).toEqual(["name"]);
    expect(challenge?.userAttributes.email).toBe("invited@example.com");
    expect(session.getIdToken().decodePayload().name).toBe("Ada");

    const user = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: "invited" }),
    );
    expect(user.UserStatus).toBe("CONFIRMED");
    const again = await signIn(cognitoUser("invited"), "Chosen-passw0rd");
    expect(again.session.isValid()).toBe(true);
  });

  it("reports Cognito's error for a wrong password", async () => {
    await createUser(server, poolId, "wrongpw", { attributes: [{ Name: "name", Value: "W" }] });
    await expect(signIn(cognitoUser("wrongpw"), "Wrong-passw0rd")).rejects.toMatchObject({
      code: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });
});
