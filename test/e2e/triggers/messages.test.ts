/**
 * CustomMessage for every message with a code or temporary password, and UserMigration in the
 * forgot-password flow, through the official SDK and the developer outbox.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, outbox, PASSWORD } from "../../support/fixtures.js";
import { createClient, createPool, createUser } from "./pools.js";
import { RETURN_EVENT, TriggerHarness } from "./support.js";

let h: TriggerHarness;
beforeAll(async () => {
  h = await TriggerHarness.start();
});
afterAll(async () => h.stop());

const CUSTOM_EMAIL =
  "if (event.triggerSource === 'CustomMessage_SignUp' || event.triggerSource === 'CustomMessage_ResendCode') {\n" +
  "  event.response.emailSubject = 'Welcome to Acme';\n" +
  "  event.response.emailMessage = 'Hello ' + event.request.userAttributes.name + ', your code is ' + event.request.codeParameter;\n" +
  "}\nreturn event;";

describe("CustomMessage", () => {
  it("receives the sign-up message's event and its text replaces the pool's", async () => {
    const arn = h.define("custom-message-signup", CUSTOM_EMAIL);
    const poolId = await createPool(h.server, { CustomMessage: arn }, { AutoVerifiedAttributes: ["email"] });
    const clientId = await createClient(h.server, poolId);
    const { UserSub } = await h.server.client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "kim",
        Password: PASSWORD,
        UserAttributes: [
          { Name: "email", Value: "kim@example.com" },
          { Name: "name", Value: "Kim" },
        ],
        ClientMetadata: { locale: "en" },
      }),
    );
    expect(h.onlyEvent("custom-message-signup")).toEqual({
      version: "1",
      triggerSource: "CustomMessage_SignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "kim",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      request: {
        userAttributes: {
          sub: UserSub,
          email: "kim@example.com",
          name: "Kim",
          "cognito:user_status": "UNCONFIRMED",
        },
        codeParameter: "{####}",
        linkParameter: "{##Click Here##}",
        usernameParameter: null,
        clientMetadata: { locale: "en" },
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
    const [message] = await outbox(h.server, poolId);
    expect(message.subject).toBe("Welcome to Acme");
    expect(message.message).toMatch(/^Hello Kim, your code is \d{6}$/);

    await h.server.client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "kim" }));
    expect(h.events("custom-message-signup").at(-1)?.triggerSource).toBe("CustomMessage_ResendCode");
    expect((await outbox(h.server, poolId))[0].message).toMatch(/^Hello Kim, your code is \d{6}$/);
  });

  it("is not used when its text drops the code: the pool's message is sent", async () => {
    const arn = h.define("custom-message-no-code", "event.response.emailMessage = 'Welcome!'; return event;");
    const poolId = await createPool(h.server, { CustomMessage: arn }, { AutoVerifiedAttributes: ["email"] });
    const clientId = await createClient(h.server, poolId);
    await h.server.client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "lee",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "lee@example.com" }],
      }),
    );
    expect((await outbox(h.server, poolId))[0].message).toMatch(/^Your verification code is \d{6}\. $/);
  });

  it("gets the username parameter for an invitation, which must keep both placeholders", async () => {
    const arn = h.define(
      "custom-message-invite",
      "event.response.emailSubject = 'You are invited';\n" +
        "event.response.emailMessage = 'Sign in as ' + event.request.usernameParameter + ' with ' + event.request.codeParameter;\n" +
        "return event;",
    );
    const poolId = await createPool(h.server, { CustomMessage: arn });
    await h.server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "max",
        TemporaryPassword: "Temp0rary-pass!",
        DesiredDeliveryMediums: ["EMAIL"],
        UserAttributes: [{ Name: "email", Value: "max@example.com" }],
        ClientMetadata: { campaign: "spring" },
      }),
    );
    const event = h.onlyEvent("custom-message-invite") as {
      triggerSource: string;
      callerContext: { clientId: string };
      request: Record<string, unknown>;
    };
    expect(event.triggerSource).toBe("CustomMessage_AdminCreateUser");
    expect(event.callerContext.clientId).toBe("CLIENT_ID_NOT_APPLICABLE");
    expect(event.request.usernameParameter).toBe("{username}");
    expect(event.request.codeParameter).toBe("{####}");
    expect(event.request.clientMetadata).toEqual({ campaign: "spring" });
    const [message] = await outbox(h.server, poolId);
    expect(message.subject).toBe("You are invited");
    expect(message.message).toBe("Sign in as max with Temp0rary-pass!");
  });

  it("fails the operation with the function's error", async () => {
    const arn = h.define("custom-message-fails", "throw new Error('template missing');");
    const poolId = await createPool(h.server, { CustomMessage: arn }, { AutoVerifiedAttributes: ["email"] });
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "ned", [
      { Name: "email", Value: "ned@example.com" },
      { Name: "email_verified", Value: "true" },
    ]);
    await expectError(
      h.server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "ned" })),
      "UserLambdaValidationException",
      "CustomMessage failed with error template missing.",
    );
    const event = h.onlyEvent("custom-message-fails") as { triggerSource: string };
    expect(event.triggerSource).toBe("CustomMessage_ForgotPassword");
  });
});

describe("UserMigration in ForgotPassword", () => {
  it("creates the user the function vouches for, sends the reset code, and PostConfirmation follows the reset", async () => {
    const migrate = h.define(
      "migrate-forgot",
      "if (event.userName !== 'old-timer') throw new Error('Bad user');\n" +
        "event.response.userAttributes = { email: 'old@example.com', email_verified: 'true', name: 'Old' };\n" +
        "event.response.messageAction = 'SUPPRESS';\nreturn event;",
    );
    const post = h.define("post-confirmation-forgot", RETURN_EVENT);
    const poolId = await createPool(h.server, { UserMigration: migrate, PostConfirmation: post });
    const clientId = await createClient(h.server, poolId);
    const out = await h.server.client.send(
      new ForgotPasswordCommand({
        ClientId: clientId,
        Username: "old-timer",
        ClientMetadata: { app: "legacy" },
      }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: "o***@e***",
    });
    expect(h.onlyEvent("migrate-forgot")).toEqual({
      version: "1",
      triggerSource: "UserMigration_ForgotPassword",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "old-timer",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      request: { validationData: null, clientMetadata: { app: "legacy" } },
      response: {
        userAttributes: null,
        forceAliasCreation: null,
        enableSMSMFA: null,
        finalUserStatus: null,
        messageAction: null,
        desiredDeliveryMediums: null,
      },
    });
    const user = await h.server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: "old-timer" }),
    );
    expect(user.UserStatus).toBe("RESET_REQUIRED");
    const messages = await outbox(h.server, poolId);
    // SUPPRESS: the reset code only, no welcome.
    expect(messages.map((m) => m.purpose)).toEqual(["forgot-password"]);
    const code = messages[0].message.match(/\d{6}/)?.[0];
    await h.server.client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: "old-timer",
        ConfirmationCode: code,
        Password: "N3w-password!",
      }),
    );
    const event = h.onlyEvent("post-confirmation-forgot") as {
      triggerSource: string;
      request: { userAttributes: Record<string, string> };
    };
    expect(event.triggerSource).toBe("PostConfirmation_ConfirmForgotPassword");
    expect(event.request.userAttributes["cognito:user_status"]).toBe("CONFIRMED");
  });

  it("answers as for an unknown user when the function refuses, with its error", async () => {
    const migrate = h.define("migrate-forgot-refuses", "throw new Error('Bad user');");
    const poolId = await createPool(h.server, { UserMigration: migrate });
    const clientId = await createClient(h.server, poolId);
    await expectError(
      h.server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "nobody" })),
      "UserLambdaValidationException",
      "UserMigration failed with error Bad user.",
    );
  });
});
