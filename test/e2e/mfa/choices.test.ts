/**
 * Which MFA a sign-in meets: SELECT_MFA_TYPE among several factors, the preferred factor, MFA_SETUP
 * by email, a remembered device standing in for MFA, and the CustomMessage trigger's text for
 * MFA codes.
 */
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  type AdminSetUserMFAPreferenceCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  answerDeviceChallenges,
  confirmedDevice,
  type DevicePool,
  respondDeviceVerifier,
} from "../devices/support.js";
import { TriggerHarness } from "../triggers/support.js";
import {
  adminAnswer,
  adminSignIn,
  enrolSoftwareToken,
  expectError,
  expectTokens,
  freezeClockMidStep,
  lastCode,
  type MfaPool,
  mfaPool,
  outbox,
  PASSWORD,
  SMS_CONFIGURATION,
  totp,
  user,
} from "./support.js";

let harness: TriggerHarness;
beforeAll(async () => {
  harness = await TriggerHarness.start();
});
afterAll(async () => harness.stop());
beforeEach(() => freezeClockMidStep(harness.server));

const SMS_AND_TOTP = {
  MfaConfiguration: "OPTIONAL",
  SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
  SoftwareTokenMfaConfiguration: { Enabled: true },
} as const;

async function prefer(
  pool: MfaPool,
  username: string,
  settings: Partial<AdminSetUserMFAPreferenceCommandInput>,
) {
  await harness.server.client.send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.poolId, Username: username, ...settings }),
  );
}

/** A user with SMS and TOTP MFA turned on, neither preferred; returns the TOTP secret. */
async function userWithTwoFactors(pool: MfaPool, username: string, phone: string): Promise<string> {
  const server = harness.server;
  await user(server, pool, username, [{ Name: "phone_number", Value: phone }]);
  const tokens = await adminSignIn(server, pool, username);
  expectTokens(tokens);
  const secret = await enrolSoftwareToken(server, tokens.AuthenticationResult?.AccessToken as string);
  await prefer(pool, username, { SMSMfaSettings: { Enabled: true } });
  return secret;
}

describe("SELECT_MFA_TYPE", () => {
  it("offers the factors the user has, and answers the choice with its challenge", async () => {
    const server = harness.server;
    const pool = await mfaPool(server, SMS_AND_TOTP);
    await userWithTwoFactors(pool, "ada", "+15555550200");
    const select = await adminSignIn(server, pool, "ada");
    expect(select.ChallengeName).toBe("SELECT_MFA_TYPE");
    expect(select.ChallengeParameters).toEqual({
      MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]',
      USER_ID_FOR_SRP: "ada",
    });
    await expectError(
      adminAnswer(server, pool, select, { USERNAME: "ada", ANSWER: "EMAIL_OTP" }),
      "InvalidParameterException",
      "EMAIL_OTP is not one of the MFA methods the user can choose.",
    );
    const sms = await adminAnswer(server, pool, select, { USERNAME: "ada", ANSWER: "SMS_MFA" });
    expect(sms.ChallengeName).toBe("SMS_MFA");
    expect(sms.ChallengeParameters?.CODE_DELIVERY_DESTINATION).toBe("+*******0200");
    expect(sms.Session).not.toBe(select.Session);
    const code = await lastCode(server, pool.poolId, "+15555550200");
    expectTokens(await adminAnswer(server, pool, sms, { USERNAME: "ada", SMS_MFA_CODE: code }));
    await expectError(
      adminAnswer(server, pool, select, { USERNAME: "ada", ANSWER: "SMS_MFA" }),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("leads to SOFTWARE_TOKEN_MFA when that is chosen", async () => {
    const server = harness.server;
    const pool = await mfaPool(server, SMS_AND_TOTP);
    const secret = await userWithTwoFactors(pool, "bea", "+15555550201");
    const select = await adminSignIn(server, pool, "bea");
    const sent = (await outbox(server, pool.poolId)).length;
    const token = await adminAnswer(server, pool, select, { USERNAME: "bea", ANSWER: "SOFTWARE_TOKEN_MFA" });
    expect(token.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    expect((await outbox(server, pool.poolId)).length).toBe(sent);
    expectTokens(
      await adminAnswer(server, pool, token, {
        USERNAME: "bea",
        SOFTWARE_TOKEN_MFA_CODE: await totp(server, secret),
      }),
    );
  });

  it("is skipped for the preferred factor", async () => {
    const server = harness.server;
    const pool = await mfaPool(server, SMS_AND_TOTP);
    await userWithTwoFactors(pool, "cat", "+15555550202");
    await prefer(pool, "cat", { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
    expect((await adminSignIn(server, pool, "cat")).ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    await prefer(pool, "cat", { SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
    expect((await adminSignIn(server, pool, "cat")).ChallengeName).toBe("SMS_MFA");
    const cat = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: "cat" }),
    );
    expect(cat.PreferredMfaSetting).toBe("SMS_MFA");
    expect(cat.UserMFASettingList).toEqual(["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);
  });
});

describe("MFA_SETUP by email", () => {
  it("sends a code to the address given, and on the code makes it the user's verified email and MFA", async () => {
    const server = harness.server;
    const pool = await mfaPool(server, {
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: {},
    });
    await user(server, pool, "dan");
    const setup = await adminSignIn(server, pool, "dan");
    expect(setup.ChallengeName).toBe("MFA_SETUP");
    expect(setup.ChallengeParameters?.MFAS_CAN_SETUP).toBe('["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]');
    await expectError(
      adminAnswer(server, pool, setup, { USERNAME: "dan", EMAIL: "not-an-address" }),
      "InvalidParameterException",
      "Invalid email address format.",
    );
    const otp = await adminAnswer(server, pool, setup, { USERNAME: "dan", EMAIL: "dan@example.com" });
    expect(otp.ChallengeName).toBe("EMAIL_OTP");
    expect(otp.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL",
      CODE_DELIVERY_DESTINATION: "d***@e***",
      USER_ID_FOR_SRP: "dan",
    });
    const code = await lastCode(server, pool.poolId, "dan@example.com");
    expectTokens(await adminAnswer(server, pool, otp, { USERNAME: "dan", EMAIL_OTP_CODE: code }));
    const dan = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: "dan" }),
    );
    expect(dan.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: "email", Value: "dan@example.com" },
        { Name: "email_verified", Value: "true" },
      ]),
    );
    expect(dan.UserMFASettingList).toEqual(["EMAIL_OTP"]);
    expect(dan.PreferredMfaSetting).toBe("EMAIL_OTP");
    expect((await adminSignIn(server, pool, "dan")).ChallengeName).toBe("EMAIL_OTP");
  });

  it("is not offered to a user who has an email already: email MFA is used at once", async () => {
    const server = harness.server;
    const pool = await mfaPool(server, {
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: {},
    });
    await user(server, pool, "eva", [{ Name: "email", Value: "eva@example.com" }]);
    expect((await adminSignIn(server, pool, "eva")).ChallengeName).toBe("EMAIL_OTP");
  });

  it("cannot set up email where only TOTP is offered", async () => {
    const server = harness.server;
    const pool = await mfaPool(server, {
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await user(server, pool, "fox");
    const setup = await adminSignIn(server, pool, "fox");
    await expectError(
      adminAnswer(server, pool, setup, { USERNAME: "fox", EMAIL: "fox@example.com" }),
      "InvalidParameterException",
      "EMAIL_OTP cannot be set up for this user.",
    );
  });
});

describe("a remembered device", () => {
  it("stands in for MFA: DEVICE_SRP_AUTH instead of the TOTP challenge", async () => {
    const server = harness.server;
    const pool = await mfaPool(
      server,
      { MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } },
      {
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
      },
    );
    await user(server, pool, "gwen");
    const devices: DevicePool = { server, poolId: pool.poolId, app: pool.client };
    const { tokens, device } = await confirmedDevice(devices, "gwen");
    await enrolSoftwareToken(server, tokens.AccessToken as string);

    expect((await adminSignIn(server, pool, "gwen")).ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    const remembered = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.poolId,
        ClientId: pool.client.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "gwen", PASSWORD, DEVICE_KEY: device.deviceKey },
      }),
    );
    expect(remembered.ChallengeName).toBe("DEVICE_SRP_AUTH");
    const { srpAuth, responses } = await answerDeviceChallenges(devices, "gwen", device, remembered.Session);
    const out = await respondDeviceVerifier(devices, srpAuth.Session, responses);
    expectTokens(out);
  });
});

describe("CustomMessage for MFA codes", () => {
  it("is called with CustomMessage_Authentication and its SMS text is sent", async () => {
    const server = harness.server;
    const arn = harness.define(
      "custom-message-mfa",
      "if (event.triggerSource === 'CustomMessage_Authentication') {\n" +
        "  event.response.smsMessage = 'Hi ' + event.userName + ', code ' + event.request.codeParameter;\n" +
        "}\nreturn event;",
    );
    const pool = await mfaPool(
      server,
      { MfaConfiguration: "ON", SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION } },
      { LambdaConfig: { CustomMessage: arn } },
    );
    await user(server, pool, "hugo", [{ Name: "phone_number", Value: "+15555550210" }]);
    await adminSignIn(server, pool, "hugo");
    const event = harness.onlyEvent("custom-message-mfa");
    expect(event).toMatchObject({
      triggerSource: "CustomMessage_Authentication",
      userPoolId: pool.poolId,
      userName: "hugo",
      callerContext: { clientId: pool.client.clientId },
      request: { codeParameter: "{####}", usernameParameter: null },
    });
    const [message] = await outbox(server, pool.poolId);
    expect(message.message).toMatch(/^Hi hugo, code \d{6}$/);
  });
});
