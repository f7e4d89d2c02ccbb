/**
 * PreSignUp and PostConfirmation through the official SDK: the events the functions receive, field
 * by field, what their answers do, and each way a function can fail.
 */
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, outbox, PASSWORD } from "../../support/fixtures.js";
import { createClient, createPool } from "./pools.js";
import { LambdaEndpoint, RETURN_EVENT, TriggerHarness } from "./support.js";

let h: TriggerHarness;
beforeAll(async () => {
  h = await TriggerHarness.start();
});
afterAll(async () => h.stop());

async function statusOf(poolId: string, username: string) {
  const out = await h.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  const attributes = Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  return { status: out.UserStatus, attributes };
}

describe("PreSignUp", () => {
  it("receives Cognito's event for SignUp: attributes given, validation data, client metadata", async () => {
    const arn = h.define("pre-sign-up-event", RETURN_EVENT);
    const poolId = await createPool(h.server, { PreSignUp: arn }, { AutoVerifiedAttributes: ["email"] });
    const clientId = await createClient(h.server, poolId);
    const out = await h.server.client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "ana",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "ana@example.com" }],
        ValidationData: [{ Name: "invite", Value: "XYZ" }],
        ClientMetadata: { source: "web" },
      }),
    );
    expect(out.UserConfirmed).toBe(false);
    expect(h.onlyEvent("pre-sign-up-event")).toEqual({
      version: "1",
      triggerSource: "PreSignUp_SignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "ana",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      request: {
        userAttributes: { email: "ana@example.com" },
        validationData: { invite: "XYZ" },
        clientMetadata: { source: "web" },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    // Returned unchanged: the default sign-up, a code to confirm.
    expect((await statusOf(poolId, "ana")).status).toBe("UNCONFIRMED");
    expect((await outbox(h.server, poolId))[0].purpose).toBe("signup");
  });

  it("sends validationData null and clientMetadata {} when the request has none", async () => {
    const arn = h.define("pre-sign-up-bare", RETURN_EVENT);
    const poolId = await createPool(h.server, { PreSignUp: arn });
    const clientId = await createClient(h.server, poolId);
    await h.server.client.send(new SignUpCommand({ ClientId: clientId, Username: "bo", Password: PASSWORD }));
    expect(h.onlyEvent("pre-sign-up-bare").request).toEqual({
      userAttributes: {},
      validationData: null,
      clientMetadata: {},
    });
  });

  it("confirms and verifies the user when it says so, sends no code, and runs PostConfirmation", async () => {
    const pre = h.define(
      "pre-sign-up-auto",
      "event.response.autoConfirmUser = true; event.response.autoVerifyEmail = true; return event;",
    );
    const post = h.define("post-confirmation-auto", RETURN_EVENT);
    const poolId = await createPool(
      h.server,
      { PreSignUp: pre, PostConfirmation: post },
      { AutoVerifiedAttributes: ["email"] },
    );
    const clientId = await createClient(h.server, poolId);
    const out = await h.server.client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "cy",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "cy@example.com" }],
        ClientMetadata: { from: "signup" },
      }),
    );
    expect(out.UserConfirmed).toBe(true);
    expect(out.CodeDeliveryDetails).toBeUndefined();
    const { status, attributes } = await statusOf(poolId, "cy");
    expect(status).toBe("CONFIRMED");
    expect(attributes.email_verified).toBe("true");
    expect(await outbox(h.server, poolId)).toEqual([]);
    expect(h.onlyEvent("post-confirmation-auto")).toEqual({
      version: "1",
      triggerSource: "PostConfirmation_ConfirmSignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "cy",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      request: {
        userAttributes: {
          sub: out.UserSub,
          email: "cy@example.com",
          email_verified: "true",
          "cognito:user_status": "CONFIRMED",
        },
        clientMetadata: { from: "signup" },
      },
      response: {},
    });
  });

  it("refuses the sign-up with the function's error, and no user is created", async () => {
    const arn = h.define("pre-sign-up-refuses", "throw new Error('Sign-up is by invitation only');");
    const poolId = await createPool(h.server, { PreSignUp: arn });
    const clientId = await createClient(h.server, poolId);
    await expectError(
      h.server.client.send(new SignUpCommand({ ClientId: clientId, Username: "dee", Password: PASSWORD })),
      "UserLambdaValidationException",
      "PreSignUp failed with error Sign-up is by invitation only.",
    );
    await expectError(
      h.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "dee" })),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  it("refuses output that is not the event, or that has wrong types", async () => {
    const notEvent = h.define("pre-sign-up-not-event", "return 'ok';");
    const wrongType = h.define(
      "pre-sign-up-wrong-type",
      "event.response.autoConfirmUser = 'yes'; return event;",
    );
    const forgot = h.define("pre-sign-up-no-return", "");
    for (const [arn, username] of [
      [notEvent, "e1"],
      [wrongType, "e2"],
      [forgot, "e3"],
    ]) {
      const poolId = await createPool(h.server, { PreSignUp: arn });
      const clientId = await createClient(h.server, poolId);
      await expectError(
        h.server.client.send(
          new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD }),
        ),
        "InvalidLambdaResponseException",
        "Unrecognizable lambda output",
      );
    }
  });

  it("refuses output that is not JSON at all", async () => {
    const endpoint = await new LambdaEndpoint({
      "pre-sign-up-garbage": () => ({ body: "<html>oops</html>" }),
    }).start();
    try {
      const poolId = await createPool(h.server, {
        PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up-garbage",
      });
      h.server.services.config.lambda.functions["pre-sign-up-garbage"] = { endpoint: endpoint.url };
      const clientId = await createClient(h.server, poolId);
      await expectError(
        h.server.client.send(new SignUpCommand({ ClientId: clientId, Username: "f", Password: PASSWORD })),
        "InvalidLambdaResponseException",
        "Invalid lambda function output : Invalid JSON",
      );
    } finally {
      await endpoint.stop();
    }
  });

  it("fails with UnexpectedLambdaException when the function is nowhere to be found", async () => {
    const poolId = await createPool(h.server, {
      PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:not-configured-anywhere",
    });
    const clientId = await createClient(h.server, poolId);
    await expectError(
      h.server.client.send(new SignUpCommand({ ClientId: clientId, Username: "g", Password: PASSWORD })),
      "UnexpectedLambdaException",
      "PreSignUp invocation failed due to error ResourceNotFoundException.",
    );
  });

  it("runs for AdminCreateUser with no app client, and its answer does not confirm the user", async () => {
    const arn = h.define(
      "pre-sign-up-admin",
      "event.response.autoConfirmUser = true; event.response.autoVerifyEmail = true; return event;",
    );
    const poolId = await createPool(h.server, { PreSignUp: arn });
    await h.server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "hal",
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: "hal@example.com" }],
        ValidationData: [{ Name: "by", Value: "admin" }],
        ClientMetadata: { batch: "7" },
      }),
    );
    expect(h.onlyEvent("pre-sign-up-admin")).toEqual({
      version: "1",
      triggerSource: "PreSignUp_AdminCreateUser",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "hal",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "CLIENT_ID_NOT_APPLICABLE" },
      request: {
        userAttributes: { email: "hal@example.com" },
        validationData: { by: "admin" },
        clientMetadata: { batch: "7" },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    const { status, attributes } = await statusOf(poolId, "hal");
    expect(status).toBe("FORCE_CHANGE_PASSWORD");
    expect(attributes.email_verified).toBeUndefined();
  });
});

describe("PostConfirmation", () => {
  it("receives the confirmed user after ConfirmSignUp", async () => {
    const arn = h.define("post-confirmation-event", RETURN_EVENT);
    const poolId = await createPool(
      h.server,
      { PostConfirmation: arn },
      { AutoVerifiedAttributes: ["email"] },
    );
    const clientId = await createClient(h.server, poolId);
    const { UserSub } = await h.server.client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "ivy",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "ivy@example.com" }],
      }),
    );
    expect(h.events("post-confirmation-event")).toEqual([]);
    const code = (await outbox(h.server, poolId))[0].message.match(/\d{6}/)?.[0];
    await h.server.client.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: "ivy",
        ConfirmationCode: code,
        ClientMetadata: { step: "confirm" },
      }),
    );
    expect(h.onlyEvent("post-confirmation-event")).toEqual({
      version: "1",
      triggerSource: "PostConfirmation_ConfirmSignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "ivy",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      request: {
        userAttributes: {
          sub: UserSub,
          email: "ivy@example.com",
          email_verified: "true",
          "cognito:user_status": "CONFIRMED",
        },
        clientMetadata: { step: "confirm" },
      },
      response: {},
    });
  });

  it("runs after AdminConfirmSignUp with no app client; its error reaches the caller, the user stays confirmed", async () => {
    const arn = h.define("post-confirmation-fails", "throw new Error('CRM is down');");
    const poolId = await createPool(h.server, { PostConfirmation: arn });
    const clientId = await createClient(h.server, poolId);
    await h.server.client.send(new SignUpCommand({ ClientId: clientId, Username: "jo", Password: PASSWORD }));
    await expectError(
      h.server.client.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: "jo" })),
      "UserLambdaValidationException",
      "PostConfirmation failed with error CRM is down.",
    );
    const event = h.onlyEvent("post-confirmation-fails") as { callerContext: unknown; triggerSource: string };
    expect(event.triggerSource).toBe("PostConfirmation_ConfirmSignUp");
    expect(event.callerContext).toEqual({
      awsSdkVersion: "aws-sdk-unknown-unknown",
      clientId: "CLIENT_ID_NOT_APPLICABLE",
    });
    expect((await statusOf(poolId, "jo")).status).toBe("CONFIRMED");
  });
});
