/** Adaptive MFA: the risk asks for a second factor that the user has not turned on (pool MFA optional). */
import { SetUserPoolMfaConfigCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectTokens } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { adminAnswer, lastCode, SMS_CONFIGURATION } from "../mfa/support.js";
import { events, protectedPool, setActions, signIn, userWithHistory } from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const PHONE = "+15555550142";
const LOW = { ip: "203.0.113.120", device: "home-laptop" };
const MEDIUM = { ip: "203.0.113.121", device: "new-phone" };

async function adaptivePool() {
  const pool = await protectedPool(server, "ENFORCED");
  await server.client.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.poolId,
      MfaConfiguration: "OPTIONAL",
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
    }),
  );
  await setActions(server, pool.poolId, { Low: "MFA_IF_CONFIGURED", Medium: "MFA_REQUIRED", High: "BLOCK" });
  return pool;
}

describe("adaptive MFA (ENFORCED)", () => {
  it("challenges a user who can receive a code, then records the passed second factor", async () => {
    const pool = await adaptivePool();
    await userWithHistory(server, pool, "amy", [{ Name: "phone_number", Value: PHONE }]);
    // At no risk MFA stays optional, and amy did not turn it on.
    expectTokens(await signIn(server, pool, "amy", { device: "home-laptop" }));

    for (const from of [LOW, MEDIUM]) {
      const challenge = await signIn(server, pool, "amy", from);
      expect(challenge.ChallengeName).toBe("SMS_MFA");
      const [pending] = await events(server, pool.poolId, "amy");
      expect(pending).toMatchObject({
        EventResponse: "InProgress",
        ChallengeResponses: [{ ChallengeName: "Password", ChallengeResponse: "Success" }],
      });
      await expectError(
        adminAnswer(server, pool, challenge, { USERNAME: "amy", SMS_MFA_CODE: "000000" }),
        "CodeMismatchException",
        "Invalid code received for user",
      );
      const code = await lastCode(server, pool.poolId, PHONE);
      expectTokens(await adminAnswer(server, pool, challenge, { USERNAME: "amy", SMS_MFA_CODE: code }));
      const [event] = await events(server, pool.poolId, "amy");
      expect(event.EventId).toBe(pending.EventId);
      expect(event.EventResponse).toBe("Pass");
      expect(event.ChallengeResponses).toContainEqual({ ChallengeName: "Mfa", ChallengeResponse: "Success" });
      expect(event.ChallengeResponses?.[0]).toEqual({
        ChallengeName: "Password",
        ChallengeResponse: "Success",
      });
    }
  });

  it("lets a user without a factor in at MFA_IF_CONFIGURED and blocks them at MFA_REQUIRED", async () => {
    const pool = await adaptivePool();
    await userWithHistory(server, pool, "bob");
    expectTokens(await signIn(server, pool, "bob", LOW));
    await expectError(
      signIn(server, pool, "bob", MEDIUM),
      "NotAuthorizedException",
      "Unable to login because of security reasons.",
    );
  });
});
