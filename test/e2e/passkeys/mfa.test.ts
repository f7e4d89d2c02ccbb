/**
 * Passkeys and MFA: WebAuthnConfiguration.FactorConfiguration with the user's WebAuthnMfaSettings.
 * As a single factor the passkey is not offered where MFA must follow; as the user's MFA
 * (MULTI_FACTOR_WITH_USER_VERIFICATION, turned on for the user) it is, a user-verified assertion
 * signs in without a second factor, and one without user verification is refused.
 */
import {
  AdminSetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  type UserPoolMfaType,
  type WebAuthnFactorConfigurationType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import type { SoftwareAuthenticator } from "../../support/webauthn-authenticator.js";
import {
  answer,
  claims,
  expectError,
  expectTokens,
  PASSWORD,
  phone,
  RP_ID,
  type UserAuthPool,
  user,
  userAuth,
  userAuthPool,
} from "../user-auth/support.js";
import { answerPasskey, registerPasskey, requestOptions } from "./support.js";

const SMS_CONFIGURATION = { SnsCallerArn: "arn:aws:iam::000000000000:role/sms" };
const PASSWORD_ONLY = ["PASSWORD_SRP", "PASSWORD"];
const WITH_PASSKEY = ["PASSWORD_SRP", "PASSWORD", "WEB_AUTHN"];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

interface Setup {
  pool: UserAuthPool;
  authenticator: SoftwareAuthenticator;
}

/**
 * A pool allowing passwords and passkeys with SMS MFA in `mode`, passkeys counted as `factor`, and a
 * user with a phone number and a passkey (registered while MFA was off), SMS MFA turned on and
 * passkey MFA as `passkeyMfa` says.
 */
async function setup(
  username: string,
  mode: UserPoolMfaType,
  factor: WebAuthnFactorConfigurationType,
  passkeyMfa: boolean,
): Promise<Setup> {
  const pool = await userAuthPool(server, ["PASSWORD", "WEB_AUTHN"], {
    pool: { SmsConfiguration: SMS_CONFIGURATION },
    webAuthn: { RelyingPartyId: RP_ID, UserVerification: "preferred", FactorConfiguration: factor },
  });
  await user(server, pool, username, [phone("+15550100100")]);
  const authenticator = await registerPasskey(server, pool, username);
  await server.client.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: pool.poolId,
      Username: username,
      SMSMfaSettings: { Enabled: true },
      WebAuthnMfaSettings: { Enabled: passkeyMfa },
    }),
  );
  // A request without WebAuthnConfiguration leaves the pool's as it is.
  await server.client.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.poolId,
      MfaConfiguration: mode,
      SmsMfaConfiguration: {},
    }),
  );
  return { pool, authenticator };
}

function preferPasskey(pool: UserAuthPool, username: string) {
  return userAuth(server, pool, { USERNAME: username, PREFERRED_CHALLENGE: "WEB_AUTHN" });
}

async function codesSent(pool: UserAuthPool): Promise<number> {
  return (await outbox(server, { poolId: pool.poolId })).length;
}

/** Where the passkey is not the user's MFA, MFA ON keeps to the password, and MFA follows it. */
async function expectPasswordThenMfa(pool: UserAuthPool, username: string): Promise<void> {
  const out = await preferPasskey(pool, username);
  expect(out.ChallengeName).toBe("SELECT_CHALLENGE");
  expect(out.AvailableChallenges).toEqual(PASSWORD_ONLY);
  await expectError(
    answer(server, pool, "SELECT_CHALLENGE", out.Session, { USERNAME: username, ANSWER: "WEB_AUTHN" }),
    "InvalidParameterException",
    "WEB_AUTHN is not one of the available challenges of this session.",
  );
  const password = await userAuth(server, pool, {
    USERNAME: username,
    PREFERRED_CHALLENGE: "PASSWORD",
    PASSWORD,
  });
  expect(password.ChallengeName).toBe("SMS_MFA");
}

describe("a passkey as a single factor (SINGLE_FACTOR)", () => {
  it("is not offered with MFA on, even to a user who turned passkey MFA on; the password and MFA are", async () => {
    const { pool } = await setup("single", "ON", "SINGLE_FACTOR", true);
    await expectPasswordThenMfa(pool, "single");
  });
});

describe("a passkey as MFA (MULTI_FACTOR_WITH_USER_VERIFICATION)", () => {
  it("is not offered with MFA on to a user who did not turn passkey MFA on", async () => {
    const { pool } = await setup("not-opted-in", "ON", "MULTI_FACTOR_WITH_USER_VERIFICATION", false);
    await expectPasswordThenMfa(pool, "not-opted-in");
  });

  it("with MFA on, asks for user verification and signs in without a second factor", async () => {
    const { pool, authenticator } = await setup("multi", "ON", "MULTI_FACTOR_WITH_USER_VERIFICATION", true);
    const out = await preferPasskey(pool, "multi");
    expect(out.ChallengeName).toBe("WEB_AUTHN");
    expect(out.AvailableChallenges).toEqual(WITH_PASSKEY);
    // The pool prefers user verification; passkey MFA requires it.
    const request = requestOptions(out);
    expect(request.userVerification).toBe("required");
    const done = await answerPasskey(server, pool, "multi", out.Session, authenticator.authenticate(request));
    expectTokens(done);
    expect(claims(done.AuthenticationResult?.AccessToken).username).toBe("multi");
    expect(await codesSent(pool)).toBe(0);
    // The password still meets MFA.
    const password = await userAuth(server, pool, {
      USERNAME: "multi",
      PREFERRED_CHALLENGE: "PASSWORD",
      PASSWORD,
    });
    expect(password.ChallengeName).toBe("SMS_MFA");
  });

  it("refuses an assertion without user verification, and the Session stays usable", async () => {
    const { pool, authenticator } = await setup(
      "unverified",
      "ON",
      "MULTI_FACTOR_WITH_USER_VERIFICATION",
      true,
    );
    const out = await preferPasskey(pool, "unverified");
    const request = requestOptions(out);
    await expectError(
      answerPasskey(
        server,
        pool,
        "unverified",
        out.Session,
        authenticator.authenticate(request, { userVerified: false }),
      ),
      "NotAuthorizedException",
      "The passkey could not be verified.",
    );
    expect(await codesSent(pool)).toBe(0);
    expectTokens(
      await answerPasskey(server, pool, "unverified", out.Session, authenticator.authenticate(request)),
    );
  });

  it("with MFA optional and the user's MFA on, is offered and signs in without a second factor", async () => {
    const { pool, authenticator } = await setup(
      "optional",
      "OPTIONAL",
      "MULTI_FACTOR_WITH_USER_VERIFICATION",
      true,
    );
    const choice = await userAuth(server, pool, { USERNAME: "optional" });
    expect(choice.AvailableChallenges).toEqual(WITH_PASSKEY);
    const out = await answer(server, pool, "SELECT_CHALLENGE", choice.Session, {
      USERNAME: "optional",
      ANSWER: "WEB_AUTHN",
    });
    expect(out.ChallengeName).toBe("WEB_AUTHN");
    expectTokens(
      await answerPasskey(
        server,
        pool,
        "optional",
        out.Session,
        authenticator.authenticate(requestOptions(out)),
      ),
    );
  });
});
