/**
 * EMAIL_OTP and SMS_OTP as first factors of USER_AUTH: codes read from the outbox, their lengths,
 * wrong and replayed codes, the address they prove, and the unconfirmed user they confirm.
 */
import {
  AdminGetUserCommand,
  GetUserAuthFactorsCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import { attributeMap } from "../users/support.js";
import {
  accessToken,
  advanceClock,
  answer,
  claims,
  email,
  expectError,
  expectTokens,
  PASSWORD,
  phone,
  resetClock,
  sentCode,
  type UserAuthPool,
  user,
  userAuth,
  userAuthPool,
  wrongCode,
} from "./support.js";

let server: TestServer;
let pool: UserAuthPool;
beforeAll(async () => {
  server = await startTestServer();
  pool = await userAuthPool(server, ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]);
});
afterAll(async () => server.stop());

async function attributes(username: string) {
  const out = await server.client.send(
    new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }),
  );
  return { status: out.UserStatus, attributes: attributeMap(out.UserAttributes) };
}

describe("EMAIL_OTP", () => {
  it("sends an 8-digit code whose answer signs in and verifies the address", async () => {
    await user(server, pool, "mailer", [email("mailer@example.com")]);
    const out = await userAuth(server, pool, { USERNAME: "mailer", PREFERRED_CHALLENGE: "EMAIL_OTP" });
    expect(out.ChallengeName).toBe("EMAIL_OTP");
    expect(out.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL",
      CODE_DELIVERY_DESTINATION: "m***@e***",
    });
    expect(out.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP"]);
    const code = await sentCode(server, pool.poolId, "mailer@example.com", 8);
    const done = await answer(server, pool, "EMAIL_OTP", out.Session, {
      USERNAME: "mailer",
      EMAIL_OTP_CODE: code,
    });
    expectTokens(done);
    expect(claims(done.AuthenticationResult?.IdToken).email_verified).toBe(true);
    expect((await attributes("mailer")).attributes.email_verified).toBe("true");
  });

  it("a wrong code is refused and the Session stays usable; the right code works once", async () => {
    await user(server, pool, "typist", [email("typist@example.com")]);
    const out = await userAuth(server, pool, { USERNAME: "typist", PREFERRED_CHALLENGE: "EMAIL_OTP" });
    const code = await sentCode(server, pool.poolId, "typist@example.com", 8);
    await expectError(
      answer(server, pool, "EMAIL_OTP", out.Session, { USERNAME: "typist", EMAIL_OTP_CODE: wrongCode(code) }),
      "CodeMismatchException",
      "Invalid code or auth state for the user.",
    );
    expectTokens(
      await answer(server, pool, "EMAIL_OTP", out.Session, { USERNAME: "typist", EMAIL_OTP_CODE: code }),
    );
    await expectError(
      answer(server, pool, "EMAIL_OTP", out.Session, { USERNAME: "typist", EMAIL_OTP_CODE: code }),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("is chosen through SELECT_CHALLENGE too", async () => {
    await user(server, pool, "selector", [email("selector@example.com")]);
    const choice = await userAuth(server, pool, { USERNAME: "selector" });
    const out = await answer(server, pool, "SELECT_CHALLENGE", choice.Session, {
      USERNAME: "selector",
      ANSWER: "EMAIL_OTP",
    });
    expect(out.ChallengeName).toBe("EMAIL_OTP");
    const code = await sentCode(server, pool.poolId, "selector@example.com", 8);
    expectTokens(
      await answer(server, pool, "EMAIL_OTP", out.Session, { USERNAME: "selector", EMAIL_OTP_CODE: code }),
    );
  });

  it("a code expires with its Session", async () => {
    await user(server, pool, "slowpoke", [email("slowpoke@example.com")]);
    const out = await userAuth(server, pool, { USERNAME: "slowpoke", PREFERRED_CHALLENGE: "EMAIL_OTP" });
    const code = await sentCode(server, pool.poolId, "slowpoke@example.com", 8);
    advanceClock(server, 4 * 60 * 1000);
    try {
      await expectError(
        answer(server, pool, "EMAIL_OTP", out.Session, { USERNAME: "slowpoke", EMAIL_OTP_CODE: code }),
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
      );
    } finally {
      resetClock(server);
    }
  });
});

describe("SMS_OTP", () => {
  it("sends a 6-digit code whose answer signs in and verifies the phone number", async () => {
    await user(server, pool, "texter", [phone("+15550100101")]);
    const out = await userAuth(server, pool, { USERNAME: "texter", PREFERRED_CHALLENGE: "SMS_OTP" });
    expect(out.ChallengeName).toBe("SMS_OTP");
    expect(out.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: "SMS",
      CODE_DELIVERY_DESTINATION: "+*******0101",
    });
    const code = await sentCode(server, pool.poolId, "+15550100101", 6);
    await expectError(
      answer(server, pool, "SMS_OTP", out.Session, { USERNAME: "texter", SMS_OTP_CODE: wrongCode(code) }),
      "CodeMismatchException",
      "Invalid code or auth state for the user.",
    );
    await expectError(
      answer(server, pool, "SMS_OTP", out.Session, { USERNAME: "texter" }),
      "InvalidParameterException",
      "Missing required parameter SMS_OTP_CODE",
    );
    expectTokens(
      await answer(server, pool, "SMS_OTP", out.Session, { USERNAME: "texter", SMS_OTP_CODE: code }),
    );
    expect((await attributes("texter")).attributes.phone_number_verified).toBe("true");
  });
});

describe("an unconfirmed user", () => {
  it("is offered the codes only, and the code confirms it", async () => {
    await server.client.send(
      new SignUpCommand({
        ClientId: pool.client.clientId,
        Username: "signed-up",
        Password: PASSWORD,
        UserAttributes: [email("signed-up@example.com")],
      }),
    );
    await expectError(
      userAuth(server, pool, { USERNAME: "signed-up", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD }).then(
        (out) => {
          expect(out.ChallengeName).toBe("SELECT_CHALLENGE");
          expect(out.AvailableChallenges).toEqual(["EMAIL_OTP"]);
          return answer(server, pool, "SELECT_CHALLENGE", out.Session, {
            USERNAME: "signed-up",
            ANSWER: "PASSWORD",
            PASSWORD,
          });
        },
      ),
      "InvalidParameterException",
      "PASSWORD is not one of the available challenges of this session.",
    );
    const out = await userAuth(server, pool, { USERNAME: "signed-up", PREFERRED_CHALLENGE: "EMAIL_OTP" });
    const code = await sentCode(server, pool.poolId, "signed-up@example.com", 8);
    expectTokens(
      await answer(server, pool, "EMAIL_OTP", out.Session, { USERNAME: "signed-up", EMAIL_OTP_CODE: code }),
    );
    const after = await attributes("signed-up");
    expect(after.status).toBe("CONFIRMED");
    expect(after.attributes.email_verified).toBe("true");
  });

  it("without a code factor is told it is not confirmed", async () => {
    const passwordOnly = await userAuthPool(server, ["PASSWORD"]);
    await server.client.send(
      new SignUpCommand({
        ClientId: passwordOnly.client.clientId,
        Username: "unconfirmed",
        Password: PASSWORD,
      }),
    );
    await expectError(
      userAuth(server, passwordOnly, { USERNAME: "unconfirmed", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD }),
      "UserNotConfirmedException",
      "User is not confirmed.",
    );
  });
});

describe("GetUserAuthFactors", () => {
  it("lists the pool's first factors the user has what for", async () => {
    await user(server, pool, "factored", [email("factored@example.com")]);
    const token = await accessToken(server, pool, "factored");
    const out = await server.client.send(new GetUserAuthFactorsCommand({ AccessToken: token }));
    expect(out.Username).toBe("factored");
    expect(out.ConfiguredUserAuthFactors).toEqual(["PASSWORD", "EMAIL_OTP"]);
    expect(out.UserMFASettingList).toBeUndefined();
  });
});
