/**
 * The sign-in's triggers through the official SDK: PreAuthentication, PostAuthentication (and its
 * newDeviceUsed), UserMigration (UserMigration_Authentication, enableSMSMFA included), their events
 * field by field, the ClientMetadata routing, their errors, and a function that hangs.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  type DeviceConfigurationType,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, PASSWORD } from "../../support/fixtures.js";
import {
  answerDeviceChallenges,
  confirmedDevice,
  type DevicePool,
  adminSignIn as deviceSignIn,
  respondDeviceVerifier,
} from "../devices/support.js";
import { lastCode, SMS_CONFIGURATION } from "../mfa/support.js";
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

describe("PostAuthentication's newDeviceUsed", () => {
  /** A pool with the function and the device configuration given, as the device helpers take it. */
  async function devicePoolWith(arn: string, devices?: DeviceConfigurationType): Promise<DevicePool> {
    const poolId = await createPool(h.server, { PostAuthentication: arn }, { DeviceConfiguration: devices });
    const app = { clientId: await createClient(h.server, poolId) };
    await createUser(h.server, poolId, "wes");
    return { server: h.server, poolId, app };
  }

  function newDeviceUsed(name: string): unknown[] {
    return h.events(name).map((e) => (e.request as { newDeviceUsed: unknown }).newDeviceUsed);
  }

  it("is true at the sign-in that gets NewDeviceMetadata, false at one with the device's key", async () => {
    const arn = h.define("post-auth-device-always", RETURN_EVENT);
    const on = await devicePoolWith(arn, {
      ChallengeRequiredOnNewDevice: false,
      DeviceOnlyRememberedOnUserPrompt: false,
    });
    const { device } = await confirmedDevice(on, "wes");
    const known = await deviceSignIn(on, "wes", { DEVICE_KEY: device.deviceKey });
    expect(known.AuthenticationResult?.AccessToken).toBeDefined();
    expect(known.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    expect(newDeviceUsed("post-auth-device-always")).toEqual([true, false]);
  });

  it("is false when a remembered device proves itself with DEVICE_SRP_AUTH", async () => {
    const arn = h.define("post-auth-device-srp", RETURN_EVENT);
    const on = await devicePoolWith(arn, {
      ChallengeRequiredOnNewDevice: true,
      DeviceOnlyRememberedOnUserPrompt: false,
    });
    const { device } = await confirmedDevice(on, "wes");
    const challenge = await deviceSignIn(on, "wes", { DEVICE_KEY: device.deviceKey });
    expect(challenge.ChallengeName).toBe("DEVICE_SRP_AUTH");
    const { srpAuth, responses } = await answerDeviceChallenges(on, "wes", device, challenge.Session);
    const out = await respondDeviceVerifier(on, srpAuth.Session, responses);
    expect(out.AuthenticationResult?.AccessToken).toBeDefined();
    expect(out.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    expect(newDeviceUsed("post-auth-device-srp")).toEqual([true, false]);
  });

  it("is true for a new device in a pool that remembers devices on the user's word", async () => {
    const arn = h.define("post-auth-device-opt-in", RETURN_EVENT);
    const on = await devicePoolWith(arn, { DeviceOnlyRememberedOnUserPrompt: true });
    const out = await deviceSignIn(on, "wes");
    expect(out.AuthenticationResult?.NewDeviceMetadata?.DeviceKey).toBeDefined();
    expect(newDeviceUsed("post-auth-device-opt-in")).toEqual([true]);
  });

  it("is false in a pool that does not track devices", async () => {
    const arn = h.define("post-auth-no-devices", RETURN_EVENT);
    const on = await devicePoolWith(arn);
    const out = await deviceSignIn(on, "wes");
    expect(out.AuthenticationResult?.AccessToken).toBeDefined();
    expect(out.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    expect(newDeviceUsed("post-auth-no-devices")).toEqual([false]);
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

describe("UserMigration's enableSMSMFA", () => {
  /** Migrates anyone; the name says whether the user has a phone number and what enableSMSMFA is. */
  const MIGRATE_MFA =
    "const name = event.userName;\n" +
    "event.response.userAttributes = name.startsWith('nophone')\n" +
    "  ? { email: name + '@legacy.example' }\n" +
    "  : { phone_number: '+1555555' + name.slice(-4) };\n" +
    "if (name.includes('sms-on')) event.response.enableSMSMFA = true;\n" +
    "if (name.includes('sms-off')) event.response.enableSMSMFA = false;\n" +
    "event.response.messageAction = 'SUPPRESS';\nreturn event;";

  /** A pool that migrates with MIGRATE_MFA, with SMS MFA optional; its id and a client's. */
  async function optionalSmsMfaPool(name: string): Promise<{ poolId: string; clientId: string }> {
    const arn = h.define(name, MIGRATE_MFA);
    const poolId = await createPool(h.server, { UserMigration: arn });
    await h.server.client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OPTIONAL",
        SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
      }),
    );
    return { poolId, clientId: await createClient(h.server, poolId) };
  }

  async function mfaOf(poolId: string, username: string) {
    const { MFAOptions, UserMFASettingList, PreferredMfaSetting } = await h.server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: username }),
    );
    return { MFAOptions, UserMFASettingList, PreferredMfaSetting };
  }

  it("true: the user is created with SMS MFA on, and the sign-in that migrated them meets SMS_MFA", async () => {
    const { poolId, clientId } = await optionalSmsMfaPool("migrate-sms-on");
    const challenge = await adminSignIn(poolId, clientId, "sms-on-0101", "Legacy-passw0rd");
    expect(challenge.ChallengeName).toBe("SMS_MFA");
    expect(challenge.ChallengeParameters?.CODE_DELIVERY_DESTINATION).toBe("+*******0101");
    const code = await lastCode(h.server, poolId, "+15555550101");
    const out = await h.server.client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: "SMS_MFA",
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: "sms-on-0101", SMS_MFA_CODE: code },
      }),
    );
    expect(out.AuthenticationResult?.AccessToken).toBeDefined();
    const migrated = await mfaOf(poolId, "sms-on-0101");
    expect(migrated).toEqual({
      MFAOptions: [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }],
      UserMFASettingList: ["SMS_MFA"],
      PreferredMfaSetting: undefined,
    });
    // As AdminSetUserMFAPreference leaves a user it turns SMS MFA on for.
    await createUser(h.server, poolId, "set-by-admin", [{ Name: "phone_number", Value: "+15555550102" }]);
    await h.server.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "set-by-admin",
        SMSMfaSettings: { Enabled: true },
      }),
    );
    expect(await mfaOf(poolId, "set-by-admin")).toEqual(migrated);
  });

  it("false or absent: the user has no MFA and signs in at once", async () => {
    const { poolId, clientId } = await optionalSmsMfaPool("migrate-sms-off");
    for (const username of ["sms-off-0103", "plain-0104"]) {
      const out = await adminSignIn(poolId, clientId, username, "Legacy-passw0rd");
      expect(out.ChallengeName).toBeUndefined();
      expect(out.AuthenticationResult?.AccessToken).toBeDefined();
      expect(await mfaOf(poolId, username)).toEqual({
        MFAOptions: undefined,
        UserMFASettingList: undefined,
        PreferredMfaSetting: undefined,
      });
    }
    expect(h.events("migrate-sms-off")).toHaveLength(2);
  });

  it("true for a user without a phone number: the migration fails and no user is created", async () => {
    const { poolId, clientId } = await optionalSmsMfaPool("migrate-sms-no-phone");
    await expectError(
      adminSignIn(poolId, clientId, "nophone-sms-on", "Legacy-passw0rd"),
      "InvalidLambdaResponseException",
      "Unrecognizable lambda output",
    );
    await expectError(
      h.server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "nophone-sms-on" })),
      "UserNotFoundException",
      "User does not exist.",
    );
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
