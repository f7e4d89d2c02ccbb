/**
 * The pool's MFA configuration (SetUserPoolMfaConfig / GetUserPoolMfaConfig and its rules) and
 * users' MFA settings (SetUserMFAPreference, AdminSetUserMFAPreference, the legacy SetUserSettings
 * and AdminSetUserSettings), as AdminGetUser and GetUser show them.
 */
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserSettingsCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SetUserSettingsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  adminSignIn,
  DEVELOPER_EMAIL,
  expectError,
  expectTokens,
  type MfaPool,
  mfaPool,
  SMS_CONFIGURATION,
  TOTP_ONLY,
  user,
} from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

function setMfa(input: ConstructorParameters<typeof SetUserPoolMfaConfigCommand>[0]) {
  return server.client.send(new SetUserPoolMfaConfigCommand(input));
}

function getMfa(poolId: string) {
  return server.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
}

describe("SetUserPoolMfaConfig and GetUserPoolMfaConfig", () => {
  it("answer OFF and no factor for a new pool", async () => {
    const poolId = await createPool(server);
    const config = await getMfa(poolId);
    expect(config.MfaConfiguration).toBe("OFF");
    expect(config.SoftwareTokenMfaConfiguration).toBeUndefined();
    expect(config.SmsMfaConfiguration).toBeUndefined();
    expect(config.EmailMfaConfiguration).toBeUndefined();
  });

  it("set the mode and the factors, which GetUserPoolMfaConfig and DescribeUserPool then show", async () => {
    const poolId = await createPool(server, { EmailConfiguration: DEVELOPER_EMAIL });
    const set = await setMfa({
      UserPoolId: poolId,
      MfaConfiguration: "OPTIONAL",
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsAuthenticationMessage: "Code {####}", SmsConfiguration: SMS_CONFIGURATION },
      EmailMfaConfiguration: { Subject: "Sign-in code", Message: "Your code is {####}" },
    });
    const expected = {
      MfaConfiguration: "OPTIONAL",
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsAuthenticationMessage: "Code {####}", SmsConfiguration: SMS_CONFIGURATION },
      EmailMfaConfiguration: { Subject: "Sign-in code", Message: "Your code is {####}" },
    };
    expect(set).toMatchObject(expected);
    expect(await getMfa(poolId)).toMatchObject(expected);
    const { UserPool } = await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(UserPool?.MfaConfiguration).toBe("OPTIONAL");
    expect(UserPool?.SmsAuthenticationMessage).toBe("Code {####}");
    expect(UserPool?.SmsConfiguration).toEqual(SMS_CONFIGURATION);
  });

  it("replace every factor with each call; no mode means OFF, which drops them", async () => {
    const poolId = await createPool(server);
    await setMfa({ UserPoolId: poolId, ...TOTP_ONLY });
    const on = await setMfa({
      UserPoolId: poolId,
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
    });
    expect(on.MfaConfiguration).toBe("ON");
    expect(on.SoftwareTokenMfaConfiguration).toBeUndefined();
    const off = await setMfa({ UserPoolId: poolId });
    expect(off.MfaConfiguration).toBe("OFF");
    expect(off.SmsMfaConfiguration).toBeUndefined();
    expect((await getMfa(poolId)).MfaConfiguration).toBe("OFF");
  });

  it("refuse a factor with MFA off, and MFA on or optional without one", async () => {
    const poolId = await createPool(server);
    for (const input of [
      { SoftwareTokenMfaConfiguration: { Enabled: true } },
      { MfaConfiguration: "OFF" as const, SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION } },
    ]) {
      await expectError(
        setMfa({ UserPoolId: poolId, ...input }),
        "InvalidParameterException",
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
      );
    }
    for (const mode of ["ON", "OPTIONAL"] as const) {
      await expectError(
        setMfa({ UserPoolId: poolId, MfaConfiguration: mode }),
        "InvalidParameterException",
        "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled.",
      );
    }
  });

  it("need an SMS configuration for SMS MFA", async () => {
    const poolId = await createPool(server);
    await expectError(
      setMfa({ UserPoolId: poolId, MfaConfiguration: "OPTIONAL", SmsMfaConfiguration: {} }),
      "InvalidParameterException",
      "SMS MFA requires an SmsConfiguration for the user pool.",
    );
    const withSms = await createPool(server, { SmsConfiguration: SMS_CONFIGURATION });
    const set = await setMfa({ UserPoolId: withSms, MfaConfiguration: "OPTIONAL", SmsMfaConfiguration: {} });
    expect(set.SmsMfaConfiguration?.SmsConfiguration).toEqual(SMS_CONFIGURATION);
  });

  it("need SES email and the Essentials tier or above for email MFA", async () => {
    const cognitoEmail = await createPool(server);
    await expectError(
      setMfa({ UserPoolId: cognitoEmail, MfaConfiguration: "OPTIONAL", EmailMfaConfiguration: {} }),
      "InvalidParameterException",
      "Email MFA requires the user pool to send email with Amazon SES: EmailConfiguration.EmailSendingAccount must be DEVELOPER.",
    );
    const lite = await createPool(server, { EmailConfiguration: DEVELOPER_EMAIL, UserPoolTier: "LITE" });
    await expectError(
      setMfa({ UserPoolId: lite, MfaConfiguration: "OPTIONAL", EmailMfaConfiguration: {} }),
      "FeatureUnavailableInTierException",
      "Email MFA is not available in the LITE tier of user pools.",
    );
  });

  it("name the pool that does not exist", async () => {
    await expectError(
      getMfa("us-east-1_nosuchpool"),
      "ResourceNotFoundException",
      "User pool us-east-1_nosuchpool does not exist.",
    );
    await expectError(
      setMfa({ UserPoolId: "us-east-1_nosuchpool", MfaConfiguration: "OFF" }),
      "ResourceNotFoundException",
      "User pool us-east-1_nosuchpool does not exist.",
    );
  });

  it("show SMS MFA for a pool created with MFA and an SMS configuration", async () => {
    const poolId = await createPool(server, {
      MfaConfiguration: "OPTIONAL",
      SmsConfiguration: SMS_CONFIGURATION,
      SmsAuthenticationMessage: "Legacy {####}",
    });
    const config = await getMfa(poolId);
    expect(config.MfaConfiguration).toBe("OPTIONAL");
    expect(config.SmsMfaConfiguration).toEqual({
      SmsAuthenticationMessage: "Legacy {####}",
      SmsConfiguration: SMS_CONFIGURATION,
    });
  });
});

const SMS_AND_TOTP = {
  MfaConfiguration: "OPTIONAL",
  SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
  SoftwareTokenMfaConfiguration: { Enabled: true },
  EmailMfaConfiguration: {},
} as const;

async function adminGetUser(pool: MfaPool, username: string) {
  return server.client.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }));
}

function adminPrefer(pool: MfaPool, username: string, input: object) {
  return server.client.send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.poolId, Username: username, ...input }),
  );
}

describe("users' MFA preferences", () => {
  it("turn factors on, make one preferred, and show in AdminGetUser and GetUser", async () => {
    const pool = await mfaPool(server, SMS_AND_TOTP);
    await user(server, pool, "ari", [
      { Name: "phone_number", Value: "+15555550300" },
      { Name: "email", Value: "ari@example.com" },
    ]);
    const out = await adminSignIn(server, pool, "ari");
    expectTokens(out);
    const accessToken = out.AuthenticationResult?.AccessToken as string;
    await server.client.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: accessToken,
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
        EmailMfaSettings: { Enabled: true },
      }),
    );
    const expected = {
      UserMFASettingList: ["SMS_MFA", "EMAIL_OTP"],
      PreferredMfaSetting: "SMS_MFA",
      MFAOptions: [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }],
    };
    expect(await adminGetUser(pool, "ari")).toMatchObject(expected);
    expect(await server.client.send(new GetUserCommand({ AccessToken: accessToken }))).toMatchObject(
      expected,
    );

    await adminPrefer(pool, "ari", { EmailMfaSettings: { PreferredMfa: true } });
    expect((await adminGetUser(pool, "ari")).PreferredMfaSetting).toBe("EMAIL_OTP");
    await adminPrefer(pool, "ari", { EmailMfaSettings: { Enabled: false } });
    const after = await adminGetUser(pool, "ari");
    expect(after.UserMFASettingList).toEqual(["SMS_MFA"]);
    expect(after.PreferredMfaSetting).toBeUndefined();
    await adminPrefer(pool, "ari", { SMSMfaSettings: { Enabled: false } });
    const none = await adminGetUser(pool, "ari");
    expect(none.UserMFASettingList).toBeUndefined();
    expect(none.MFAOptions).toBeUndefined();
  });

  it("cannot turn on a factor the user has nothing for", async () => {
    const pool = await mfaPool(server, SMS_AND_TOTP);
    await user(server, pool, "bex");
    for (const [settings, factor] of [
      [{ SoftwareTokenMfaSettings: { Enabled: true } }, "SOFTWARE_TOKEN_MFA"],
      [{ SMSMfaSettings: { Enabled: true } }, "SMS_MFA"],
      [{ EmailMfaSettings: { Enabled: true } }, "EMAIL_OTP"],
    ] as const) {
      await expectError(
        adminPrefer(pool, "bex", settings),
        "InvalidParameterException",
        `User does not have delivery config set to turn on ${factor}`,
      );
    }
  });

  it("prefer one factor at most, and only one that is on", async () => {
    const pool = await mfaPool(server, SMS_AND_TOTP);
    await user(server, pool, "cory", [
      { Name: "phone_number", Value: "+15555550301" },
      { Name: "email", Value: "cory@example.com" },
    ]);
    await expectError(
      adminPrefer(pool, "cory", {
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
        EmailMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
      "InvalidParameterException",
      "Only one MFA method can be the preferred one.",
    );
    await expectError(
      adminPrefer(pool, "cory", { SMSMfaSettings: { PreferredMfa: true } }),
      "InvalidParameterException",
      "SMS_MFA must be enabled to be the preferred MFA method.",
    );
  });

  it("turn MFA on for the sign-ins of an optional pool", async () => {
    const pool = await mfaPool(server, SMS_AND_TOTP);
    await user(server, pool, "dov", [{ Name: "phone_number", Value: "+15555550302" }]);
    expectTokens(await adminSignIn(server, pool, "dov"));
    await adminPrefer(pool, "dov", { SMSMfaSettings: { Enabled: true } });
    expect((await adminSignIn(server, pool, "dov")).ChallengeName).toBe("SMS_MFA");
  });

  it("keep a user out of MFA that a required pool would otherwise ask for, when turned off", async () => {
    const pool = await mfaPool(server, {
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await user(server, pool, "eon", [{ Name: "phone_number", Value: "+15555550303" }]);
    expect((await adminSignIn(server, pool, "eon")).ChallengeName).toBe("SMS_MFA");
    await adminPrefer(pool, "eon", { SMSMfaSettings: { Enabled: false } });
    expect((await adminSignIn(server, pool, "eon")).ChallengeName).toBe("MFA_SETUP");
  });

  it("name the user that does not exist", async () => {
    const pool = await mfaPool(server, SMS_AND_TOTP);
    await expectError(
      adminPrefer(pool, "nobody", { SMSMfaSettings: { Enabled: true } }),
      "UserNotFoundException",
      "User does not exist.",
    );
  });
});

describe("legacy MFA settings", () => {
  it("SetUserSettings and AdminSetUserSettings turn SMS MFA on and off", async () => {
    const pool = await mfaPool(server, SMS_AND_TOTP);
    await user(server, pool, "fred", [{ Name: "phone_number", Value: "+15555550304" }]);
    const out = await adminSignIn(server, pool, "fred");
    const accessToken = out.AuthenticationResult?.AccessToken as string;
    await server.client.send(
      new SetUserSettingsCommand({
        AccessToken: accessToken,
        MFAOptions: [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }],
      }),
    );
    expect(await adminGetUser(pool, "fred")).toMatchObject({
      MFAOptions: [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }],
      UserMFASettingList: ["SMS_MFA"],
    });
    await server.client.send(
      new AdminSetUserSettingsCommand({ UserPoolId: pool.poolId, Username: "fred", MFAOptions: [] }),
    );
    expect((await adminGetUser(pool, "fred")).MFAOptions).toBeUndefined();
  });

  it("take SMS to the phone number only", async () => {
    const pool = await mfaPool(server, SMS_AND_TOTP);
    await user(server, pool, "gale", [{ Name: "email", Value: "gale@example.com" }]);
    await expectError(
      server.client.send(
        new AdminSetUserSettingsCommand({
          UserPoolId: pool.poolId,
          Username: "gale",
          MFAOptions: [{ DeliveryMedium: "EMAIL", AttributeName: "email" }],
        }),
      ),
      "InvalidParameterException",
      "MFAOptions can only set SMS delivery to the phone_number attribute.",
    );
  });
});
