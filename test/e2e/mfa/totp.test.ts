/**
 * TOTP MFA through the official SDK: enrolment with an access token and with the Session of an
 * MFA_SETUP challenge, the SOFTWARE_TOKEN_MFA challenge, replayed and wrong codes, the lockout
 * that wrong codes feed, and expiry. Codes are computed here with otplib against the server's
 * clock, held in the middle of a time step so the codes of the steps around it stay valid.
 */
import {
  AdminGetUserCommand,
  AssociateSoftwareTokenCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  adminAnswer,
  adminSignIn,
  advanceClock,
  enrolSoftwareToken,
  expectError,
  expectTokens,
  freezeClockMidStep,
  mfaPool,
  TOTP_ONLY,
  totp,
  user,
} from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());
beforeEach(() => freezeClockMidStep(server));

async function accessTokenOf(pool: Awaited<ReturnType<typeof mfaPool>>, username: string): Promise<string> {
  const out = await adminSignIn(server, pool, username);
  expectTokens(out);
  return out.AuthenticationResult?.AccessToken as string;
}

describe("enrolment with an access token", () => {
  it("gives a base32 secret, refuses a wrong code, and turns TOTP on for the user once proven", async () => {
    const pool = await mfaPool(server, TOTP_ONLY);
    await user(server, pool, "ana");
    const accessToken = await accessTokenOf(pool, "ana");
    const { SecretCode, Session } = await server.client.send(
      new AssociateSoftwareTokenCommand({ AccessToken: accessToken }),
    );
    expect(SecretCode).toMatch(/^[A-Z2-7]{52}$/);
    expect(Session).toBeUndefined();

    const wrong = (Number(await totp(server, SecretCode as string)) + 1) % 1_000_000;
    await expectError(
      server.client.send(
        new VerifySoftwareTokenCommand({
          AccessToken: accessToken,
          UserCode: String(wrong).padStart(6, "0"),
        }),
      ),
      "EnableSoftwareTokenMFAException",
      "Code mismatch and fail enable Software Token MFA",
    );
    const before = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: "ana" }),
    );
    expect(before.UserMFASettingList).toBeUndefined();

    const verified = await server.client.send(
      new VerifySoftwareTokenCommand({
        AccessToken: accessToken,
        UserCode: await totp(server, SecretCode as string),
        FriendlyDeviceName: "Ana's phone",
      }),
    );
    expect(verified.Status).toBe("SUCCESS");
    const after = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: "ana" }),
    );
    expect(after.UserMFASettingList).toEqual(["SOFTWARE_TOKEN_MFA"]);
    expect(after.MFAOptions).toBeUndefined();
  });

  it("is refused when the pool has no TOTP factor", async () => {
    const pool = await mfaPool(server, { MfaConfiguration: "OFF" });
    await user(server, pool, "bo");
    const accessToken = await accessTokenOf(pool, "bo");
    await expectError(
      server.client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken })),
      "SoftwareTokenMFANotFoundException",
      "Software Token MFA has not been enabled by the userPool",
    );
  });

  it("cannot verify before associating", async () => {
    const pool = await mfaPool(server, TOTP_ONLY);
    await user(server, pool, "cy");
    const accessToken = await accessTokenOf(pool, "cy");
    await expectError(
      server.client.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: "123456" })),
      "SoftwareTokenMFANotFoundException",
      "No software token has been associated with the user.",
    );
  });
});

describe("SOFTWARE_TOKEN_MFA", () => {
  it("asks for the authenticator's code, keeps the Session on a wrong one and refuses a replayed one", async () => {
    const pool = await mfaPool(server, TOTP_ONLY);
    await user(server, pool, "dee");
    const secret = await enrolSoftwareToken(server, await accessTokenOf(pool, "dee"), "Dee's phone");

    const challenge = await adminSignIn(server, pool, "dee");
    expect(challenge.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    expect(challenge.ChallengeParameters).toEqual({
      FRIENDLY_DEVICE_NAME: "Dee's phone",
      USER_ID_FOR_SRP: "dee",
    });
    const wrong = String((Number(await totp(server, secret)) + 7) % 1_000_000).padStart(6, "0");
    await expectError(
      adminAnswer(server, pool, challenge, { USERNAME: "dee", SOFTWARE_TOKEN_MFA_CODE: wrong }),
      "CodeMismatchException",
      "Invalid code or auth state for the user.",
    );
    const code = await totp(server, secret);
    expectTokens(
      await adminAnswer(server, pool, challenge, { USERNAME: "dee", SOFTWARE_TOKEN_MFA_CODE: code }),
    );

    const again = await adminSignIn(server, pool, "dee");
    await expectError(
      adminAnswer(server, pool, again, { USERNAME: "dee", SOFTWARE_TOKEN_MFA_CODE: code }),
      "ExpiredCodeException",
      "Your software token has already been used once.",
    );
    const next = await totp(server, secret, 1);
    expectTokens(await adminAnswer(server, pool, again, { USERNAME: "dee", SOFTWARE_TOKEN_MFA_CODE: next }));
  });

  it("refuses the code the enrolment used", async () => {
    const pool = await mfaPool(server, TOTP_ONLY);
    await user(server, pool, "eli");
    const secret = await enrolSoftwareToken(server, await accessTokenOf(pool, "eli"));
    const challenge = await adminSignIn(server, pool, "eli");
    expect(challenge.ChallengeParameters).toEqual({ USER_ID_FOR_SRP: "eli" });
    await expectError(
      adminAnswer(server, pool, challenge, {
        USERNAME: "eli",
        SOFTWARE_TOKEN_MFA_CODE: await totp(server, secret, -1),
      }),
      "ExpiredCodeException",
      "Your software token has already been used once.",
    );
  });

  it("counts wrong codes toward the lockout: from the fifth the user is locked, then may try again", async () => {
    const pool = await mfaPool(server, TOTP_ONLY);
    await user(server, pool, "fay");
    const secret = await enrolSoftwareToken(server, await accessTokenOf(pool, "fay"));
    const challenge = await adminSignIn(server, pool, "fay");
    const wrong = String((Number(await totp(server, secret)) + 3) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 5; i++) {
      await expectError(
        adminAnswer(server, pool, challenge, { USERNAME: "fay", SOFTWARE_TOKEN_MFA_CODE: wrong }),
        "CodeMismatchException",
        "Invalid code or auth state for the user.",
      );
    }
    const code = await totp(server, secret);
    await expectError(
      adminAnswer(server, pool, challenge, { USERNAME: "fay", SOFTWARE_TOKEN_MFA_CODE: code }),
      "NotAuthorizedException",
      "Password attempts exceeded",
    );
    await expectError(
      adminSignIn(server, pool, "fay"),
      "NotAuthorizedException",
      "Password attempts exceeded",
    );
    advanceClock(server, 1_500);
    expectTokens(
      await adminAnswer(server, pool, challenge, { USERNAME: "fay", SOFTWARE_TOKEN_MFA_CODE: code }),
    );
  });

  it("expires with the Session (the client's AuthSessionValidity)", async () => {
    const pool = await mfaPool(server, TOTP_ONLY);
    await user(server, pool, "gus");
    const secret = await enrolSoftwareToken(server, await accessTokenOf(pool, "gus"));
    const challenge = await adminSignIn(server, pool, "gus");
    advanceClock(server, 3 * 60 * 1000);
    await expectError(
      adminAnswer(server, pool, challenge, {
        USERNAME: "gus",
        SOFTWARE_TOKEN_MFA_CODE: await totp(server, secret),
      }),
      "NotAuthorizedException",
      "Invalid session for the user, session is expired.",
    );
  });
});

describe("MFA_SETUP when MFA is required", () => {
  it("sets up TOTP with the challenge's Session, then signs in and challenges from then on", async () => {
    const pool = await mfaPool(server, {
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await user(server, pool, "hal");
    const setup = await adminSignIn(server, pool, "hal");
    expect(setup.ChallengeName).toBe("MFA_SETUP");
    expect(setup.ChallengeParameters).toEqual({
      MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]',
      USER_ID_FOR_SRP: "hal",
    });
    await expectError(
      adminAnswer(server, pool, setup, { USERNAME: "hal" }),
      "SoftwareTokenMFANotFoundException",
      "Software token MFA has not been set up: verify a software token with this Session first.",
    );

    const associated = await server.client.send(
      new AssociateSoftwareTokenCommand({ Session: setup.Session }),
    );
    expect(associated.SecretCode).toMatch(/^[A-Z2-7]{52}$/);
    expect(associated.Session).toBeDefined();
    expect(associated.Session).not.toBe(setup.Session);
    const secret = associated.SecretCode as string;
    await expectError(
      server.client.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: "000000" })),
      "EnableSoftwareTokenMFAException",
      "Code mismatch and fail enable Software Token MFA",
    );
    const verified = await server.client.send(
      new VerifySoftwareTokenCommand({
        Session: associated.Session,
        UserCode: await totp(server, secret, -1),
        FriendlyDeviceName: "Hal's phone",
      }),
    );
    expect(verified.Status).toBe("SUCCESS");
    expect(verified.Session).toBeDefined();

    const done = await adminAnswer(
      server,
      pool,
      { ChallengeName: "MFA_SETUP", Session: verified.Session },
      { USERNAME: "hal" },
    );
    expectTokens(done);
    await expectError(
      adminAnswer(
        server,
        pool,
        { ChallengeName: "MFA_SETUP", Session: verified.Session },
        { USERNAME: "hal" },
      ),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
    const hal = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: "hal" }),
    );
    expect(hal.UserMFASettingList).toEqual(["SOFTWARE_TOKEN_MFA"]);
    expect(hal.PreferredMfaSetting).toBe("SOFTWARE_TOKEN_MFA");

    const next = await adminSignIn(server, pool, "hal");
    expect(next.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    expect(next.ChallengeParameters?.FRIENDLY_DEVICE_NAME).toBe("Hal's phone");
    expectTokens(
      await adminAnswer(server, pool, next, {
        USERNAME: "hal",
        SOFTWARE_TOKEN_MFA_CODE: await totp(server, secret),
      }),
    );
  });

  it("follows NEW_PASSWORD_REQUIRED for a user an administrator created", async () => {
    const pool = await mfaPool(server, {
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await user(server, pool, "ivy", [], { temporary: true });
    const first = await adminSignIn(server, pool, "ivy", "Temp0rary-pass!");
    expect(first.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const setup = await adminAnswer(server, pool, first, { USERNAME: "ivy", NEW_PASSWORD: "N3w-password!" });
    expect(setup.ChallengeName).toBe("MFA_SETUP");
    expect(setup.ChallengeParameters?.MFAS_CAN_SETUP).toBe('["SOFTWARE_TOKEN_MFA"]');
  });

  it("takes only an MFA_SETUP Session", async () => {
    const pool = await mfaPool(server, TOTP_ONLY);
    await user(server, pool, "jo");
    await enrolSoftwareToken(server, await accessTokenOf(pool, "jo"));
    const challenge = await adminSignIn(server, pool, "jo");
    await expectError(
      server.client.send(new AssociateSoftwareTokenCommand({ Session: challenge.Session })),
      "NotAuthorizedException",
      "Invalid session for the user.",
    );
    await expectError(
      server.client.send(new AssociateSoftwareTokenCommand({})),
      "InvalidParameterException",
      "Either AccessToken or Session must be given.",
    );
  });
});
