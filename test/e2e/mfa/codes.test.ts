/**
 * SMS_MFA and EMAIL_OTP as second factors through the official SDK, with codes read from the
 * outbox: the challenge's parameters, the pool's messages, wrong and expired codes, a code
 * replaced by a newer sign-in's, and the session spent once.
 */
import { AdminSetUserMFAPreferenceCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  adminAnswer,
  adminSignIn,
  advanceClock,
  expectError,
  expectTokens,
  lastCode,
  mfaPool,
  outbox,
  resetClock,
  SMS_CONFIGURATION,
  user,
} from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const SMS_REQUIRED = {
  MfaConfiguration: "ON",
  SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
} as const;

describe("SMS_MFA", () => {
  it("sends a 6-digit code by SMS with Cognito's default message and masks the number", async () => {
    const pool = await mfaPool(server, SMS_REQUIRED);
    await user(server, pool, "amy", [{ Name: "phone_number", Value: "+15555550100" }]);
    const challenge = await adminSignIn(server, pool, "amy");
    expect(challenge.ChallengeName).toBe("SMS_MFA");
    expect(challenge.Session).toBeDefined();
    expect(challenge.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: "SMS",
      CODE_DELIVERY_DESTINATION: "+*******0100",
      USER_ID_FOR_SRP: "amy",
    });
    const [message] = await outbox(server, pool.poolId);
    expect(message).toMatchObject({ channel: "SMS", destination: "+15555550100", purpose: "sign-in-code" });
    expect(message.message).toMatch(/^Your authentication code is \d{6}\. $/);
  });

  it("uses the pool's SmsAuthenticationMessage; a wrong code keeps the Session, the right one signs in once", async () => {
    const pool = await mfaPool(server, {
      MfaConfiguration: "ON",
      SmsMfaConfiguration: {
        SmsAuthenticationMessage: "Acme code: {####}",
        SmsConfiguration: SMS_CONFIGURATION,
      },
    });
    await user(server, pool, "ben", [{ Name: "phone_number", Value: "+15555550101" }]);
    const challenge = await adminSignIn(server, pool, "ben");
    const code = await lastCode(server, pool.poolId, "+15555550101");
    expect((await outbox(server, pool.poolId))[0].message).toBe(`Acme code: ${code}`);
    const wrong = code === "000000" ? "000001" : "000000";
    await expectError(
      adminAnswer(server, pool, challenge, { USERNAME: "ben", SMS_MFA_CODE: wrong }),
      "CodeMismatchException",
      "Invalid code received for user",
    );
    const tokens = await adminAnswer(server, pool, challenge, { USERNAME: "ben", SMS_MFA_CODE: code });
    expectTokens(tokens);
    expect(tokens.AuthenticationResult?.RefreshToken).toBeDefined();
    await expectError(
      adminAnswer(server, pool, challenge, { USERNAME: "ben", SMS_MFA_CODE: code }),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("refuses a code once its Session has expired", async () => {
    const pool = await mfaPool(server, SMS_REQUIRED);
    await user(server, pool, "cal", [{ Name: "phone_number", Value: "+15555550102" }]);
    const challenge = await adminSignIn(server, pool, "cal");
    const code = await lastCode(server, pool.poolId, "+15555550102");
    advanceClock(server, 3 * 60 * 1000 + 1);
    try {
      await expectError(
        adminAnswer(server, pool, challenge, { USERNAME: "cal", SMS_MFA_CODE: code }),
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
      );
    } finally {
      resetClock(server);
    }
  });

  it("accepts only the newest sign-in's code", async () => {
    const pool = await mfaPool(server, SMS_REQUIRED);
    await user(server, pool, "dot", [{ Name: "phone_number", Value: "+15555550103" }]);
    const first = await adminSignIn(server, pool, "dot");
    const firstCode = await lastCode(server, pool.poolId, "+15555550103");
    const second = await adminSignIn(server, pool, "dot");
    const secondCode = await lastCode(server, pool.poolId, "+15555550103");
    await expectError(
      adminAnswer(server, pool, first, { USERNAME: "dot", SMS_MFA_CODE: firstCode }),
      "CodeMismatchException",
      "Invalid code received for user",
    );
    await expectError(
      adminAnswer(server, pool, first, { USERNAME: "dot", SMS_MFA_CODE: secondCode }),
      "CodeMismatchException",
      "Invalid code received for user",
    );
    expectTokens(await adminAnswer(server, pool, second, { USERNAME: "dot", SMS_MFA_CODE: secondCode }));
  });

  it("needs the code", async () => {
    const pool = await mfaPool(server, SMS_REQUIRED);
    await user(server, pool, "eve", [{ Name: "phone_number", Value: "+15555550104" }]);
    const challenge = await adminSignIn(server, pool, "eve");
    await expectError(
      adminAnswer(server, pool, challenge, { USERNAME: "eve" }),
      "InvalidParameterException",
      "Missing required parameter SMS_MFA_CODE",
    );
  });

  it("is not asked of a user without a phone number when MFA is optional", async () => {
    const pool = await mfaPool(server, {
      MfaConfiguration: "OPTIONAL",
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
    });
    await user(server, pool, "fin");
    expectTokens(await adminSignIn(server, pool, "fin"));
  });

  it("is refused with MFAMethodNotFoundException when required and the user can neither use nor set up a factor", async () => {
    const pool = await mfaPool(server, SMS_REQUIRED);
    await user(server, pool, "gil");
    await expectError(
      adminSignIn(server, pool, "gil"),
      "MFAMethodNotFoundException",
      "The user has no MFA method that the user pool accepts.",
    );
  });
});

describe("EMAIL_OTP as MFA", () => {
  const EMAIL_OPTIONAL = {
    MfaConfiguration: "OPTIONAL",
    EmailMfaConfiguration: { Subject: "Your Acme code", Message: "Sign in with {####}" },
  } as const;

  it("emails an 8-digit code with the pool's subject and message once the user turned email MFA on", async () => {
    const pool = await mfaPool(server, EMAIL_OPTIONAL);
    await user(server, pool, "hana", [{ Name: "email", Value: "hana@example.com" }]);
    expectTokens(await adminSignIn(server, pool, "hana"));
    await server.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: pool.poolId,
        Username: "hana",
        EmailMfaSettings: { Enabled: true },
      }),
    );
    const challenge = await adminSignIn(server, pool, "hana");
    expect(challenge.ChallengeName).toBe("EMAIL_OTP");
    expect(challenge.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL",
      CODE_DELIVERY_DESTINATION: "h***@e***",
      USER_ID_FOR_SRP: "hana",
    });
    const [message] = await outbox(server, pool.poolId);
    expect(message).toMatchObject({
      channel: "EMAIL",
      destination: "hana@example.com",
      subject: "Your Acme code",
    });
    const code = message.message.match(/^Sign in with (\d{8})$/)?.[1] as string;
    expect(code).toBeDefined();
    await expectError(
      adminAnswer(server, pool, challenge, {
        USERNAME: "hana",
        EMAIL_OTP_CODE: "12345678" === code ? "87654321" : "12345678",
      }),
      "CodeMismatchException",
      "Invalid code or auth state for the user.",
    );
    expectTokens(await adminAnswer(server, pool, challenge, { USERNAME: "hana", EMAIL_OTP_CODE: code }));
  });

  it("has Cognito's default texts when the pool sets none", async () => {
    const pool = await mfaPool(server, { MfaConfiguration: "ON", EmailMfaConfiguration: {} });
    await user(server, pool, "ida", [{ Name: "email", Value: "ida@example.com" }]);
    const challenge = await adminSignIn(server, pool, "ida");
    expect(challenge.ChallengeName).toBe("EMAIL_OTP");
    const [message] = await outbox(server, pool.poolId);
    expect(message.subject).toBe("Your authentication code");
    expect(message.message).toMatch(/^Your authentication code is \d{8}\. $/);
  });
});
