/**
 * Choice-based sign-in (USER_AUTH): the gates, PREFERRED_CHALLENGE, SELECT_CHALLENGE and its
 * AvailableChallenges, the password and SRP first factors, and which factors a user is offered.
 */
import {
  AdminDisableUserCommand,
  AdminSetUserMFAPreferenceCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import { answerPasswordVerifier, startSrp } from "../../support/srp-client.js";
import {
  adminUserAuth,
  answer,
  claims,
  email,
  expectError,
  expectTokens,
  PASSWORD,
  phone,
  secretHash,
  TEMPORARY_PASSWORD,
  type UserAuthPool,
  user,
  userAuth,
  userAuthPool,
} from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const NOT_ENABLED = "USER_AUTH flow not enabled for this client";

describe("USER_AUTH gates", () => {
  it("needs ALLOW_USER_AUTH on the client", async () => {
    const pool = await userAuthPool(server, ["PASSWORD"], {
      client: { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await user(server, pool, "gated");
    await expectError(
      userAuth(server, pool, { USERNAME: "gated" }),
      "InvalidParameterException",
      NOT_ENABLED,
    );
  });

  it("is refused in a pool of the LITE plan, on both operations", async () => {
    const pool = await userAuthPool(server, ["PASSWORD"], { pool: { UserPoolTier: "LITE" } });
    await user(server, pool, "lite");
    await expectError(userAuth(server, pool, { USERNAME: "lite" }), "InvalidParameterException", NOT_ENABLED);
    await expectError(
      adminUserAuth(server, pool, { USERNAME: "lite", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD }),
      "InvalidParameterException",
      NOT_ENABLED,
    );
  });

  it("needs USERNAME", async () => {
    const pool = await userAuthPool(server);
    await expectError(
      userAuth(server, pool, {}),
      "InvalidParameterException",
      "Missing required parameter USERNAME",
    );
  });

  it("refuses a PREFERRED_CHALLENGE that names no first factor", async () => {
    const pool = await userAuthPool(server);
    await user(server, pool, "picky");
    await expectError(
      userAuth(server, pool, { USERNAME: "picky", PREFERRED_CHALLENGE: "SMS_MFA" }),
      "InvalidParameterException",
      "PREFERRED_CHALLENGE must be one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN; got SMS_MFA.",
    );
  });

  it("checks the secret hash of a client with a secret", async () => {
    const pool = await userAuthPool(server, ["PASSWORD"], { client: { GenerateSecret: true } });
    await user(server, pool, "secretive");
    await expectError(
      userAuth(server, pool, { USERNAME: "secretive" }),
      "NotAuthorizedException",
      `Client ${pool.client.clientId} is configured with secret but SECRET_HASH was not received`,
    );
    const out = await userAuth(server, pool, {
      USERNAME: "secretive",
      SECRET_HASH: secretHash(pool.client, "secretive"),
    });
    expect(out.ChallengeName).toBe("SELECT_CHALLENGE");
  });
});

describe("the pool's sign-in policy and feature plan", () => {
  const LITE_REFUSAL =
    "The following features need to be disabled for the LITE pricing tier configured: Passwordless Sign-In";

  it("a LITE pool may allow the password only", async () => {
    await expectError(
      server.client.send(
        new CreateUserPoolCommand({
          PoolName: "lite-otp",
          UserPoolTier: "LITE",
          Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } },
        }),
      ),
      "FeatureUnavailableInTierException",
      LITE_REFUSAL,
    );
    const pool = await userAuthPool(server, ["PASSWORD"], { pool: { UserPoolTier: "LITE" } });
    await expectError(
      server.client.send(
        new UpdateUserPoolCommand({
          UserPoolId: pool.poolId,
          UserPoolTier: "LITE",
          Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
        }),
      ),
      "FeatureUnavailableInTierException",
      LITE_REFUSAL,
    );
  });

  it("offers only the factors the pool allows and the user has what for, in Cognito's order", async () => {
    const pool = await userAuthPool(server, ["WEB_AUTHN", "SMS_OTP", "EMAIL_OTP", "PASSWORD"]);
    await user(server, pool, "everything", [email("everything@example.com"), phone("+15550100001")]);
    await user(server, pool, "mailonly", [email("mailonly@example.com")]);
    await user(server, pool, "bare");
    const everything = await userAuth(server, pool, { USERNAME: "everything" });
    expect(everything.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP", "SMS_OTP"]);
    const mailOnly = await userAuth(server, pool, { USERNAME: "mailonly" });
    expect(mailOnly.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP"]);
    const bare = await userAuth(server, pool, { USERNAME: "bare" });
    expect(bare.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD"]);
  });

  it("a pool without passwords offers no password, and a user with no factor has no way in", async () => {
    const pool = await userAuthPool(server, ["EMAIL_OTP"]);
    await user(server, pool, "coded", [email("coded@example.com")]);
    await user(server, pool, "stuck");
    const coded = await userAuth(server, pool, {
      USERNAME: "coded",
      PREFERRED_CHALLENGE: "PASSWORD",
      PASSWORD,
    });
    expect(coded.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(coded.AvailableChallenges).toEqual(["EMAIL_OTP"]);
    await expectError(
      userAuth(server, pool, { USERNAME: "stuck" }),
      "NotAuthorizedException",
      "The user has no sign-in method that the user pool allows.",
    );
  });

  it("with MFA on, only the password is offered, so that MFA can follow it", async () => {
    const pool = await userAuthPool(server, ["PASSWORD", "EMAIL_OTP"], {
      pool: {
        MfaConfiguration: "ON",
        SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sms" },
      },
    });
    await user(server, pool, "mfa-user", [email("mfa-user@example.com"), phone("+15550100002")]);
    const out = await userAuth(server, pool, { USERNAME: "mfa-user" });
    expect(out.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD"]);
  });

  it("with MFA optional, a user who turned a factor on is offered the password only", async () => {
    const pool = await userAuthPool(server, ["PASSWORD", "EMAIL_OTP"], {
      pool: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::000000000000:role/sms" } },
    });
    await server.client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: pool.poolId,
        MfaConfiguration: "OPTIONAL",
        SmsMfaConfiguration: {},
      }),
    );
    await user(server, pool, "with-mfa", [email("with-mfa@example.com"), phone("+15550100003")]);
    await user(server, pool, "without-mfa", [email("without-mfa@example.com"), phone("+15550100004")]);
    await server.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: pool.poolId,
        Username: "with-mfa",
        SMSMfaSettings: { Enabled: true },
      }),
    );
    expect((await userAuth(server, pool, { USERNAME: "with-mfa" })).AvailableChallenges).toEqual([
      "PASSWORD_SRP",
      "PASSWORD",
    ]);
    expect((await userAuth(server, pool, { USERNAME: "without-mfa" })).AvailableChallenges).toEqual([
      "PASSWORD_SRP",
      "PASSWORD",
      "EMAIL_OTP",
    ]);
    const mfa = await userAuth(server, pool, {
      USERNAME: "with-mfa",
      PREFERRED_CHALLENGE: "PASSWORD",
      PASSWORD,
    });
    expect(mfa.ChallengeName).toBe("SMS_MFA");
    expect(mfa.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD"]);
  });

  it("a user with a temporary password is offered the password only, then NEW_PASSWORD_REQUIRED", async () => {
    const pool = await userAuthPool(server, ["PASSWORD", "EMAIL_OTP"]);
    await user(server, pool, "newbie", [email("newbie@example.com")], { temporary: true });
    const out = await userAuth(server, pool, { USERNAME: "newbie" });
    expect(out.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD"]);
    const next = await answer(server, pool, "SELECT_CHALLENGE", out.Session, {
      USERNAME: "newbie",
      ANSWER: "PASSWORD",
      PASSWORD: TEMPORARY_PASSWORD,
    });
    expect(next.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
  });
});

describe("PREFERRED_CHALLENGE", () => {
  let pool: UserAuthPool;
  beforeAll(async () => {
    pool = await userAuthPool(server);
    await user(server, pool, "preferrer", [email("preferrer@example.com")]);
  });

  it("PASSWORD with the password signs in at once, on InitiateAuth and AdminInitiateAuth", async () => {
    const out = await userAuth(server, pool, {
      USERNAME: "preferrer",
      PREFERRED_CHALLENGE: "PASSWORD",
      PASSWORD,
    });
    expectTokens(out);
    expect(out.AvailableChallenges).toBeUndefined();
    expect(claims(out.AuthenticationResult?.AccessToken).username).toBe("preferrer");
    const admin = await adminUserAuth(server, pool, {
      USERNAME: "preferrer",
      PREFERRED_CHALLENGE: "PASSWORD",
      PASSWORD,
    });
    expectTokens(admin);
  });

  it("PASSWORD with a wrong password, or without one", async () => {
    await expectError(
      userAuth(server, pool, {
        USERNAME: "preferrer",
        PREFERRED_CHALLENGE: "PASSWORD",
        PASSWORD: "Wr0ng-pass!",
      }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await expectError(
      userAuth(server, pool, { USERNAME: "preferrer", PREFERRED_CHALLENGE: "PASSWORD" }),
      "InvalidParameterException",
      "Missing required parameter PASSWORD",
    );
  });

  it("PASSWORD_SRP answers PASSWORD_VERIFIER with a Session, whose answer signs in", async () => {
    const start = startSrp();
    const out = await userAuth(server, pool, {
      USERNAME: "preferrer",
      PREFERRED_CHALLENGE: "PASSWORD_SRP",
      SRP_A: start.srpA,
    });
    expect(out.ChallengeName).toBe("PASSWORD_VERIFIER");
    expect(out.Session).toBeTruthy();
    expect(out.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD"]);
    expect(out.ChallengeParameters?.USER_ID_FOR_SRP).toBe("preferrer");
    const responses = answerPasswordVerifier({
      poolId: pool.poolId,
      password: PASSWORD,
      challenge: out.ChallengeParameters as Record<string, string>,
      start,
    });
    expectTokens(await answer(server, pool, "PASSWORD_VERIFIER", out.Session, responses));
  });

  it("a factor the user cannot use gives the choice instead", async () => {
    const out = await userAuth(server, pool, { USERNAME: "preferrer", PREFERRED_CHALLENGE: "WEB_AUTHN" });
    expect(out.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(out.ChallengeParameters).toEqual({});
    expect(out.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD"]);
    expect(out.Session).toMatch(/^[\w-]{20,}$/);
  });

  it("a disabled user is refused before any factor", async () => {
    await user(server, pool, "disabled-one");
    await server.client.send(
      new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: "disabled-one" }),
    );
    await expectError(
      userAuth(server, pool, { USERNAME: "disabled-one" }),
      "NotAuthorizedException",
      "User is disabled.",
    );
  });
});

describe("SELECT_CHALLENGE", () => {
  let pool: UserAuthPool;
  beforeAll(async () => {
    pool = await userAuthPool(server, ["PASSWORD", "EMAIL_OTP"]);
    await user(server, pool, "chooser", [email("chooser@example.com")]);
  });

  const choose = () => userAuth(server, pool, { USERNAME: "chooser" });

  it("ANSWER=PASSWORD with the password signs in; the Session is then spent", async () => {
    const out = await choose();
    expect(out.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP"]);
    const done = await answer(server, pool, "SELECT_CHALLENGE", out.Session, {
      USERNAME: "chooser",
      ANSWER: "PASSWORD",
      PASSWORD,
    });
    expectTokens(done);
    await expectError(
      answer(server, pool, "SELECT_CHALLENGE", out.Session, {
        USERNAME: "chooser",
        ANSWER: "PASSWORD",
        PASSWORD,
      }),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("a wrong password spends the Session too", async () => {
    const out = await choose();
    await expectError(
      answer(server, pool, "SELECT_CHALLENGE", out.Session, {
        USERNAME: "chooser",
        ANSWER: "PASSWORD",
        PASSWORD: "Wr0ng-pass!",
      }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await expectError(
      answer(server, pool, "SELECT_CHALLENGE", out.Session, {
        USERNAME: "chooser",
        ANSWER: "PASSWORD",
        PASSWORD,
      }),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("a choice not on offer, or without its data, leaves the Session usable", async () => {
    const out = await choose();
    await expectError(
      answer(server, pool, "SELECT_CHALLENGE", out.Session, { USERNAME: "chooser", ANSWER: "WEB_AUTHN" }),
      "InvalidParameterException",
      "WEB_AUTHN is not one of the available challenges of this session.",
    );
    await expectError(
      answer(server, pool, "SELECT_CHALLENGE", out.Session, { USERNAME: "chooser", ANSWER: "PASSWORD" }),
      "InvalidParameterException",
      "Missing required parameter PASSWORD",
    );
    await expectError(
      answer(server, pool, "SELECT_CHALLENGE", out.Session, { USERNAME: "chooser" }),
      "InvalidParameterException",
      "Missing required parameter ANSWER",
    );
    expectTokens(
      await answer(server, pool, "SELECT_CHALLENGE", out.Session, {
        USERNAME: "chooser",
        ANSWER: "PASSWORD",
        PASSWORD,
      }),
    );
  });

  it("ANSWER=PASSWORD_SRP with SRP_A answers PASSWORD_VERIFIER", async () => {
    const out = await choose();
    const start = startSrp();
    const verifier = await answer(server, pool, "SELECT_CHALLENGE", out.Session, {
      USERNAME: "chooser",
      ANSWER: "PASSWORD_SRP",
      SRP_A: start.srpA,
    });
    expect(verifier.ChallengeName).toBe("PASSWORD_VERIFIER");
    const responses = answerPasswordVerifier({
      poolId: pool.poolId,
      password: PASSWORD,
      challenge: verifier.ChallengeParameters as Record<string, string>,
      start,
    });
    expectTokens(await answer(server, pool, "PASSWORD_VERIFIER", verifier.Session, responses));
  });

  it("ChallengeName PASSWORD or PASSWORD_SRP answers the choice directly", async () => {
    const first = await choose();
    expectTokens(await answer(server, pool, "PASSWORD", first.Session, { USERNAME: "chooser", PASSWORD }));
    const second = await choose();
    const start = startSrp();
    const verifier = await answer(server, pool, "PASSWORD_SRP", second.Session, {
      USERNAME: "chooser",
      SRP_A: start.srpA,
    });
    expect(verifier.ChallengeName).toBe("PASSWORD_VERIFIER");
  });

  it("another challenge's name on the choice's Session is refused", async () => {
    const out = await choose();
    await expectError(
      answer(server, pool, "WEB_AUTHN", out.Session, { USERNAME: "chooser", CREDENTIAL: "{}" }),
      "InvalidParameterException",
      "Invalid challenge name for the current session: expected SELECT_CHALLENGE.",
    );
  });

  it("the Session belongs to its user", async () => {
    await user(server, pool, "other-user");
    const out = await choose();
    await expectError(
      answer(server, pool, "SELECT_CHALLENGE", out.Session, {
        USERNAME: "other-user",
        ANSWER: "PASSWORD",
        PASSWORD,
      }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });
});

describe("a user that does not exist", () => {
  it("is reported by clients that do not hide user existence", async () => {
    const pool = await userAuthPool(server);
    await expectError(
      userAuth(server, pool, { USERNAME: "ghost" }),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  it("gets what a real user could get from clients that hide it, and fails only at the factor", async () => {
    const pool = await userAuthPool(server, ["PASSWORD", "EMAIL_OTP"], {
      client: { PreventUserExistenceErrors: "ENABLED" },
    });
    const out = await userAuth(server, pool, { USERNAME: "ghost" });
    expect(out.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(out.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP"]);
    await expectError(
      answer(server, pool, "SELECT_CHALLENGE", out.Session, {
        USERNAME: "ghost",
        ANSWER: "PASSWORD",
        PASSWORD,
      }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await expectError(
      userAuth(server, pool, { USERNAME: "ghost", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    const code = await userAuth(server, pool, {
      USERNAME: "ghost@example.com",
      PREFERRED_CHALLENGE: "EMAIL_OTP",
    });
    expect(code.ChallengeName).toBe("EMAIL_OTP");
    expect(code.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL",
      CODE_DELIVERY_DESTINATION: "g***@e***",
    });
    await expectError(
      answer(server, pool, "EMAIL_OTP", code.Session, {
        USERNAME: "ghost@example.com",
        EMAIL_OTP_CODE: "12345678",
      }),
      "CodeMismatchException",
      "Invalid code or auth state for the user.",
    );
  });
});
