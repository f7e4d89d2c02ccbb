/**
 * Behaviour the first release lacked: boolean attribute values in any letter case; the simulated
 * PASSWORD_VERIFIER of a name no user has, under USER_AUTH, with a Session like a real one;
 * passwordless first factors through threat protection.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, expectError, PASSWORD } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { answerPasswordVerifier, type SrpStart, startSrp } from "../../support/srp-client.js";
import { events, setActions } from "../risk/support.js";
import { answer, email, sentCode, user, userAuth, userAuthPool } from "../user-auth/support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

function attributesOf(user: { UserAttributes?: { Name?: string; Value?: string }[] }) {
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
}

describe("boolean attribute values", () => {
  it("are accepted in any letter case and kept as true / false", async () => {
    const poolId = await createPool(server, {
      AliasAttributes: ["email"],
      Schema: [{ Name: "vip", AttributeDataType: "Boolean", Mutable: true }],
    });
    const { clientId } = await createClient(server, poolId);
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "casey",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: "casey@example.com" },
          { Name: "email_verified", Value: "True" },
          { Name: "phone_number", Value: "+15555550100" },
          { Name: "phone_number_verified", Value: "FALSE" },
          { Name: "custom:vip", Value: "tRuE" },
        ],
      }),
    );
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "casey" }));
    expect(attributesOf(user)).toMatchObject({
      email_verified: "true",
      phone_number_verified: "false",
      "custom:vip": "true",
    });

    // A verified email is a sign-in alias: "True" verified it.
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "casey",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    const signedIn = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "casey@example.com", PASSWORD },
      }),
    );
    expect(signedIn.AuthenticationResult?.AccessToken).toBeTruthy();

    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "casey",
        UserAttributes: [{ Name: "phone_number_verified", Value: "TRUE" }],
      }),
    );
    const updated = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: "casey" }),
    );
    expect(attributesOf(updated).phone_number_verified).toBe("true");
  });

  it("that are no boolean in any case are still refused", async () => {
    const poolId = await createPool(server);
    await expect(
      server.client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "dana",
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: "dana@example.com" },
            { Name: "email_verified", Value: "yes" },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message:
        "Attributes did not conform to the schema: email_verified: The attribute is not a valid boolean\n",
    });
  });
});

describe("the simulated PASSWORD_VERIFIER of USER_AUTH", () => {
  it("carries a Session as a real user's does, and its answer fails as a wrong password", async () => {
    const poolId = await createPool(server, {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD"] } },
    });
    const { clientId } = await createClient(server, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      PreventUserExistenceErrors: "ENABLED",
    });
    await createUser(server, poolId, "real");
    const begin = async (username: string) => {
      const start = startSrp();
      const out = await server.client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: "PASSWORD_SRP", SRP_A: start.srpA },
        }),
      );
      return { start, out };
    };
    const respond = (session: string | undefined, start: SrpStart, challenge: Record<string, string>) =>
      server.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "PASSWORD_VERIFIER",
          Session: session,
          ChallengeResponses: answerPasswordVerifier({
            poolId,
            password: "Wrong-Passw0rd!",
            challenge,
            start,
          }),
        }),
      );

    const real = await begin("real");
    const ghost = await begin("ghost");
    for (const { out } of [real, ghost]) {
      expect(out.ChallengeName).toBe("PASSWORD_VERIFIER");
      expect(out.Session).toMatch(/^[\w-]{64}$/);
      expect(out.AvailableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD"]);
      expect(Object.keys(out.ChallengeParameters ?? {}).sort()).toEqual([
        "SALT",
        "SECRET_BLOCK",
        "SRP_B",
        "USERNAME",
        "USER_ID_FOR_SRP",
      ]);
    }
    for (const { start, out } of [real, ghost]) {
      const challenge = out.ChallengeParameters as Record<string, string>;
      await expectError(
        respond(out.Session, start, challenge),
        "NotAuthorizedException",
        "Incorrect username or password.",
      );
      await expectError(
        respond(out.Session, start, challenge),
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
      );
    }
  });
});

describe("passwordless first factors", () => {
  /** A pool offering email codes, with threat protection; this server's clients connect from 127.0.0.1. */
  async function protectedCodePool(mode: "AUDIT" | "ENFORCED") {
    const pool = await userAuthPool(server, ["PASSWORD", "EMAIL_OTP"], {
      pool: {
        UserPoolTier: "PLUS",
        UserPoolAddOns: { AdvancedSecurityMode: mode },
        AutoVerifiedAttributes: ["email"],
      },
    });
    const none = "NO_ACTION" as const;
    await setActions(
      server,
      pool.poolId,
      { Low: none, Medium: none, High: none },
      {
        RiskExceptionConfiguration: { BlockedIPRangeList: ["127.0.0.0/8"] },
      },
    );
    return pool;
  }

  async function signInWithCode(pool: Awaited<ReturnType<typeof userAuthPool>>, username: string) {
    await user(server, pool, username, [email(`${username}@example.com`)]);
    const out = await userAuth(server, pool, { USERNAME: username, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    const code = await sentCode(server, pool.poolId, `${username}@example.com`, 8);
    return answer(server, pool, "EMAIL_OTP", out.Session, { USERNAME: username, EMAIL_OTP_CODE: code });
  }

  it("go through threat protection: an email code from an always-blocked address is refused (ENFORCED)", async () => {
    const pool = await protectedCodePool("ENFORCED");
    await expectError(
      signInWithCode(pool, "otto"),
      "NotAuthorizedException",
      "Request not allowed due to security reasons.",
    );
    const [event] = await events(server, pool.poolId, "otto");
    expect(event).toMatchObject({
      EventType: "SignIn",
      EventResponse: "Fail",
      EventRisk: { RiskDecision: "Block" },
    });
  });

  it("the sign-up session included: ConfirmSignUp's Session from an always-blocked address is refused", async () => {
    const pool = await protectedCodePool("ENFORCED");
    await server.client.send(
      new SignUpCommand({
        ClientId: pool.client.clientId,
        Username: "newton",
        Password: PASSWORD,
        UserAttributes: [email("newton@example.com")],
      }),
    );
    const confirmed = await server.client.send(
      new ConfirmSignUpCommand({
        ClientId: pool.client.clientId,
        Username: "newton",
        ConfirmationCode: await sentCode(server, pool.poolId, "newton@example.com", 6),
      }),
    );
    await expectError(
      userAuth(server, pool, { USERNAME: "newton" }, confirmed.Session),
      "NotAuthorizedException",
      "Request not allowed due to security reasons.",
    );
  });

  it("have their risk weighed and recorded (AUDIT)", async () => {
    const pool = await protectedCodePool("AUDIT");
    const done = await signInWithCode(pool, "pia");
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    const [event] = await events(server, pool.poolId, "pia");
    expect(event).toMatchObject({
      EventResponse: "Pass",
      EventRisk: { RiskDecision: "Block", RiskLevel: "High" },
    });
  });
});
