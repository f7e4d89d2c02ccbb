/**
 * The sign-in's triggers through the official SDK: PreAuthentication, PostAuthentication,
 * UserMigration (UserMigration_Authentication), their events field by field, the ClientMetadata
 * routing, their errors, and a function that hangs.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, PASSWORD } from "../../support/fixtures.js";
import { createClient, createPool, createUser } from "./pools.js";
import { RETURN_EVENT, TriggerHarness } from "./support.js";

let h: TriggerHarness;
beforeAll(async () => {
  h = await TriggerHarness.start();
});
afterAll(async () => h.stop());

function adminSignIn(
  poolId: string,
  clientId: string,
  username: string,
  password = PASSWORD,
  metadata?: Record<string, string>,
) {
  return h.server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
      ClientMetadata: metadata,
    }),
  );
}

async function subOf(poolId: string, username: string): Promise<string> {
  const out = await h.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return out.UserAttributes?.find((a) => a.Name === "sub")?.Value as string;
}

describe("PreAuthentication", () => {
  it("receives the user and InitiateAuth's ClientMetadata as validationData", async () => {
    const arn = h.define("pre-auth-event", RETURN_EVENT);
    const poolId = await createPool(h.server, { PreAuthentication: arn });
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "olga", [{ Name: "email", Value: "olga@example.com" }]);
    const out = await adminSignIn(poolId, clientId, "olga", PASSWORD, { device: "kiosk" });
    expect(out.AuthenticationResult?.AccessToken).toBeDefined();
    expect(h.onlyEvent("pre-auth-event")).toEqual({
      version: "1",
      triggerSource: "PreAuthentication_Authentication",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "olga",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      request: {
        userAttributes: {
          sub: await subOf(poolId, "olga"),
          email: "olga@example.com",
          "cognito:user_status": "CONFIRMED",
        },
        validationData: { device: "kiosk" },
      },
      response: {},
    });
  });

  it("refuses the sign-in before the password is looked at: its error wins over a wrong password", async () => {
    const arn = h.define("pre-auth-refuses", "throw new Error('Account frozen');");
    const poolId = await createPool(h.server, { PreAuthentication: arn });
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "pat");
    for (const password of [PASSWORD, "Wrong-passw0rd!"]) {
      await expectError(
        adminSignIn(poolId, clientId, "pat", password),
        "UserLambdaValidationException",
        "PreAuthentication failed with error Account frozen.",
      );
    }
    expect(h.events("pre-auth-refuses")).toHaveLength(2);
  });

  it("runs for an unknown user, told userNotFound, when the client hides user existence", async () => {
    const arn = h.define("pre-auth-unknown", RETURN_EVENT);
    const poolId = await createPool(h.server, { PreAuthentication: arn });
    const clientId = await createClient(h.server, poolId, { PreventUserExistenceErrors: "ENABLED" });
    await expectError(
      adminSignIn(poolId, clientId, "ghost"),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    expect(h.onlyEvent("pre-auth-unknown").request).toEqual({
      userAttributes: {},
      validationData: null,
      userNotFound: true,
    });
    expect(h.onlyEvent("pre-auth-unknown").userName).toBe("ghost");
  });

  it("does not run for an unknown user when the client reveals user existence", async () => {
    const arn = h.define("pre-auth-legacy", RETURN_EVENT);
    const poolId = await createPool(h.server, { PreAuthentication: arn });
    const clientId = await createClient(h.server, poolId);
    await expectError(
      adminSignIn(poolId, clientId, "ghost"),
      "UserNotFoundException",
      "User does not exist.",
    );
    expect(h.events("pre-auth-legacy")).toEqual([]);
  });
});

describe("PostAuthentication", () => {
  it("runs after the password, with no ClientMetadata from InitiateAuth", async () => {
    const arn = h.define("post-auth-event", RETURN_EVENT);
    const poolId = await createPool(h.server, { PostAuthentication: arn });
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "quinn");
    await h.server.client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "quinn", PASSWORD },
        ClientMetadata: { not: "forwarded" },
      }),
    );
    expect(h.onlyEvent("post-auth-event")).toEqual({
      version: "1",
      triggerSource: "PostAuthentication_Authentication",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "quinn",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      request: {
        userAttributes: { sub: await subOf(poolId, "quinn"), "cognito:user_status": "CONFIRMED" },
        newDeviceUsed: false,
        clientMetadata: {},
      },
      response: {},
    });
  });

  it("gets the respond operation's ClientMetadata, and its error fails the sign-in", async () => {
    const arn = h.define(
      "post-auth-respond",
      "if (event.request.clientMetadata.fail) throw new Error('Audit log unavailable');\nreturn event;",
    );
    const poolId = await createPool(h.server, { PostAuthentication: arn });
    const clientId = await createClient(h.server, poolId);
    await h.server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "rae",
        TemporaryPassword: "Temp0rary-pass!",
        MessageAction: "SUPPRESS",
      }),
    );
    const challenge = await adminSignIn(poolId, clientId, "rae", "Temp0rary-pass!");
    expect(challenge.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    await expectError(
      h.server.client.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: "NEW_PASSWORD_REQUIRED",
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: "rae", NEW_PASSWORD: PASSWORD },
          ClientMetadata: { fail: "yes" },
        }),
      ),
      "UserLambdaValidationException",
      "PostAuthentication failed with error Audit log unavailable.",
    );
    expect((h.onlyEvent("post-auth-respond").request as { clientMetadata: unknown }).clientMetadata).toEqual({
      fail: "yes",
    });
  });
});

describe("UserMigration at sign-in", () => {
  const MIGRATE =
    "if (event.request.password !== 'Legacy-passw0rd') throw new Error('Bad password');\n" +
    "event.response.userAttributes = { email: event.userName + '@legacy.example', email_verified: 'true' };\n" +
    "if (event.userName.startsWith('reset')) event.response.finalUserStatus = 'RESET_REQUIRED';\n" +
    "event.response.messageAction = 'SUPPRESS';\nreturn event;";

  it("receives the typed name, the password and ClientMetadata as validationData; the user is created and signed in", async () => {
    const arn = h.define("migrate-sign-in", MIGRATE);
    const poolId = await createPool(h.server, { UserMigration: arn });
    const clientId = await createClient(h.server, poolId);
    const out = await h.server.client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "sam", PASSWORD: "Legacy-passw0rd" },
        ClientMetadata: { origin: "mobile" },
      }),
    );
    expect(out.AuthenticationResult?.IdToken).toBeDefined();
    expect(h.onlyEvent("migrate-sign-in")).toEqual({
      version: "1",
      triggerSource: "UserMigration_Authentication",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "sam",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      request: { password: "Legacy-passw0rd", validationData: { origin: "mobile" }, clientMetadata: {} },
      response: {
        userAttributes: null,
        forceAliasCreation: null,
        enableSMSMFA: null,
        finalUserStatus: null,
        messageAction: null,
        desiredDeliveryMediums: null,
      },
    });
    const user = await h.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "sam" }));
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(user.UserAttributes?.find((a) => a.Name === "email")?.Value).toBe("sam@legacy.example");
    // The user exists now: the next sign-in is an ordinary one.
    await adminSignIn(poolId, clientId, "sam", "Legacy-passw0rd");
    expect(h.events("migrate-sign-in")).toHaveLength(1);
  });

  it("fails with the function's error, and a user it asks to reset must reset", async () => {
    const arn = h.define("migrate-sign-in-errors", MIGRATE);
    const poolId = await createPool(h.server, { UserMigration: arn });
    const clientId = await createClient(h.server, poolId);
    await expectError(
      adminSignIn(poolId, clientId, "tom", "not-it"),
      "UserLambdaValidationException",
      "UserMigration failed with error Bad password.",
    );
    await expectError(
      adminSignIn(poolId, clientId, "reset-ursula", "Legacy-passw0rd"),
      "PasswordResetRequiredException",
      "Password reset required for the user",
    );
    const user = await h.server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: "reset-ursula" }),
    );
    expect(user.UserStatus).toBe("RESET_REQUIRED");
  });

  it("leaves the user unknown when the function returns no attributes", async () => {
    const arn = h.define("migrate-sign-in-nothing", RETURN_EVENT);
    const poolId = await createPool(h.server, { UserMigration: arn });
    const clientId = await createClient(h.server, poolId);
    await expectError(adminSignIn(poolId, clientId, "vic"), "UserNotFoundException", "User does not exist.");
  });
});

describe("a function that hangs", () => {
  it("costs its caller the 5 s deadline and UnexpectedLambdaException, while other sign-ins go through", async () => {
    const arn = h.define(
      "pre-auth-hangs",
      "if (event.userName === 'slow') await new Promise(() => setInterval(() => {}, 1000));\nreturn event;",
    );
    const poolId = await createPool(h.server, { PreAuthentication: arn });
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "slow");
    await createUser(h.server, poolId, "fast");
    let slowSettled = false;
    const slow = adminSignIn(poolId, clientId, "slow").finally(() => {
      slowSettled = true;
    });
    const fast = await adminSignIn(poolId, clientId, "fast");
    expect(fast.AuthenticationResult?.AccessToken).toBeDefined();
    expect(slowSettled).toBe(false);
    await expectError(
      slow,
      "UnexpectedLambdaException",
      "PreAuthentication invocation failed due to error Socket timeout while invoking Lambda function.",
    );
  });
});
